"""The embedded default store: FalkorDB over a Unix socket in the data directory."""

from __future__ import annotations

import contextlib
import re
import time
from typing import Any

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as FPath

from . import falkordb_server
from .errors import (
    ConductGraphError,
    InputError,
    QueryError,
    QueryTimeoutError,
    ReadOnlyError,
    StoreUnavailableError,
)
from .falkordb_params import EncodedParams, params_header
from .falkordb_reply import NATIVE, ReplyDecoder
from .falkordb_wire import FalkorDBWire
from .queries import Query, load_query, schema_statements
from .settings import Settings
from .store import QueryResult

_POSITION = re.compile(r"line: (\d+), column: (\d+), offset: (\d+)")
_INDEX_DDL = re.compile(r"(?:CREATE|DROP) INDEX FOR \(n:(\w+)\) ON \(n\.(\w+)\)")


def to_plain(value: Any) -> Any:
    """FalkorDB result values as plain Python values (see :mod:`conductgraph.graph.store`)."""
    kind = type(value)
    if kind is int or kind is str or value is None or kind is float or kind is bool:
        return value  # most cells: the common case first, it is most of a result's cost
    if isinstance(value, Node):
        return {"labels": sorted(value.labels or []), "properties": dict(value.properties)}
    if isinstance(value, Edge):
        return {"type": value.relation, "properties": dict(value.properties)}
    if isinstance(value, FPath):
        return {
            "nodes": [to_plain(n) for n in value.nodes()],
            "relationships": [to_plain(e) for e in value.edges()],
        }
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


def _index_of(statement: str) -> tuple[str, str] | None:
    """(label, property) of a ``CREATE INDEX``/``DROP INDEX`` statement of cypher/schema/."""
    m = _INDEX_DDL.match(statement)
    return (m[1], m[2]) if m else None


def translate_error(exc: Exception, query_name: str | None = None) -> ConductGraphError:
    """The project's error for a FalkorDB/redis exception, keeping the engine's message."""
    if isinstance(exc, (redis.ConnectionError, redis.TimeoutError, ConnectionError, OSError)):
        return StoreUnavailableError(f"the FalkorDB store is not reachable: {exc}")
    msg = str(exc)
    if msg.startswith("MISCONF") or "No space left" in msg:
        return StoreUnavailableError(f"the FalkorDB store cannot write: {msg}",
                                     detail={"engine": "falkordb"})
    detail: dict[str, Any] = {"engine": "falkordb"}
    if query_name:
        detail["query"] = query_name
    m = _POSITION.search(msg)
    if m:
        detail["position"] = {"line": int(m[1]), "column": int(m[2]), "offset": int(m[3])}
        msg = msg.split(" line:")[0].removeprefix("errMsg: ")
    if "read-only" in msg:
        return ReadOnlyError("this query writes; only read-only queries are allowed", detail=detail)
    if "timed out" in msg.lower():
        return QueryTimeoutError(f"query timed out: {msg}", detail=detail)
    return QueryError(msg, detail=detail)


