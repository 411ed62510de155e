"""The exposure interval join, on plain Python data (no store).

Person P saw message M posted in group G when P is not M's sender and M's time
lies in one of P's membership intervals for G (from inclusive, to exclusive).
The join runs per group on sorted data, never members × messages:

* counting every message a person saw: for each of the person's merged intervals
  in a group, two binary searches in the group's sorted message times, minus two
  in the person's own sorted times in that group — O(intervals · log messages);
* the audience of each flagged message: one sweep over the group's sorted
  interval starts and ends in step with its sorted flagged messages, keeping the
  set of current members — O((intervals + flagged) · log + output).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

OPEN = 2**62  # the end of an interval still open (to = null)

Interval = tuple[int, int]


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of [from, to) intervals as sorted, disjoint, non-touching intervals.

    >>> merge_intervals([(5, 9), (1, 3), (3, 4), (8, 12)])
    [(1, 4), (5, 12)]
    """
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def clip(intervals: list[Interval], start: int | None, end: int | None) -> list[Interval]:
    """The intervals cut to [start, end); empty ones dropped."""
    lo = start if start is not None else -OPEN
    hi = end if end is not None else OPEN
    return [(max(a, lo), min(b, hi)) for a, b in intervals if min(b, hi) > max(a, lo)]


@dataclass
class GroupMessages:
    """All messages of one group: times, and each sender's own times (both sorted once)."""

    times: array = field(default_factory=lambda: array("q"))
    own: dict[str, array] = field(default_factory=lambda: defaultdict(lambda: array("q")))
    _sorted: bool = False

    def add(self, at: int, sender: str | None) -> None:
        self.times.append(at)
        if sender is not None:
            self.own[sender].append(at)
        self._sorted = False

    def sort(self) -> None:
        if not self._sorted:
            self.times = array("q", sorted(self.times))
            self.own = {s: array("q", sorted(t)) for s, t in self.own.items()}
            self._sorted = True

    def seen_by(self, person: str, intervals: list[Interval]) -> int:
        """Messages posted inside ``intervals`` by someone other than ``person``."""
        self.sort()
        own = self.own.get(person)
        n = 0
        for start, end in intervals:
            n += bisect_left(self.times, end) - bisect_left(self.times, start)
            if own is not None:
                n -= bisect_left(own, end) - bisect_left(own, start)
        return n


@dataclass(frozen=True)
class Flagged:
    """A flagged or cited message: what the sweep needs and what the report shows."""

    id: str
    group: str
    at: int
    sent_at: str
    sender: str | None
    categories: tuple[str, ...]
    cited_by: tuple[str, ...] = ()


def audiences(messages: list[Flagged], members: dict[str, list[Interval]]) -> dict[str, list[str]]:
    """Message id → people who were members of its group when it was posted (sender excluded).

    ``messages`` are one group's; ``members`` maps person → merged intervals in that group.

    >>> m = [Flagged("m1", "g", 10, "", "a", ()), Flagged("m2", "g", 20, "", "b", ())]
    >>> audiences(m, {"a": [(0, 15)], "b": [(5, 30)], "c": [(15, 25)]})
    {'m1': ['b'], 'm2': ['c']}
    """
    events: list[tuple[int, int, str]] = []
    for person, intervals in members.items():
        for start, end in intervals:
            events.append((start, 1, person))
            events.append((end, 0, person))
    events.sort()
    active: set[str] = set()
    out: dict[str, list[str]] = {}
    i = 0
    for msg in sorted(messages, key=lambda m: (m.at, m.id)):
        # Apply every start and end at or before the message: from inclusive, to exclusive.
        while i < len(events) and events[i][0] <= msg.at:
            _, is_start, person = events[i]
            if is_start:
                active.add(person)
            else:
                active.discard(person)
            i += 1
        out[msg.id] = sorted(active - {msg.sender}) if msg.sender in active else sorted(active)
    return out
