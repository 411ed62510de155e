"""Stream the record arrays out of a large JSON export with ``ijson``.

Messenger and Telegram exports share one shape: an object (the *container*: a
thread, a chat) holding a few small header fields and one huge ``messages``
array. :func:`walk` scans the file once, event by event, and reports

- :class:`RecordsStart` when a container's records array opens, with the header
  fields of that container seen so far,
- :class:`Item` for each element of the array (built into Python objects one at
  a time, so memory stays flat however large the file is),
- :class:`ContainerEnd` when a container closes, with all its header fields
  (also those written after the array, as Messenger does with ``title``),
- :class:`Broken` once, if the file stops being valid JSON; nothing follows it.

Containers are recognised by their ijson prefix (``""`` for the root,
``"chats.list.item"`` for a chat in a Telegram full export), so a key named
``messages`` deeper inside a record is never mistaken for a records array.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import ijson

_BOM = b"\xef\xbb\xbf"
_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
#: How much of a broken file's tail to keep as the raw text of its Rejected record.
RAW_LIMIT = 2000
#: Real records nest a few levels; deeper ones are not built (Python would recurse on
#: them when writing or freeing them) but skipped and reported.
MAX_DEPTH = 64
#: Containers, their header fields and records all sit this close to the root.
_SHALLOW = 8


@dataclass(slots=True)
class RecordsStart:
    container: str
    header: dict[str, Any]


@dataclass(slots=True)
class Item:
    container: str
    #: 1-based position in the records array.
    index: int
    value: Any
    #: Set when the record could not be built (then ``value`` is None).
    error: str | None = None


class TooDeep(ValueError):
    """A value nested deeper than :data:`MAX_DEPTH`; its events were consumed, not built."""


@dataclass(slots=True)
class ContainerEnd:
    container: str
    header: dict[str, Any]
    had_records: bool
    count: int


@dataclass(slots=True)
class Broken:
    """The JSON stopped parsing. ``index`` is the position of the record that broke
    (the next one if the break fell between records); ``raw`` is the partly built
    record when the break fell inside one, else the tail of the file."""

    container: str | None
    index: int
    raw: str
    reason: str


Event = RecordsStart | Item | ContainerEnd | Broken


@dataclass(slots=True)
class _Frame:
    prefix: str
    #: Number of path components of ``prefix``.
    depth: int
    records_prefix: str
    header: dict[str, Any] = field(default_factory=dict)
    had_records: bool = False
    count: int = 0

    @property
    def records_item(self) -> str:
        return self.records_prefix + ".item"


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _build(first: tuple[str, Any], events: Iterator[tuple[str, Any]]) -> Any:
    """Build one JSON value whose first event is ``first`` from the rest of ``events``.

    On a parse error the exception carries the partial value as ``partial`` so the
    caller can keep what was read of a truncated record. A value nested deeper than
    :data:`MAX_DEPTH` is consumed to its end and raises :class:`TooDeep`.
    """
    builder = ijson.ObjectBuilder()
    event, value = first
    builder.event(event, value)
    if event not in _OPEN:
        return builder.value
    depth = 1
    too_deep = False
    try:
        for event, value in events:
            if event in _OPEN:
                depth += 1
                too_deep = too_deep or depth > MAX_DEPTH
            elif event in _CLOSE:
                depth -= 1
            if not too_deep:
                builder.event(event, value)
            if depth == 0:
                break
    except Exception as exc:
        exc.partial = None if too_deep else getattr(builder, "value", None)  # type: ignore[attr-defined]
        raise
    if too_deep:
        raise TooDeep(f"nested more than {MAX_DEPTH} levels deep")
    return builder.value


def _skip(first_event: str, events: Iterator[tuple[str, Any]]) -> None:
    """Consume the rest of a value whose first event was ``first_event``."""
    if first_event not in _OPEN:
        return
    depth = 1
    for event, _value in events:
        if event in _OPEN:
            depth += 1
        elif event in _CLOSE:
            depth -= 1
            if depth == 0:
                return


def _tail(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            size = fh.seek(0, 2)
            fh.seek(max(0, size - RAW_LIMIT))
            return fh.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def dumps(value: Any) -> str:
    """The JSON text of a record, for a Rejected record's ``raw``."""
    try:
        return json.dumps(value, ensure_ascii=False, default=_number)
    except (TypeError, ValueError, RecursionError):
        return repr(value)[:RAW_LIMIT]


