"""JSON export: the report dict as it is, UTF-8, indented, keys in their built order."""

from __future__ import annotations

import json
from typing import Any


def to_json(report: dict[str, Any]) -> str:
    """The report as JSON text (ends with a newline)."""
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
