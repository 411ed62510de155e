"""A user's read-only Cypher: checked, then run with the settings' time and row limits."""

from __future__ import annotations

import re
from typing import Any

from .cypher_guard import check_read_only
from .errors import InputError
from .store import GraphStore, QueryResult

_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def check_params(params: dict[str, Any]) -> None:
    """Parameter names must be plain identifiers; values JSON (strings, numbers, lists, maps)."""
    for name in params:
        if not _PARAM_NAME.match(name):
            raise InputError(f"parameter name {name!r} is not an identifier", detail={"field": "params"})


def run_user_cypher(store: GraphStore, text: str, params: dict[str, Any] | None = None, *,
                    timeout_ms: int | None = None, row_limit: int | None = None) -> QueryResult:
    """Refuse writes (:class:`ReadOnlyError`), then run read-only with the time and row limits
    (the store's settings when not given)."""
    check_read_only(text)
    check_params(params or {})
    return store.read_user(text, params or {}, timeout_ms=timeout_ms, row_limit=row_limit)
