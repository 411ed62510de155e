"""Who said how much, when: participation per person and group.

Per person (and per person and group): messages sent, share of the group's
traffic, active days, first and last message, hour-of-day (UTC) and month
profiles, flagged messages sent per category. Per group and month: messages,
members, active members (sent at least one message) and silent members (members
who sent none). System messages (joins, leaves) are not counted as sent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from . import analysis_reads as reads
from .analysis_reads import Window
from .exposure_join import Interval
from .provenance import provenance
from .store import GraphStore

REPORT_VERSION = 1


@dataclass
class Activity:
    """Counters of one person (in one group, or in all)."""

    sent: int = 0
    days: set[str] = field(default_factory=set)
    first: str | None = None
    last: str | None = None
    hours: list[int] = field(default_factory=lambda: [0] * 24)
    months: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    flagged: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, sent_at: str, categories: list[str]) -> None:
        self.sent += 1
        self.days.add(sent_at[:10])
        self.first = sent_at if self.first is None or sent_at < self.first else self.first
        self.last = sent_at if self.last is None or sent_at > self.last else self.last
        self.hours[int(sent_at[11:13])] += 1
        self.months[sent_at[:7]] += 1
        for c in categories:
            self.flagged[c] += 1

    def to_dict(self, categories: list[str]) -> dict[str, Any]:
        return {"messages_sent": self.sent, "active_days": len(self.days),
                "first_message": self.first, "last_message": self.last,
                "hours": list(self.hours), "months": dict(sorted(self.months.items())),
                "flagged_sent": {c: self.flagged.get(c, 0) for c in categories}}


def month_starts(first: str, last: str) -> list[str]:
    """``YYYY-MM`` of every month from ``first`` to ``last`` (times or months), inclusive.

    >>> month_starts("2017-11-20T00:00:00Z", "2018-02-01T00:00:00Z")
    ['2017-11', '2017-12', '2018-01', '2018-02']
    """
    y, m = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _month_bounds(month: str) -> Interval:
    y, m = int(month[:4]), int(month[5:7])
    nxt = (y + 1, 1) if m == 12 else (y, m + 1)
    start = datetime(y, m, 1, tzinfo=UTC)
    return int(start.timestamp()), int(datetime(nxt[0], nxt[1], 1, tzinfo=UTC).timestamp())


def _group_months(months: list[str], members: dict[str, list[Interval]],
                  active: dict[str, set[str]], traffic: dict[str, int]) -> list[dict[str, Any]]:
    rows = []
    for month in months:
        lo, hi = _month_bounds(month)
        present = sorted(p for p, iv in members.items() if any(a < hi and b > lo for a, b in iv))
        spoke = active.get(month, set())
        rows.append({"month": month, "messages": traffic.get(month, 0), "members": len(present),
                     "active": len(spoke), "silent": len([p for p in present if p not in spoke]),
                     "silent_members": [p for p in present if p not in spoke]})
    return rows


def participation_report(store: GraphStore, *, group: str | None = None, date_from: Any = None,
                         date_to: Any = None) -> dict[str, Any]:
    """The participation report as a JSON-ready dict (documented in docs/reports.md)."""
    window = Window.of(group, date_from, date_to)
    groups = [g for g in reads.check_group(store, window) if window.has_group(g["id"])]
    cats = [c["id"] for c in reads.categories(store)]
    flags = reads.flags(store)
    overall: dict[str, Activity] = defaultdict(Activity)
    per_group: dict[tuple[str, str], Activity] = defaultdict(Activity)
    traffic: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    active: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    totals: dict[str, int] = defaultdict(int)
    for m in reads.messages(store):
        if (m["kind"] == "system" or not window.has_group(m["group"])
                or not window.has_time(m["sent_at"])):
            continue
        g, at = m["group"], m["sent_at"]
        totals[g] += 1
        traffic[g][at[:7]] += 1
        if m["sender"] is None:
            continue
        categories = flags.get(m["id"], [])
        overall[m["sender"]].add(at, categories)
        per_group[(m["sender"], g)].add(at, categories)
        active[g][at[:7]].add(m["sender"])
    members = reads.member_intervals(store, window)
    people = []
    for p in reads.people(store):
        row = {"id": p["id"], "name": p["name"], "officer": p["officer"], "rank": p["rank"],
               **overall.get(p["id"], Activity()).to_dict(cats), "groups": []}
        for g in groups:
            act = per_group.get((p["id"], g["id"]))
            if act is None and p["id"] not in members.get(g["id"], {}):
                continue
            act = act or Activity()
            row["groups"].append({"group": g["id"], **act.to_dict(cats),
                                  "share": round(act.sent / totals[g["id"]], 4)
                                  if totals.get(g["id"]) else 0.0,
                                  "member": p["id"] in members.get(g["id"], {})})
        people.append(row)
    group_rows = []
    for g in groups:
        gid = g["id"]
        months = sorted(traffic[gid])
        span = month_starts(months[0], months[-1]) if months else []
        group_rows.append({**g, "messages": totals.get(gid, 0),
                           "senders": len({p for p, gg in per_group if gg == gid}),
                           "members": len(members.get(gid, {})),
                           "months": _group_months(span, members.get(gid, {}), active[gid],
                                                   traffic[gid])})
    return {"report": "participation", "version": REPORT_VERSION,
            "provenance": provenance(store, window.settings()),
            "categories": cats, "groups": group_rows, "people": people}
