"""FalkorDB's compact replies, decoded straight into the store's plain values.

The official client decodes a reply cell by cell into its own ``Node``/``Edge`` objects,
which :func:`conductgraph.graph.falkordb_store.to_plain` then copied into plain dicts:
for a 500-node subgraph that was most of the request's Python time. This module reads
the same compact format (``GRAPH.QUERY … --compact``: every cell ``[type, value]``, labels,
relationship types and property names as ids into the graph's schema) and builds the
plain values at once. It gives exactly what ``to_plain(client_value)`` gives; types that
are rare in this project's queries (paths, points, vectors, temporal values) go through
the client's own decoder. ``tests/test_falkordb_reply.py`` checks the two agree.

Reads of the embedded store come as bytes instead (:mod:`.falkordb_wire`) and
:meth:`ReplyDecoder.wire_rows` has :mod:`compact_reply` (``graph/compact_reply.c``) read them
when ``pip install`` could build it (it needs a C compiler; without one the install goes on
without it): the same values in a fifth of the time. The Python below decodes every other
reply, and is the reference the tests hold the C to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from falkordb.query_result import parse_scalar
from redis._parsers.base import BaseParser
from redis.exceptions import ResponseError

try:
    from . import compact_reply  # type: ignore[attr-defined]
except ImportError:  # built without a C compiler: the Python below does the same
    compact_reply = None

#: Whether this installation decodes with the C module.
NATIVE = compact_reply is not None

# Cell types of the compact format (falkordb.query_result.ResultSetScalarTypes).
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY, _EDGE, _NODE, _PATH, _MAP = range(1, 11)
#: Cells whose value is already the plain value: the client decodes the reply
#: (``decode_responses``), so strings arrive as str and integers as int.
_AS_IS = frozenset({_STRING, _INTEGER})


class ReplyDecoder:
    """Decodes replies of one graph; ``graph`` is the client's graph (for its schema cache,
    which refreshes itself when a reply names a label or property it has not seen)."""

    def __init__(self, graph: Any, to_plain: Callable[[Any], Any]) -> None:
        self.graph = graph
        self.to_plain = to_plain
        # One method per kind of cell that is not already its plain value: a dict lookup
        # instead of a chain of tests, for the hundreds of node and map cells of a reply.
        self._by_kind: dict[int, Callable[[Any], Any]] = {
            _NULL: lambda value: None, _NODE: self._node, _MAP: self._map, _ARRAY: self._array,
            _EDGE: self._edge, _BOOLEAN: lambda value: value == "true", _DOUBLE: float,
        }

    def rows(self, reply: list[Any]) -> tuple[list[str], list[dict[str, Any]]]:
        """Column names and rows (dicts by column) of a ``--compact`` query reply."""
        # A query that fails while running comes back as an error element of the reply.
        if isinstance(reply[0], ResponseError):
            raise reply[0]
        if isinstance(reply[-1], ResponseError):
            raise reply[-1]
        if len(reply) == 1:
            return [], []  # statistics only: a write that returns nothing
        names = [column[1] for column in reply[0]]
        if not names:
            return [], []
        value_of = self.value
        # Integers and strings inline: most cells of most replies.
        return names, [dict(zip(names, [value if kind in _AS_IS else value_of(kind, value)
                                        for kind, value in row], strict=True)) for row in reply[1]]

    def wire_rows(self, reply: bytes | bytearray) -> tuple[list[str], list[dict[str, Any]]]:
        """Column names and rows of a ``--compact`` query reply's bytes (RESP), read by the C
        module at once (:mod:`conductgraph.graph.falkordb_wire`); errors raised as the
        redis client raises them."""
        schema = self.graph.schema
        # The exception an error reply stands for: the redis client's own mapping.
        make_error = BaseParser.parse_error
        try:
            parsed = compact_reply.query_reply(reply, schema.labels, schema.properties,
                                               schema.relationships, self.value, make_error)
        except IndexError:
            # A label, type or key newer than the cached names: the lists, then rows() looks it up.
            parsed = compact_reply.reply(reply, make_error)
        if isinstance(parsed, tuple):
            names, rows, statistics = parsed
            if isinstance(statistics, ResponseError):
                raise statistics
            return (names, rows) if names else ([], [])
        if isinstance(parsed, ResponseError):
            raise parsed
        return self.rows(parsed)

    def value(self, kind: int, value: Any) -> Any:
        """The plain value of a cell of type ``kind``."""
        if kind in _AS_IS:
            return value
        decode = self._by_kind.get(kind)
        if decode is not None:
            return decode(value)
        # Paths, points, vectors, dates and times: as the client decodes them.
        return self.to_plain(parse_scalar([kind, value], self.graph))

    def _array(self, value: list[Any]) -> list[Any]:
        value_of = self.value
        return [item[1] if item[0] in _AS_IS else value_of(item[0], item[1]) for item in value]

    def _map(self, value: list[Any]) -> dict[str, Any]:
        if not value:
            return {}
        value_of = self.value
        pairs = iter(value)
        return {key: cell[1] if cell[0] in _AS_IS else value_of(cell[0], cell[1])
                for key, cell in zip(pairs, pairs, strict=True)}

    def _edge(self, value: list[Any]) -> dict[str, Any]:
        return {"type": self._name("relationships", "get_relation", value[1]),
                "properties": self._properties(value[4])}

    def _node(self, value: list[Any]) -> dict[str, Any]:
        ids = value[1]
        if len(ids) == 1:  # most nodes: no sort
            labels = [self._name("labels", "get_label", ids[0])]
        else:
            labels = sorted(self._name("labels", "get_label", i) for i in ids)
        return {"labels": labels, "properties": self._properties(value[2])}

    def _properties(self, entries: list[list[Any]]) -> dict[str, Any]:
        names = self.graph.schema.properties
        value_of = self.value
        try:
            return {names[key]: value if kind in _AS_IS else value_of(kind, value)
                    for key, kind, value in entries}
        except IndexError:
            pass
        # A property key newer than the cached names: look each one up (refreshes the cache).
        schema = self.graph.schema
        return {schema.get_property(key): value_of(kind, value) for key, kind, value in entries}

    def _name(self, table: str, getter: str, index: int) -> str:
        try:
            return str(getattr(self.graph.schema, table)[index])
        except IndexError:
            return str(getattr(self.graph.schema, getter)(index))
