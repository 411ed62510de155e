"""The category taxonomy: the shipped default, or a case's own ``categories.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import CaseFileError
from .yaml_text import parse_yaml

DEFAULT_TAXONOMY = Path(__file__).resolve().parent / "categories.yaml"


def load_taxonomy(path: Path | None = None) -> list[dict[str, Any]]:
    """Categories as dicts with at least ``id``, ``name``, ``description``."""
    path = path or DEFAULT_TAXONOMY
    try:
        data = parse_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CaseFileError(f"{path}: cannot read the taxonomy: {exc}",
                            detail=[{"file": str(path), "field": "", "message": str(exc)}]) from exc
    cats = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(cats, list) or not all(isinstance(c, dict) and "id" in c for c in cats):
        raise CaseFileError(f"{path}: `categories` must be a list of objects with an id",
                            detail=[{"file": str(path), "field": "categories",
                                     "message": "not a list of categories"}])
    return cats
