"""Neo4j, the production store, through the official driver.

Thin on purpose: the same ``cypher/`` files as FalkorDB, ``execute_query`` with
``database_=`` and ``routing_=`` always, parameters only. One driver per store
object; the CLI and the API each open one store per process.
"""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import (
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
)
from neo4j.graph import Node, Path, Relationship

from .errors import (
    ConductGraphError,
    QueryError,
    QueryTimeoutError,
    ReadOnlyError,
    StoreUnavailableError,
)
from .queries import Query, load_query, schema_statements
from .settings import Settings
from .store import QueryResult


def to_plain(value: Any) -> Any:
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": dict(value)}
    if isinstance(value, Relationship):
        return {"type": value.type, "properties": dict(value)}
    if isinstance(value, Path):
        return {
            "nodes": [to_plain(n) for n in value.nodes],
            "relationships": [to_plain(r) for r in value.relationships],
        }
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


def translate_error(exc: Exception, query_name: str | None = None) -> ConductGraphError:
    if isinstance(exc, (ServiceUnavailable, DriverError, OSError)) and not isinstance(
        exc, Neo4jError
    ):
        return StoreUnavailableError(f"Neo4j is not reachable: {exc}")
    detail: dict[str, Any] = {"engine": "neo4j"}
    if query_name:
        detail["query"] = query_name
    code = getattr(exc, "code", "") or ""
    message = getattr(exc, "message", None) or str(exc)
    detail["engine_code"] = code
    if "AccessMode" in code or "Forbidden" in code or "read access mode" in message:
        return ReadOnlyError("this query writes; only read-only queries are allowed", detail=detail)
    if "TransactionTimedOut" in code or "Terminated" in code:
        return QueryTimeoutError(f"query timed out: {message}", detail=detail)
    return QueryError(message, detail=detail)


class Neo4jStore:
    backend = "neo4j"

    def __init__(self, settings: Settings) -> None:
        if not settings.neo4j_uri:
            raise StoreUnavailableError("CONDUCTGRAPH_BACKEND=neo4j needs NEO4J_URI")
        self.settings = settings
        self.database = settings.neo4j_database
        self.driver = GraphDatabase.driver(
            settings.neo4j_uri,
            auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
        )

    def _execute(self, text: str, params: dict[str, Any], routing: RoutingControl,
                 name: str | None) -> tuple[list[str], list[dict[str, Any]]]:
        try:
            records, _, keys = self.driver.execute_query(
                text, params, database_=self.database, routing_=routing
            )
        except (Neo4jError, DriverError, OSError) as exc:
            raise translate_error(exc, name) from exc
        return list(keys), [{k: to_plain(r[k]) for k in keys} for r in records]

    def ensure_schema(self) -> None:
        for statement in schema_statements("neo4j"):
            self._execute(statement, {}, RoutingControl.WRITE, "schema/neo4j")

    def write(self, query: Query, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self._execute(query.text, params, RoutingControl.WRITE, query.name)[1]

    def read(self, query: Query, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._execute(query.text, params or {}, RoutingControl.READ, query.name)[1]

    def read_user(
        self,
        text: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_ms: int | None = None,
        row_limit: int | None = None,
    ) -> QueryResult:
        timeout_ms = timeout_ms or self.settings.query_timeout_ms
        row_limit = row_limit or self.settings.query_row_limit

        def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[dict[str, Any]], bool]:
            result = tx.run(text, params or {})
            keys = list(result.keys())
            rows: list[dict[str, Any]] = []
            for record in result:
                if len(rows) == row_limit:
                    return keys, rows, True
                rows.append({k: to_plain(record[k]) for k in keys})
            return keys, rows, False

        # A READ session refuses writes on a single server and a cluster alike.
        try:
            with self.driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS
            ) as session:
                keys, rows, truncated = session.execute_read(
                    neo4j.unit_of_work(timeout=timeout_ms / 1000)(work)
                )
        except (Neo4jError, DriverError, OSError) as exc:
            raise translate_error(exc) from exc
        return QueryResult(columns=keys, rows=rows, truncated=truncated)

    def clear(self) -> None:
        query = load_query("admin/clear_all")
        self._execute(query.text, {}, RoutingControl.WRITE, query.name)

    def ping(self) -> bool:
        try:
            self.driver.verify_connectivity()
            return True
        except (Neo4jError, DriverError, OSError):
            return False

    def close(self) -> None:
        self.driver.close()


__all__ = ["Neo4jStore", "ClientError"]
