"""The wheel holds every package and data file a plain `pip install` needs."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"graph": "conductgraph.graph", "loaders": "conductgraph.loaders",
           "api": "conductgraph.api"}


def test_every_python_package_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    for folder, name in FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            assert ".".join((name, *parts)) in listed, f"{init.parent} missing from pyproject"
    for name in listed:
        top, _, rest = name.removeprefix("conductgraph.").partition(".")
        assert config["package-dir"][f"conductgraph.{top}"] == top


def test_data_files_are_declared() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    data = config["package-data"]
    assert "**/*.cypher" in data["conductgraph.cypher"]
    assert "**/*" in data["conductgraph.cases"]
    assert any(p.startswith("static") for p in data["conductgraph.api"])
    assert "*.yaml" in data["conductgraph.graph"]
