"""Check that a case's inputs are still the files that were loaded (ACPO principle 1).

Every load records each input file as a ``Source`` node whose id is
``src:<sha256 of the file>`` and whose ``path`` is where it was read from.
:func:`verify_case` re-hashes the inputs the case names now (``case.yaml``, each
chat export, the codings CSV) and compares them with those nodes. Files are only
ever opened for reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from conductgraph.loaders import casefile_model as m
from conductgraph.loaders.casefile import CASE_FILE
from conductgraph.loaders.identity import file_sha256

from .errors import InputError
from .queries import load_query
from .store import GraphStore
from .yaml_text import parse_yaml

Status = Literal["ok", "changed", "missing", "not loaded"]
#: Statuses that mean an original is no longer what was loaded.
FAILING: frozenset[str] = frozenset({"changed", "missing"})


@dataclass
class FileCheck:
    path: str
    role: str  # case, source, codings
    status: Status
    sha256: str | None = None
    #: sha256 of the file(s) loaded from this path, when they differ from the file now.
    loaded_sha256: list[str] = field(default_factory=list)
    note: str = ""

    def row(self) -> dict[str, Any]:
        return {"status": self.status, "role": self.role, "path": self.path,
                "sha256": self.sha256, "loaded_sha256": ", ".join(self.loaded_sha256) or None,
                "note": self.note or None}


@dataclass
class VerifyReport:
    case_dir: str
    files: list[FileCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.status in FAILING for f in self.files)

    def count(self, status: str) -> int:
        return sum(f.status == status for f in self.files)


def _inputs(case_path: Path) -> tuple[list[tuple[Path, str]], str]:
    """The files a case names now, and a note when its case.yaml cannot say.

    Lenient on purpose: a missing export must be reported, not refused as the loader does.
    """
    folder = case_path.parent
    files: list[tuple[Path, str]] = [(case_path, "case")]
    try:
        raw = parse_yaml(case_path.read_text(encoding="utf-8"))
        model = m.Case.model_validate(raw)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return files, f"case.yaml cannot be read ({first}); its exports were not checked"
    files += [((folder / s.path).resolve(), "source") for s in model.sources]
    if model.codings:
        files.append(((folder / model.codings).resolve(), "codings"))
    return files, ""


def _check(path: Path, role: str, by_path: dict[str, set[str]], known: dict[str, str]) -> FileCheck:
    loaded = sorted(by_path.get(str(path), set()))
    if not path.is_file():
        note = "" if loaded else "named by the case but never loaded"
        return FileCheck(str(path), role, "missing", None, loaded, note)
    sha, _size, _lines = file_sha256(path)
    if sha in known:
        note = "" if known[sha] == str(path) else f"same content loaded from {known[sha]}"
        return FileCheck(str(path), role, "ok", sha, [], note)
    if loaded:
        return FileCheck(str(path), role, "changed", sha, loaded)
    return FileCheck(str(path), role, "not loaded", sha)


def verify_case(store: GraphStore, case_dir: Path) -> VerifyReport:
    """Re-hash the inputs of the case in ``case_dir`` and compare them with the store's Sources."""
    case_dir = case_dir.resolve()
    case_path = case_dir / CASE_FILE if case_dir.is_dir() else case_dir
    if not case_path.parent.is_dir():
        raise InputError(f"{case_dir}: no such case folder", detail={"file": str(case_dir)})
    by_path: dict[str, set[str]] = {}
    known: dict[str, str] = {}
    for row in store.read(load_query("analysis/sources")):
        sha = str(row["id"]).removeprefix("src:")
        by_path.setdefault(str(row["path"]), set()).add(sha)
        known[sha] = str(row["path"])
    report = VerifyReport(str(case_dir))
    if not case_path.is_file() and not by_path.get(str(case_path)):
        raise InputError(f"{case_dir}: no {CASE_FILE} here and none was loaded from here",
                         detail={"file": str(case_path)})
    files, note = _inputs(case_path)
    for path, role in files:
        report.files.append(_check(path, role, by_path, known))
    if note:
        report.files[0].note = note
    return report
