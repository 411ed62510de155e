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
from pathlib import Path
from typing import Any

import ijson

_BOM = b"\xef\xbb\xbf"
_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
#: How much of a broken file's tail to keep as the raw text of its Rejected record.
RAW_LIMIT = 2000


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
    records_prefix: str
    header: dict[str, Any] = field(default_factory=dict)
    had_records: bool = False
    count: int = 0


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _build(first: tuple[str, Any], events: Iterator[tuple[str, str, Any]]) -> Any:
    """Build one JSON value whose first event is ``first`` from the rest of ``events``.

    On a parse error the exception carries the partial value as ``partial`` so the
    caller can keep what was read of a truncated record.
    """
    builder = ijson.ObjectBuilder()
    event, value = first
    builder.event(event, value)
    if event not in _OPEN:
        return builder.value
    depth = 1
    try:
        for _prefix, event, value in events:
            builder.event(event, value)
            if event in _OPEN:
                depth += 1
            elif event in _CLOSE:
                depth -= 1
                if depth == 0:
                    break
    except Exception as exc:
        exc.partial = getattr(builder, "value", None)  # type: ignore[attr-defined]
        raise
    return builder.value


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
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def walk(
    path: Path,
    is_container: Callable[[str], bool],
    header_keys: frozenset[str],
    *,
    records_key: str = "messages",
    build_items: bool = True,
) -> Iterator[Event]:
    """Scan ``path`` once and report containers, their headers and their records.

    ``is_container(prefix)`` says which objects hold a records array; only the
    ``header_keys`` of a container are built (so a full export's other sections are
    skipped, not loaded). ``build_items=False`` counts records without building them
    (a cheap first pass to read header fields that follow the array).
    """
    frames: list[_Frame] = []
    last: _Frame | None = None  # the records array most recently open, for Broken.index
    in_item: _Frame | None = None
    with path.open("rb") as fh:
        if fh.read(3) != _BOM:  # yajl rejects a byte-order mark; some editors add one
            fh.seek(0)
        events = iter(ijson.parse(fh, use_float=True))
        try:
            for prefix, event, value in events:
                top = frames[-1] if frames else None
                if top is not None and prefix == top.records_prefix:
                    if event == "start_array":
                        top.had_records = True
                        last = top
                        yield RecordsStart(top.prefix, dict(top.header))
                        continue
                    if event == "end_array":
                        continue
                if top is not None and top.had_records and prefix == top.records_prefix + ".item":
                    if event in _CLOSE:
                        continue
                    top.count += 1
                    if build_items:
                        in_item = top
                        item = _build((event, value), events)
                        in_item = None
                        yield Item(top.prefix, top.count, item)
                    continue
                if event == "start_map" and is_container(prefix):
                    frames.append(_Frame(prefix, _join(prefix, records_key)))
                    continue
                if event == "end_map" and top is not None and prefix == top.prefix:
                    frames.pop()
                    yield ContainerEnd(top.prefix, top.header, top.had_records, top.count)
                    continue
                if top is not None and event not in _CLOSE and event != "map_key":
                    parent, _, key = prefix.rpartition(".")
                    if parent == top.prefix and key in header_keys:
                        top.header[key] = _build((event, value), events)
        except Exception as exc:  # ijson raises several types (JSONError, ValueError, …)
            partial = getattr(exc, "partial", None)
            if in_item is not None:
                index = in_item.count
                raw = dumps(partial) if partial is not None else ""
                container: str | None = in_item.prefix
            else:
                index = last.count + 1 if last is not None else 1
                raw = _tail(path)
                container = last.prefix if last is not None else None
            yield Broken(container, index, raw, f"invalid JSON: {type(exc).__name__}: {exc}")
