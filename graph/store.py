"""The one interface both stores implement, and :func:`open_store` to get one.

Reads return plain Python values (dicts, lists, strings, numbers) on both
backends: a node becomes ``{"labels": [...], "properties": {...}}``, a
relationship ``{"type": ..., "properties": {...}}``, a path
``{"nodes": [...], "relationships": [...]}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from .queries import Query
from .settings import Settings, get_settings


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False


class GraphStore(Protocol):
    """A graph database holding one case graph."""

    backend: str

    def ensure_schema(self) -> None:
        """Create the indexes and constraints of ``cypher/schema/<backend>.cypher``."""

    def write(self, query: Query, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Run a write query file in one transaction; returns its rows."""

    def read(self, query: Query, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only query file."""

    def read_user(
        self,
        text: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_ms: int | None = None,
        row_limit: int | None = None,
    ) -> QueryResult:
        """Run a user's Cypher read-only, with a time and a row limit."""

    def clear(self) -> None:
        """Delete the whole graph (tests and ``db reset``)."""

    def ping(self) -> bool:
        """True when the store answers."""

    def close(self) -> None: ...


def open_store(settings: Settings | None = None, *, start: bool = True) -> GraphStore:
    """The store the settings choose: embedded FalkorDB (started if need be) or Neo4j."""
    settings = settings or get_settings()
    if settings.backend == "neo4j":
        from .neo4j_store import Neo4jStore

        return Neo4jStore(settings)
    from .falkordb_store import FalkorDBStore

    return FalkorDBStore(settings, start=start)
