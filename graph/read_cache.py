"""A read-through cache over a store, for one report that reads the same pages many times."""

from __future__ import annotations

import json
from typing import Any

from .queries import Query
from .store import GraphStore


class ReadCache:
    """Answers ``read`` from memory after the first time; everything else goes to the store.

    Only for the span of one report: it never sees later writes.
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.backend = store.backend
        self._rows: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def read(self, query: Query, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        key = (query.name, json.dumps(params or {}, sort_keys=True, default=str))
        if key not in self._rows:
            self._rows[key] = self.store.read(query, params)
        return self._rows[key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)
