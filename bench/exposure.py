"""Exposure speed and memory: the per-group interval join against a naive loop, and end to end.

Generates a synthetic case (people, groups, membership intervals with leaves and rejoins,
messages, ~2 % of them flagged) and measures

- ``join``: :func:`conductgraph.graph.exposure.join` on the whole data set, in memory
  (messages seen for every person, audience of every flagged message);
- ``naive``: the same answers by a per-member Python loop over every message of the
  member's groups (members × messages), on a subset small enough to finish, against the join
  on that same subset — the ratio is the speed-up;
- ``store`` (optional, ``--store``): the data written to a fresh embedded FalkorDB (setup,
  timed apart), then ``derive_exposure`` (read everything in pages, join, write
  ``EXPOSED_TO``), a second ``derive_exposure`` (nothing to change) and ``exposure_report``;
- peak memory: traced Python memory of the join (``tracemalloc``, separate run) and the
  process's peak RSS.

Run: ``python -m bench.exposure --size large --store`` (1,000,000 messages, 2,000 people)
or ``--size small`` (50,000 / 200). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from conductgraph.graph.analysis_reads import Window
from conductgraph.graph.exposure import ExposureData, derive_exposure, exposure_report, join
from conductgraph.graph.exposure_join import OPEN, Flagged, GroupMessages, Interval, merge_intervals
from conductgraph.graph.records import Node, Rel
from conductgraph.graph.store import GraphStore
from conductgraph.graph.writer import RecordWriter

from .support import fresh_store

SIZES = {"small": {"messages": 50_000, "people": 200, "groups": 10},
         "large": {"messages": 1_000_000, "people": 2_000, "groups": 100}}
NAIVE_MESSAGES = 50_000  # the naive loop's subset
GROUPS_PER_PERSON = 3
FLAGGED_SHARE = 0.02
START = int(datetime(2016, 1, 1, tzinfo=UTC).timestamp())
SPAN = 2 * 365 * 86_400


def _text(at: int) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def synthetic(messages: int, people: int, groups: int, seed: int = 11) -> dict[str, Any]:
    """Memberships (30 % leave and rejoin), messages by members, ~2 % flagged."""
    rng = random.Random(seed)
    members: dict[str, dict[str, list[Interval]]] = defaultdict(dict)
    for p in range(people):
        for g in rng.sample(range(groups), GROUPS_PER_PERSON):
            start = START + rng.randrange(SPAN // 4)
            if rng.random() < 0.3:
                leave = start + rng.randrange(SPAN // 4, SPAN // 2)
                back = leave + rng.randrange(86_400, SPAN // 4)
                ivs = [(start, leave), (back, OPEN)]
            else:
                ivs = [(start, OPEN)]
            members[f"group:{g}"][f"person:{p}"] = ivs
    roster = {g: sorted(m) for g, m in members.items()}
    rows = []
    for i in range(messages):
        gid = f"group:{rng.randrange(groups)}"
        at = START + rng.randrange(SPAN)
        sender = rng.choice(roster[gid]) if roster.get(gid) else None
        cats = ("racism",) if rng.random() < FLAGGED_SHARE else ()
        rows.append((f"msg:{i:08d}", gid, at, sender, cats))
    return {"members": members, "messages": rows}


def exposure_data(data: dict[str, Any], limit: int | None = None) -> ExposureData:
    """:class:`ExposureData` as :func:`read_exposure_data` would build it from a store."""
    ed = ExposureData(Window())
    for mid, g, at, sender, cats in data["messages"][:limit]:
        ed.groups.setdefault(g, GroupMessages()).add(at, sender)
        if cats:
            ed.flagged.append(Flagged(mid, g, at, _text(at), sender, cats))
    ed.members = {g: {p: merge_intervals(iv) for p, iv in m.items()}
                  for g, m in data["members"].items()}
    return ed


def naive(data: dict[str, Any], limit: int) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Members × messages: for each member of each group, test every message of the group."""
    by_group: dict[str, list[tuple[str, int, str | None, tuple[str, ...]]]] = defaultdict(list)
    for mid, g, at, sender, cats in data["messages"][:limit]:
        by_group[g].append((mid, at, sender, cats))
    seen: dict[str, int] = defaultdict(int)
    audience: dict[str, list[str]] = defaultdict(list)
    for g, people in data["members"].items():
        for person, ivs in people.items():
            for mid, at, sender, cats in by_group.get(g, ()):
                if sender != person and any(a <= at < b for a, b in ivs):
                    seen[person] += 1
                    if cats:
                        audience[mid].append(person)
    return dict(seen), {m: sorted(a) for m, a in audience.items()}


