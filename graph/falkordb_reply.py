"""FalkorDB's compact replies, decoded straight into the store's plain values.

The official client decodes a reply cell by cell into its own ``Node``/``Edge`` objects,
which :func:`conductgraph.graph.falkordb_store.to_plain` then copied into plain dicts:
for a 500-node subgraph that was most of the request's Python time. This module reads
the same compact format (``GRAPH.QUERY … --compact``: every cell ``[type, value]``, labels,
relationship types and property names as ids into the graph's schema) and builds the
plain values at once. It gives exactly what ``to_plain(client_value)`` gives; types that
are rare in this project's queries (paths, points, vectors, temporal values) go through
the client's own decoder. ``tests/test_falkordb_reply.py`` checks the two agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from falkordb.query_result import parse_scalar
from redis.exceptions import ResponseError

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
        cell = self.cell
        # Integers and strings inline: most cells of most replies, and a call each was most
        # of the decoding time.
        return names, [dict(zip(names, [value if kind in _AS_IS else cell([kind, value])
                                        for kind, value in row], strict=True)) for row in reply[1]]

    def cell(self, cell: list[Any]) -> Any:
        kind, value = cell
        if kind in _AS_IS:
            return value
        if kind == _NULL:
            return None
        if kind == _NODE:
            return self._node(value)
        if kind == _ARRAY:
            cell_of = self.cell
            return [cell_of(item) for item in value]
        if kind == _EDGE:
            return {"type": self._name("relationships", "get_relation", value[1]),
                    "properties": self._properties(value[4])}
        if kind == _MAP:
            cell_of = self.cell
            return {value[i]: cell_of(value[i + 1]) for i in range(0, len(value), 2)}
        if kind == _BOOLEAN:
            return value == "true"
        if kind == _DOUBLE:
            return float(value)
        # Paths, points, vectors, dates and times: as the client decodes them.
        return self.to_plain(parse_scalar(cell, self.graph))

    def _node(self, value: list[Any]) -> dict[str, Any]:
        ids = value[1]
        if len(ids) == 1:  # most nodes: no sort
            labels = [self._name("labels", "get_label", ids[0])]
        else:
            labels = sorted(self._name("labels", "get_label", i) for i in ids)
        return {"labels": labels, "properties": self._properties(value[2])}

    def _properties(self, entries: list[list[Any]]) -> dict[str, Any]:
        names = self.graph.schema.properties
        cell = self.cell
        out: dict[str, Any] = {}
        for key_id, kind, value in entries:
            try:
                name = names[key_id]
            except IndexError:
                name = self.graph.schema.get_property(key_id)  # refreshes the cached names
                names = self.graph.schema.properties
            out[name] = value if kind in _AS_IS else cell([kind, value])
        return out

    def _name(self, table: str, getter: str, index: int) -> str:
        try:
            return str(getattr(self.graph.schema, table)[index])
        except IndexError:
            return str(getattr(self.graph.schema, getter)(index))
