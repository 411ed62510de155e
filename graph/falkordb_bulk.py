"""The binary format of FalkorDB's ``GRAPH.BULK`` command: nodes and relationships without Cypher.

``GRAPH.BULK graph [BEGIN] <nodes> <relationships> <node blobs> <relationship blobs> blob…``
creates a new graph (``BEGIN``) or goes on building it. Each blob holds entities of one
label set (``Person:Officer``) or one relationship type: a header (the name, NUL-terminated;
a 4-byte property count; the property names, NUL-terminated), then per entity its property
values in header order, each a type byte and its payload (a relationship first gives the
8-byte engine ids of its two ends). Nodes get engine ids in the order the server reads
them, counting from 0 for a new graph, so the sender knows every id it creates.

A string is NUL-terminated in this format, so a NUL in a value is written as U+2400, as
the Cypher path does (:data:`conductgraph.graph.falkordb_params.NUL_STAND_IN`).
:func:`encodable` tells which values cannot be sent at all (an integer beyond 64 bits, a
nested list, a value of another type); a record holding one goes through Cypher.

Example::

    >>> blob = node_blob("Group", ["id", "name"], [{"id": "group:x", "name": "Night shift"}])
    >>> blob[:6], len(blob)
    (b'Group\\x00', 40)
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from typing import Any

from .falkordb_params import NUL_STAND_IN

NULL, BOOL, DOUBLE, STRING, LONG, ARRAY = b"\x00", b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"
_TRUE, _FALSE = BOOL + b"\x01", BOOL + b"\x00"
_long = struct.Struct("<q").pack
_double = struct.Struct("<d").pack
_ends = struct.Struct("<QQ").pack
_count = struct.Struct("<I").pack
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_NUL_STAND_IN = NUL_STAND_IN.encode("utf-8")


def encodable(value: Any) -> bool:
    """Whether ``value`` can be a property value in a bulk blob."""
    cls = value.__class__
    if cls is str or cls is bool or cls is float or value is None:
        return True
    if cls is int:
        return _INT_MIN <= value <= _INT_MAX
    if cls is list:
        # FalkorDB's arrays may mix types, but not hold arrays in this format's reader.
        return all(item.__class__ is not list and encodable(item) for item in value)
    return False


def props_encodable(props: dict[str, Any]) -> bool:
    """Whether every value of ``props`` is :func:`encodable` (the common types checked inline:
    this runs for every record of a bulk load)."""
    for value in props.values():
        cls = value.__class__
        if cls is str or cls is bool or value is None or cls is float:
            continue
        if cls is int:
            if not _INT_MIN <= value <= _INT_MAX:
                return False
        elif not encodable(value):
            return False
    return True


def value_bytes(value: Any) -> bytes:
    """One property value: its type byte and payload (check :func:`encodable` first)."""
    cls = value.__class__
    if cls is str:
        # bytes.replace returns the same object when there is nothing to replace.
        return STRING + value.encode("utf-8").replace(NULL, _NUL_STAND_IN) + NULL
    if value is None:
        return NULL
    if cls is bool:
        return _TRUE if value else _FALSE
    if cls is int:
        return LONG + _long(value)
    if cls is float:
        return DOUBLE + _double(value)
    return ARRAY + _long(len(value)) + b"".join(value_bytes(item) for item in value)


def header(name: str, keys: Sequence[str]) -> bytes:
    """A blob's header: label set or relationship type, and its property names."""
    return (name.encode("utf-8") + NULL + _count(len(keys))
            + b"".join(key.encode("utf-8") + NULL for key in keys))


def node_blob(labels: str, keys: Sequence[str], rows: Iterable[dict[str, Any]]) -> bytes:
    """Nodes with ``labels`` (``A:B`` for two); each row's values for ``keys``, absent ones null."""
    return node_blob_values(labels, keys, ([row.get(key) for key in keys] for row in rows))


def node_blob_values(labels: str, keys: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """As :func:`node_blob`, each row given as its values in the order of ``keys``."""
    parts = [header(labels, keys)]
    append = parts.append
    for values in rows:
        # Consecutive strings are joined as text and encoded at once (most values are
        # strings; the type byte and the terminator are ASCII): 20 % faster than a call each.
        text: list[str] = []
        for value in values:
            if value.__class__ is str:
                if "\x00" in value:
                    value = value.replace("\x00", NUL_STAND_IN)
                text += ("\x03", value, "\x00")
            else:
                if text:
                    append("".join(text).encode("utf-8"))
                    text = []
                # value_bytes' common cases inline: this runs for every value of every message.
                cls = value.__class__
                if cls is bool:
                    append(_TRUE if value else _FALSE)
                elif value is None:
                    append(NULL)
                elif cls is int:
                    append(LONG + _long(value))
                else:
                    append(value_bytes(value))
        if text:
            append("".join(text).encode("utf-8"))
    return b"".join(parts)


def rel_blob(rel_type: str, keys: Sequence[str],
             rows: Iterable[tuple[int, int, dict[str, Any]]]) -> bytes:
    """Relationships ``(start engine id, end engine id, properties)`` of one type."""
    parts = [header(rel_type, keys)]
    for start, end, props in rows:
        parts.append(_ends(start, end))
        if keys:
            get = props.get
            parts.extend(value_bytes(get(key)) for key in keys)
    return b"".join(parts)


def property_keys(rows: Iterable[dict[str, Any]]) -> list[str]:
    """The property names any of ``rows`` has, in first-seen order (a blob's header)."""
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            if key not in seen:
                seen[key] = None
    return list(seen)