def _timed(fn: Any, *args: Any) -> tuple[Any, float]:
    gc.collect()
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def _traced_peak_mb(fn: Any, *args: Any) -> float:
    gc.collect()
    tracemalloc.start()
    fn(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def _run_join(data: dict[str, Any]) -> Any:
    return join(exposure_data(data))


@contextmanager
def loaded_store(data: dict[str, Any]) -> Iterator[GraphStore]:
    """A fresh embedded FalkorDB holding ``data`` (:func:`bench.support.fresh_store`)."""
    with fresh_store("bench") as (store, _):
        store.ensure_schema()
        with RecordWriter(store, batch_size=10_000, validate=False) as w:
            w.add(Node("Category", "racism", {"name": "Racism"}))
            people = {p for m in data["members"].values() for p in m}
            for p in sorted(people):
                w.add(Node("Person", p, {"name": p}))
            for g, m in data["members"].items():
                w.add(Node("Group", g, {"name": g, "platform": "whatsapp"}))
                for p, ivs in m.items():
                    for a, b in ivs:
                        w.add(Rel("MEMBER_OF", "Person", p, "Group", g, {
                            "from": _text(a), "to": None if b == OPEN else _text(b),
                            "evidence": "declared"}))
            for mid, g, at, sender, cats in data["messages"]:
                w.add(Node("Message", mid, once={"sent_at": _text(at), "kind": "text"}))
                w.add(Rel("POSTED_IN", "Message", mid, "Group", g))
                if sender:
                    w.add(Rel("SENT", "Person", sender, "Message", mid))
                for c in cats:
                    w.add(Rel("FLAGGED_AS", "Message", mid, "Category", c,
                              {"method": "analyst", "reviewed": True}))
        yield store


def _store_bench(data: dict[str, Any]) -> dict[str, Any]:
    t = time.perf_counter()
    with loaded_store(data) as store:
        setup = time.perf_counter() - t
        first, t_first = _timed(derive_exposure, store)
        second, t_second = _timed(derive_exposure, store)
        t = time.perf_counter()
        report = exposure_report(store)
        t_report = time.perf_counter() - t
        return {"setup_load_s": round(setup, 1), "derive_first_s": round(t_first, 1),
                "derive_again_s": round(t_second, 1), "report_s": round(t_report, 1),
                "exposed_to": first.exposures, "written_first": first.written,
                "written_again": second.written, "report_people": len(report["people"])}


def run(size: str = "small", *, store: bool = False) -> dict[str, Any]:
    """Measure; returns the figures as a dict (see the module docstring)."""
    spec = SIZES[size]
    data = synthetic(spec["messages"], spec["people"], spec["groups"])
    (per_person, audience), t_join = _timed(_run_join, data)
    limit = min(NAIVE_MESSAGES, spec["messages"])
    (naive_seen, naive_aud), t_naive = _timed(naive, data, limit)
    (sub_person, sub_aud), t_join_sub = _timed(lambda: join(exposure_data(data, limit)))
    # The two must agree before their times mean anything.
    assert {p: e.messages_seen for p, e in sub_person.items() if e.messages_seen} == naive_seen
    assert {m: a for m, a in sub_aud.items() if a} == naive_aud
    out: dict[str, Any] = {
        "size": size, **spec, "flagged": sum(1 for m in data["messages"] if m[4]),
        "memberships": sum(len(iv) for m in data["members"].values() for iv in m.values()),
        "join_s": round(t_join, 2),
        "exposures": sum(len(a) for a in audience.values()),
        "naive_subset_messages": limit, "naive_s": round(t_naive, 2),
        "join_subset_s": round(t_join_sub, 3),
        "speedup_vs_naive": round(t_naive / max(t_join_sub, 1e-9), 1),
        "join_traced_peak_mb": _traced_peak_mb(_run_join, data),
    }
    if store:
        out["store"] = _store_bench(data)
    out["process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--store", action="store_true", help="also measure end to end on FalkorDB")
    args = parser.parse_args(argv)
    json.dump(run(args.size, store=args.store), sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
