"""Membership intervals from what exports show: events, first posts, participant lists.

Each export gives its own intervals per (person, group); :class:`MembershipLedger`
unions the intervals of every export of one group, so the same group exported
from two phones gives one history. Intervals are ``[from, to)``; ``to=None``
means still a member when the export was taken.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from conductgraph.graph.records import Rel

from .identity import utc_text

JOIN_KINDS = frozenset({"created", "added", "joined"})


@dataclass(slots=True)
class Interval:
    start: datetime
    end: datetime | None
    evidence: str  # event or inferred
    source: str


@dataclass
class ExportMembership:
    """Evidence from one export, folded into intervals by :meth:`intervals`."""

    source: str
    start: datetime | None = None
    # person -> [(time, is_join)]
    events: defaultdict[str, list[tuple[datetime, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    first_post: dict[str, datetime] = field(default_factory=dict)
    listed: set[str] = field(default_factory=set)

    def saw_time(self, at: datetime) -> None:
        if self.start is None or at < self.start:
            self.start = at

    def event(self, person: str, at: datetime, kind: str) -> None:
        self.saw_time(at)
        self.events[person].append((at, kind in JOIN_KINDS))

    def posted(self, person: str, at: datetime) -> None:
        self.saw_time(at)
        prev = self.first_post.get(person)
        if prev is None or at < prev:
            self.first_post[person] = at

    def list_participant(self, person: str) -> None:
        """Listed by the export (participants, device owner): a member when it was taken."""
        self.listed.add(person)

    def intervals(self) -> dict[str, list[Interval]]:
        if self.start is None:
            return {}
        out: dict[str, list[Interval]] = {}
        for person in set(self.events) | set(self.first_post) | self.listed:
            # Joins sort before leaves at the same instant.
            events = sorted(self.events.get(person, []), key=lambda e: (e[0], not e[1]))
            first_event = events[0][0] if events else None
            post = self.first_post.get(person)
            seen_early = (person in self.listed and not events) or (
                post is not None and (first_event is None or post < first_event)
            )
            result: list[Interval] = []
            # Seen with no earlier join: a member from the start of the export.
            if seen_early and (not events or events[0][1]):
                result.append(Interval(self.start, first_event, "inferred", self.source))
            open_at: datetime | None = None
            for at, is_join in events:
                if is_join and open_at is None:
                    open_at = at
                elif not is_join:
                    if open_at is not None:
                        result.append(Interval(open_at, at, "event", self.source))
                        open_at = None
                    elif not result:
                        # Left with no join seen: a member from the start of the export.
                        result.append(Interval(self.start, at, "inferred", self.source))
            if open_at is not None:
                result.append(Interval(open_at, None, "event", self.source))
            if result:
                out[person] = result
        return out


def union(intervals: list[Interval]) -> list[Interval]:
    """Merge overlapping or touching intervals; the merged one keeps its first part's evidence.

    >>> from datetime import datetime as d
    >>> u = union([Interval(d(2017, 1, 1), d(2017, 3, 1), "event", "a"),
    ...            Interval(d(2017, 2, 1), None, "inferred", "b")])
    >>> [(i.start.month, i.end, i.evidence) for i in u]
    [(1, None, 'event')]
    """
    out: list[Interval] = []
    for iv in sorted(intervals, key=lambda i: (i.start, i.evidence != "event")):
        last = out[-1] if out else None
        if last is not None and (last.end is None or iv.start <= last.end):
            if last.end is not None and (iv.end is None or iv.end > last.end):
                last.end = iv.end
        else:
            out.append(Interval(iv.start, iv.end, iv.evidence, iv.source))
    return out


class MembershipLedger:
    """Intervals of every export of every group, unioned per (person, group)."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], list[Interval]] = defaultdict(list)

    def add_export(self, group: str, export: ExportMembership) -> None:
        for person, intervals in export.intervals().items():
            self._by_key[(person, group)].extend(intervals)

    def relationships(self) -> Iterator[Rel]:
        for (person, group), intervals in sorted(self._by_key.items()):
            for iv in union(intervals):
                yield Rel("MEMBER_OF", "Person", person, "Group", group, {
                    "from": utc_text(iv.start),
                    "to": utc_text(iv.end) if iv.end else None,
                    "evidence": iv.evidence,
                    "source": iv.source,
                })