class FalkorDBStore:
    backend = "falkordb"

    def __init__(self, settings: Settings, *, start: bool = True) -> None:
        self.settings = settings
        data_dir = settings.data_dir
        if start:
            falkordb_server.start(data_dir)
        elif not falkordb_server.ping(settings.socket_path):
            raise StoreUnavailableError(
                f"no FalkorDB server is running for {data_dir}; run `conductgraph db start`"
            )
        try:
            # The client talks to the server at once (INFO); it may have died since the ping.
            self._db = FalkorDB(unix_socket_path=str(settings.socket_path.resolve()))
        except (redis.RedisError, OSError) as exc:
            raise translate_error(exc) from exc
        self.graph = self._db.select_graph(settings.graph_name)
        self._decoder = ReplyDecoder(self.graph, to_plain)
        # Reads on connections of their own, replies decoded from their bytes, when the C
        # decoder is built (graph/falkordb_wire.py); otherwise through the client.
        self._wire = FalkorDBWire(settings.socket_path) if NATIVE else None

    # -- writes ---------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        existing = self._existing_indexes()
        for statement in schema_statements("falkordb_drop"):
            if _index_of(statement) in existing:
                try:
                    self.graph.query(statement)
                except (redis.RedisError, OSError) as exc:
                    raise translate_error(exc, "schema/falkordb_drop") from exc
        for statement in schema_statements("falkordb"):
            if _index_of(statement) in existing:
                continue
            try:
                self.graph.query(statement)
            except redis.ResponseError as exc:
                if "already indexed" not in str(exc):
                    raise translate_error(exc, "schema/falkordb") from exc
            except (redis.RedisError, OSError) as exc:
                raise translate_error(exc, "schema/falkordb") from exc

    def _existing_indexes(self) -> set[tuple[str, str]]:
        try:
            rows = self.graph.ro_query(load_query("admin/falkordb_indexes").text).result_set
        except redis.ResponseError:
            return set()  # the graph does not exist yet
        except (redis.ConnectionError, OSError) as exc:
            raise translate_error(exc) from exc
        return {(row[0], prop) for row in rows for prop in row[1]}

    def wait_for_indexes(self, timeout_s: float = 600.0) -> None:
        """Return once every index is built: FalkorDB builds a new index over existing nodes
        in the background, and a MERGE by id before that scans every node of its label."""
        deadline = time.monotonic() + timeout_s
        query = load_query("admin/falkordb_indexes")
        while any(row["status"] != "OPERATIONAL" for row in self.read(query)):
            if time.monotonic() > deadline:
                raise StoreUnavailableError(f"indexes were still being built after {timeout_s:.0f} s")
            time.sleep(0.05)

    def bulk_insert(self, node_blobs: list[bytes], rel_blobs: list[bytes], nodes: int, rels: int,
                    *, begin: bool) -> None:
        """One ``GRAPH.BULK`` command (see :mod:`conductgraph.graph.falkordb_bulk`): ``begin``
        creates the graph, which must not exist; later calls add to it."""
        args: list[Any] = [self.settings.graph_name, *(["BEGIN"] if begin else []),
                           nodes, rels, len(node_blobs), len(rel_blobs), *node_blobs, *rel_blobs]
        try:
            self._db.connection.execute_command("GRAPH.BULK", *args)
        except (redis.RedisError, OSError) as exc:
            raise translate_error(exc, "GRAPH.BULK") from exc

    @staticmethod
    def encode_params(params: dict[str, Any]) -> EncodedParams:
        """Serialize parameters ahead of :meth:`write`, e.g. on another thread than the send."""
        return EncodedParams(params_header(params))

    def write(self, query: Query, params: dict[str, Any] | EncodedParams) -> list[dict[str, Any]]:
        try:
            # The CYPHER parameter header, as the client itself would prepend it (ours also
            # copes with NUL characters).
            header = params if isinstance(params, EncodedParams) else params_header(params)
            return self._run("GRAPH.QUERY", header + query.text)[1]
        except (redis.RedisError, OSError) as exc:
            raise translate_error(exc, query.name) from exc

    # -- reads ----------------------------------------------------------------------------------
    def read(self, query: Query, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        try:
            return self._run("GRAPH.RO_QUERY", params_header(params or {}) + query.text)[1]
        except redis.ResponseError as exc:
            if "empty key" in str(exc):
                return []  # nothing loaded yet
            raise translate_error(exc, query.name) from exc
        except (redis.RedisError, OSError) as exc:
            raise translate_error(exc, query.name) from exc

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
        try:
            header = params_header(params or {})
        except (TypeError, ValueError) as exc:
            raise InputError(f"query parameters: {exc}", detail={"field": "params"}) from exc
        try:
            columns, rows = self._run("GRAPH.RO_QUERY", header + text, timeout_ms)
        except redis.ResponseError as exc:
            if "empty key" in str(exc):
                return QueryResult(columns=[], rows=[])
            raise translate_error(exc) from exc
        except (redis.RedisError, OSError) as exc:
            raise translate_error(exc) from exc
        return QueryResult(columns=columns, rows=rows[:row_limit], truncated=len(rows) > row_limit)

    def _run(self, command: str, text: str, timeout_ms: int | None = None
             ) -> tuple[list[str], list[dict[str, Any]]]:
        """Columns and plain rows of one query (``text`` with its parameter header)."""
        args: list[Any] = [command, self.graph.name, text, "--compact"]
        if timeout_ms:
            args += ["timeout", timeout_ms]
        if self._wire is not None and command == "GRAPH.RO_QUERY":
            return self._decoder.wire_rows(self._wire.request(*args))
        return self._decoder.rows(self.graph.execute_command(*args))

    def clear(self) -> None:
        try:
            self.graph.delete()
        except redis.ResponseError:
            pass  # no graph yet
        except (redis.RedisError, OSError) as exc:
            raise translate_error(exc) from exc

    def ping(self) -> bool:
        return falkordb_server.ping(self.settings.socket_path)

    def close(self) -> None:
        # Closing a connection to a server that died must not fail.
        with contextlib.suppress(Exception):
            self._db.connection.close()
        if self._wire is not None:
            self._wire.close()
