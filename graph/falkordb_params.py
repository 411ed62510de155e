"""Query parameters in FalkorDB's ``CYPHER name=value …`` header, fast.

FalkorDB takes parameters as Cypher literals in a header before the query text (the
official client builds it the same way). The client's serializer is generic and
recursive; this one produces the same text for the values the project sends (None,
bool, int, float, str, list, dict) at a fraction of the cost, which matters when a
load sends millions of rows. Strings escape exactly ``\\`` and ``"``, as the client
does; a NUL character, which FalkorDB cannot take, is written as U+2400.
Values never become query text: the header is a separate, parsed parameter section.
"""

from __future__ import annotations

from typing import Any

#: What a NUL character in a value is stored as on FalkorDB (U+2400 SYMBOL FOR NULL).
NUL_STAND_IN = "\u2400"


def literal(value: Any) -> str:
    """``value`` as a FalkorDB parameter literal (same output as falkordb's own serializer)."""
    t = type(value)
    if t is str:
        return _string(value)
    if value is None:
        return "null"
    if t is dict:
        return _map(value)
    if t is list or t is tuple:
        return "[" + ",".join(map(literal, value)) + "]"
    if t is bool or t is int or t is float:
        return str(value)
    if isinstance(value, str):  # str subclasses (enums)
        return _string(str(value))
    raise TypeError(f"cannot send a {t.__name__} as a query parameter")


def _string(value: str) -> str:
    if "\x00" in value:
        # FalkorDB reads the query text as a C string: a NUL would end it mid-parameter.
        value = value.replace("\x00", NUL_STAND_IN)
    if "\\" in value or '"' in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + value + '"'


_KEYS: dict[str, str] = {}


def _key(name: Any) -> str:
    key = str(name)
    if not key or "`" in key:
        raise ValueError(f"parameter map key {key!r} cannot be empty or hold a backtick")
    text = "`" + key + "`:"
    if len(_KEYS) < 10_000:  # property names; a caller's odd maps must not grow it forever
        _KEYS[key] = text
    return text


def _map(value: dict[Any, Any]) -> str:
    # A load sends millions of maps: keys' text is cached, and the common values (strings,
    # None, numbers) are written here rather than through another call to literal.
    parts = []
    for k, v in value.items():
        key = _KEYS.get(k) or _key(k)
        t = type(v)
        if t is str:
            parts.append(key + _string(v))
        elif v is None:
            parts.append(key + "null")
        elif t is int or t is bool or t is float:
            parts.append(key + str(v))
        else:
            parts.append(key + literal(v))
    return "{" + ",".join(parts) + "}"


class EncodedParams(str):
    """A ready ``CYPHER …`` parameter header (see :func:`params_header`)."""


def params_header(params: dict[str, Any]) -> str:
    """The ``CYPHER …`` header for ``params`` (empty for none)."""
    if not params:
        return ""
    out = ["CYPHER "]
    for key, value in params.items():
        if not key or "`" in key:
            raise ValueError(f"parameter name {key!r} cannot be empty or hold a backtick")
        out.append("`" + key + "`=" + literal(value) + " ")
    return "".join(out)