def _number(value: Any) -> Any:
    # ijson gives non-integer numbers as Decimal; json can't write those itself.
    if isinstance(value, Decimal):
        # Bounded first: int() of a Decimal like 1e999999999 would take forever.
        if abs(value) < 10**18 and value == value.to_integral_value():
            return int(value)
        return float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def walk(
    path_: Path,
    is_container: Callable[[str], bool],
    header_keys: frozenset[str],
    *,
    records_key: str = "messages",
    build_items: bool = True,
) -> Iterator[Event]:
    """Scan ``path_`` once and report containers, their headers and their records.

    ``is_container(prefix)`` says which objects hold a records array; only the
    ``header_keys`` of a container are built (so a full export's other sections are
    skipped, not loaded). ``build_items=False`` counts records without building them
    (a cheap first pass to read header fields that follow the array).
    """
    frames: list[_Frame] = []
    last: _Frame | None = None  # the records array most recently open, for Broken.index
    in_item: _Frame | None = None
    # The path to the current value, as ijson prefixes spell it ("chats.list.item").
    # Tracked here rather than taken from ijson.parse, whose prefix strings grow with
    # nesting depth and make a deeply nested file quadratic; only shallow paths matter.
    path: list[str] = []
    with path_.open("rb") as fh:
        if fh.read(3) != _BOM:  # yajl rejects a byte-order mark; some editors add one
            fh.seek(0)
        # Not use_float: with it yajl fails on integers beyond 64 bits; reals come as Decimal.
        events = iter(ijson.basic_parse(fh))
        try:
            for event, value in events:
                if event == "map_key":
                    path[-1] = value
                    continue
                if event in _CLOSE:
                    path.pop()
                    top = frames[-1] if frames else None
                    if (event == "end_map" and top is not None and len(path) == top.depth
                            and ".".join(path) == top.prefix):
                        frames.pop()
                        yield ContainerEnd(top.prefix, top.header, top.had_records, top.count)
                    continue
                # A value starts here (a scalar, or the opening of a map or array).
                if len(path) > _SHALLOW:
                    if event in _OPEN:
                        _skip(event, events)
                    continue
                prefix = ".".join(path)
                top = frames[-1] if frames else None
                if top is not None and event == "start_array" and prefix == top.records_prefix:
                    top.had_records = True
                    last = top
                    path.append("item")
                    yield RecordsStart(top.prefix, dict(top.header))
                    continue
                if top is not None and top.had_records and prefix == top.records_item:
                    top.count += 1
                    if not build_items:
                        _skip(event, events)
                        continue
                    in_item = top
                    try:
                        item = Item(top.prefix, top.count, _build((event, value), events))
                    except TooDeep as exc:
                        item = Item(top.prefix, top.count, None, str(exc))
                    in_item = None
                    yield item
                    continue
                if event == "start_map" and is_container(prefix):
                    frames.append(_Frame(prefix, len(path), _join(prefix, records_key)))
                    path.append("")
                    continue
                if top is not None and len(path) == top.depth + 1 and path[-1] in header_keys \
                        and prefix.rpartition(".")[0] == top.prefix:
                    try:
                        top.header[path[-1]] = _build((event, value), events)
                    except TooDeep:
                        top.header.pop(path[-1], None)
                    continue
                if event in _OPEN:
                    path.append("" if event == "start_map" else "item")
        except Exception as exc:  # ijson raises several types (JSONError, ValueError, …)
            partial = getattr(exc, "partial", None)
            if in_item is not None:
                index = in_item.count
                raw = dumps(partial) if partial is not None else ""
                container: str | None = in_item.prefix
            else:
                index = last.count + 1 if last is not None else 1
                raw = _tail(path_)
                container = last.prefix if last is not None else None
            # yajl's message continues with an ASCII-art pointer; its first line says it all.
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            yield Broken(container, index, raw, f"invalid JSON: {message}")
