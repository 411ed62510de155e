"""The CSV dialect of ``neo4j-admin database import``: headers, typed cells, and reading back.

Headers name an id space per label (``id:ID(Person)``, ``:START_ID(Person)``,
``:END_ID(Message)``), the labels (``:LABEL``) and the relationship type (``:TYPE``), and
type every property (``line:long``, ``resolved:boolean``, ``aliases:string[]``).

Cells: a string is always quoted (inner quotes doubled), so an empty string (``""``) and
a missing value (an empty unquoted cell, which neo4j-admin leaves unset) stay apart;
numbers and booleans are bare; arrays and labels are joined with :data:`ARRAY_DELIMITER`
(pass the same to ``--array-delimiter``). Strings may hold newlines, hence
``--multiline-fields=true``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import InputError
from .schema import Prop

#: U+001F (unit separator): never part of a name, handle, term or id.
ARRAY_DELIMITER = "\x1f"
#: How ``import.sh`` spells it for neo4j-admin (an octal escape, as its docs allow).
ARRAY_DELIMITER_ARG = "\\037"

#: Schema property type -> neo4j-admin header type. Times and dates stay text: the graph
#: contract stores them as sortable ISO strings on every backend.
HEADER_TYPES = {"string": "string", "time": "string", "date": "string", "int": "long",
                "float": "double", "bool": "boolean", "list[string]": "string[]"}


def prop_header(prop: Prop) -> str:
    return f"{prop.name}:{HEADER_TYPES[prop.type]}"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def cell(value: Any) -> str:
    """One CSV cell in neo4j-admin's dialect (see module docs)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return join_array([str(v) for v in value])
    return _quote(str(value))


def join_array(items: list[str]) -> str:
    bad = [v for v in items if ARRAY_DELIMITER in v]
    if bad:
        raise InputError(f"an array value holds the array delimiter U+001F: {bad[0]!r}",
                         detail={"value": bad[0]})
    return _quote(ARRAY_DELIMITER.join(items))


def row(cells: list[Any]) -> str:
    return ",".join(cell(v) for v in cells) + "\n"


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Column:
    """One header column: a property (``name``, ``type``) or a special (``:LABEL`` …)."""

    name: str
    type: str  # string, long, double, boolean, string[], or ID / LABEL / START_ID / END_ID / TYPE
    id_space: str | None = None


_HEADER = re.compile(r"^(?P<name>[^:]*):(?P<type>[A-Za-z_\[\]]+)(?:\((?P<space>[^)]*)\))?$")
_FIELD = re.compile(r'"((?:[^"]|"")*)"|([^,\n]*)')


def parse_header(line: str) -> list[Column]:
    cols = []
    for raw in split_record(line.rstrip("\n")):
        m = _HEADER.match(raw or "")
        if m is None:
            raise InputError(f"not a neo4j-admin header column: {raw!r}")
        cols.append(Column(m["name"], m["type"], m["space"]))
    return cols


def split_record(record: str) -> list[str | None]:
    """The cells of one record; an unquoted empty cell is None, ``""`` is an empty string."""
    out: list[str | None] = []
    pos = 0
    while True:
        m = _FIELD.match(record, pos)
        assert m is not None  # the second alternative matches the empty string
        if m.group(1) is not None:
            out.append(m.group(1).replace('""', '"'))
        else:
            out.append(m.group(2) or None)
        pos = m.end()
        if pos >= len(record):
            return out
        if record[pos] != ",":
            raise InputError(f"bad CSV at column {pos}: {record[:80]!r}")
        pos += 1


def records(f: IO[str]) -> Iterator[str]:
    """Logical records of a file opened with ``newline=""``: a quoted cell may span lines."""
    buf: list[str] = []
    quotes = 0
    for line in f:
        buf.append(line)
        quotes += line.count('"')
        if quotes % 2 == 0:
            text = "".join(buf)
            yield text[:-1] if text.endswith("\n") else text
            buf, quotes = [], 0
    if buf:
        raise InputError("CSV ends inside a quoted cell")


def typed(value: str | None, col: Column) -> Any:
    """A cell as the Python value its column's type says."""
    if value is None:
        return None
    kind = col.type
    if kind == "long":
        return int(value)
    if kind == "double":
        return float(value)
    if kind == "boolean":
        return value == "true"
    if kind.endswith("[]") or kind == "LABEL":
        return value.split(ARRAY_DELIMITER) if value else []
    return value


def read_header(path: Path) -> list[Column]:
    """The columns of a CSV written for neo4j-admin."""
    with open(path, encoding="utf-8", newline="") as f:
        return parse_header(next(records(f)))


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a CSV written for neo4j-admin, as typed dicts, streamed.

    Special columns are keyed ``:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID`` and ``:TYPE``.
    """
    with open(path, encoding="utf-8", newline="") as f:
        recs = records(f)
        cols = parse_header(next(recs))
        keys = [f":{c.type}" if c.type in ("ID", "LABEL", "START_ID", "END_ID", "TYPE")
                else c.name for c in cols]
        for rec in recs:
            cells = split_record(rec)
            if len(cells) != len(cols):
                raise InputError(f"{path}: {len(cells)} cells for {len(cols)} columns")
            yield {key: typed(value, col) for key, col, value in zip(keys, cols, cells, strict=True)}
