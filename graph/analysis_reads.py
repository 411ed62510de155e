"""What the analyses read from a store, as plain Python values, large reads paged.

Every large read is keyset-paged on an id (``WHERE x.id > $after ORDER BY x.id
LIMIT $page``), which both FalkorDB and Neo4j run without holding the whole
result in one reply. Times stay ISO-8601 UTC text; :func:`epoch` turns one into
seconds when arithmetic is needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from .errors import InputError
from .exposure_join import OPEN, Interval, clip, merge_intervals
from .queries import load_query
from .store import GraphStore

PAGE = 20_000


def paged(store: GraphStore, query: str, key: str | None = None,
          page: int = PAGE) -> Iterator[dict[str, Any]]:
    """Rows of a query file over windows of ``page`` internal node ids (``$lo``, ``$hi``).

    Windows, not ``id > $after ORDER BY id LIMIT``: on FalkorDB that sorts the whole rest of
    the index for every page, so a pass over 1M messages took half an hour; a window of
    internal ids is a direct seek on both engines. ``key`` is kept for the callers' sake.
    """
    top = store.read(load_query("export/max_node_id"))
    max_id = top[0]["max_id"] if top else None
    if max_id is None:
        return
    q = load_query(query)
    for lo in range(0, int(max_id) + 1, page):
        yield from store.read(q, {"lo": lo, "hi": lo + page})


def epoch(text: str) -> int:
    """Seconds since 1970 of a UTC time text ``YYYY-MM-DDTHH:MM:SSZ``."""
    return int(datetime.fromisoformat(text).timestamp())


def utc_text(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_bound(value: str | date | datetime | None, name: str) -> str | None:
    """A ``--from``/``--to`` bound as UTC text: a date means its midnight UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=UTC)
        return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00Z"
    try:
        if len(value) == 10:
            return f"{date.fromisoformat(value).isoformat()}T00:00:00Z"
        return parse_bound(datetime.fromisoformat(value), name)
    except ValueError as exc:
        raise InputError(f"{name}: {value!r} is not a date (YYYY-MM-DD) or a time",
                         detail={"field": name}) from exc


@dataclass(frozen=True)
class Window:
    """The slice of data a report covers: one group or all, and a time range [start, end)."""

    group: str | None = None
    start: str | None = None
    end: str | None = None

    @classmethod
    def of(cls, group: str | None, date_from: Any, date_to: Any) -> Window:
        w = cls(normalise_group(group), parse_bound(date_from, "date_from"),
                parse_bound(date_to, "date_to"))
        if w.start and w.end and w.end <= w.start:
            raise InputError("date_to must be after date_from", detail={"field": "date_to"})
        return w

    def has_time(self, at: str) -> bool:
        return (self.start is None or at >= self.start) and (self.end is None or at < self.end)

    def has_group(self, group: str | None) -> bool:
        return self.group is None or group == self.group

    def settings(self) -> dict[str, Any]:
        return {"group": self.group, "date_from": self.start, "date_to": self.end}


def normalise_group(group: str | None) -> str | None:
    """``wa-team`` and ``group:wa-team`` name the same group."""
    if not group:
        return None
    return group if group.startswith("group:") else f"group:{group}"


def people(store: GraphStore) -> list[dict[str, Any]]:
    rows = store.read(load_query("analysis/people"))
    return [{"id": r["id"], "name": r["name"], "officer": "Officer" in (r["labels"] or []),
             "rank": r["rank"], "resolved": r["resolved"]} for r in rows]


def groups(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(load_query("analysis/groups"))


def check_group(store: GraphStore, window: Window) -> list[dict[str, Any]]:
    """All groups; an unknown ``window.group`` is an error that lists the known ones."""
    gs = groups(store)
    if window.group and window.group not in {g["id"] for g in gs}:
        known = ", ".join(g["id"] for g in gs) or "none"
        raise InputError(f"no group {window.group!r} (known: {known})", detail={"field": "group"})
    return gs


def categories(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(load_query("analysis/categories"))


def sources(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(load_query("analysis/sources"))


def memberships(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(load_query("analysis/memberships"))


def member_intervals(store: GraphStore, window: Window) -> dict[str, dict[str, list[Interval]]]:
    """Group → person → merged membership intervals in epoch seconds, cut to the window.

    The union of every ``MEMBER_OF`` interval whatever its evidence; ``to`` null is open.
    """
    return intervals_of(memberships(store), window)


def intervals_of(rows: list[dict[str, Any]], window: Window) -> dict[str, dict[str, list[Interval]]]:
    """:func:`member_intervals` from :func:`memberships` rows already read."""
    start = epoch(window.start) if window.start else None
    end = epoch(window.end) if window.end else None
    raw: dict[str, dict[str, list[Interval]]] = defaultdict(lambda: defaultdict(list))
    for ms in rows:
        if window.has_group(ms["group"]):
            raw[ms["group"]][ms["person"]].append(
                (epoch(ms["from"]), epoch(ms["to"]) if ms["to"] else OPEN))
    out: dict[str, dict[str, list[Interval]]] = {}
    for group, people in raw.items():
        merged = {p: clip(merge_intervals(iv), start, end) for p, iv in people.items()}
        out[group] = {p: iv for p, iv in merged.items() if iv}
    return out


def messages(store: GraphStore, page: int = PAGE) -> Iterator[dict[str, Any]]:
    """Every message posted in a group: ``id, sent_at, kind, group, sender`` (sender may be None)."""
    for row in paged(store, "analysis/messages_page", "id", page):
        if row["group"] is not None and row["sent_at"]:
            yield row


def flagged(store: GraphStore, page: int = PAGE) -> Iterator[dict[str, Any]]:
    """Flagged messages: ``id, categories, sent_at, kind, group, sender``."""
    yield from paged(store, "analysis/flagged_page", "id", page)


def flags(store: GraphStore, page: int = PAGE) -> dict[str, list[str]]:
    """Message id → the categories it is flagged as (by any method)."""
    return {r["id"]: sorted(r["categories"]) for r in flagged(store, page)}


def cited(store: GraphStore) -> dict[str, dict[str, Any]]:
    """Message id → ``findings`` citing it, with its ``sent_at, kind, group, sender``."""
    return {r["id"]: {**r, "findings": sorted(r["findings"])}
            for r in store.read(load_query("analysis/cited_messages"))}


def group_message_times(store: GraphStore, group: str, window: Window) -> Iterator[tuple[str | None,
                                                                                      list[str]]]:
    """``(sender, [sent_at, …])`` for one group's non-system messages in the window."""
    rows = store.read(load_query("analysis/group_message_times"),
                      {"group": group, "start": window.start or "", "end": window.end or "~"})
    for row in rows:
        yield row["sender"], row["times"]


def interactions(store: GraphStore, kind: str, page: int = PAGE) -> Iterator[dict[str, Any]]:
    """Replies (``kind="replies"``) or mentions between known people."""
    query = {"replies": "analysis/replies_page", "mentions": "analysis/mentions_page"}[kind]
    for row in paged(store, query, "id", page):
        if row["source"] and row["target"] and row["at"]:
            yield row


__all__ = ["Window", "PAGE", "paged", "epoch", "utc_text", "people", "groups", "categories",
           "sources", "memberships", "member_intervals", "intervals_of", "messages", "flagged",
           "flags", "cited", "group_message_times", "interactions"]
