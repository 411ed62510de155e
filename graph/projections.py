"""Projections of the case graph into NetworkX graphs, one function each.

Each returns a new graph that nothing keeps a reference to, so callers may
analyse it freely; the analyses in :mod:`.network` never mutate it. Nodes are
person ids with a ``name`` attribute; every edge has a ``weight``.

* :func:`co_membership` — undirected; two people are linked when they were
  members of the same group at the same time, weighted by the days that
  membership overlapped (summed over groups).
* :func:`interaction` — directed, ``B → A`` when B replied to or mentioned A; in a
  group without reply or mention data, when B posted within ``reply_window``
  minutes after A's message (the reply proxy). Weighted by how many times.
* :func:`exposure_graph` — directed, ``viewer → sender`` when the viewer saw flagged
  content the sender posted; weighted by how many such messages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx

from . import analysis_reads as reads
from .analysis_reads import Window, epoch
from .exposure import join, read_exposure_data
from .exposure_join import OPEN, Interval
from .store import GraphStore

PROJECTIONS = ("co_membership", "interaction", "exposure")
DAY = 86_400


def overlap_seconds(a: list[Interval], b: list[Interval], horizon: int) -> int:
    """Total overlap of two sorted disjoint interval lists; open ends stop at ``horizon``.

    >>> overlap_seconds([(0, 10), (20, 30)], [(5, 25)], horizon=100)
    10
    """
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1], horizon)
        total += max(0, hi - lo)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def co_membership_graph(members: dict[str, dict[str, list[Interval]]], horizon: int) -> nx.Graph:
    """Co-membership from group → person → merged intervals (see module doc)."""
    G = nx.Graph()
    for group, people in sorted(members.items()):
        ids = sorted(people)
        G.add_nodes_from(ids)
        for x, p in enumerate(ids):
            for q in ids[x + 1:]:
                seconds = overlap_seconds(people[p], people[q], horizon)
                if seconds <= 0:
                    continue
                if G.has_edge(p, q):
                    G[p][q]["weight"] += seconds / DAY
                    G[p][q]["groups"].append(group)
                else:
                    G.add_edge(p, q, weight=seconds / DAY, groups=[group])
    for _, _, d in G.edges(data=True):
        d["weight"] = round(d["weight"], 4)
    return G


def reply_proxy_edges(messages: Iterable[tuple[int, str]], window_minutes: float
                      ) -> list[tuple[str, str]]:
    """``(B, A)`` for each message of B posted within the window after A's latest message.

    ``messages`` are one group's ``(epoch seconds, sender)`` in time order; A is the
    sender of the latest earlier message by someone else, if it is recent enough.

    >>> reply_proxy_edges([(0, "a"), (60, "b"), (120, "b"), (4000, "a")], 5)
    [('b', 'a'), ('b', 'a')]
    """
    limit = window_minutes * 60
    latest: tuple[int, str] | None = None  # the latest message
    before: tuple[int, str] | None = None  # the latest by someone other than latest's sender
    edges = []
    for at, sender in messages:
        candidate: tuple[int, str] | None = before
        if latest is not None and latest[1] != sender:
            candidate = before = latest
        if candidate is not None and at - candidate[0] <= limit:
            edges.append((sender, candidate[1]))
        latest = (at, sender)
    return edges


def _add(G: nx.DiGraph, source: str, target: str, kind: str) -> None:
    if source == target:
        return
    if G.has_edge(source, target):
        G[source][target]["weight"] += 1
        G[source][target][kind] = G[source][target].get(kind, 0) + 1
    else:
        G.add_edge(source, target, weight=1, **{kind: 1})


def _names(store: GraphStore, G: nx.Graph) -> nx.Graph:
    for p in reads.people(store):
        if p["id"] in G:
            G.nodes[p["id"]]["name"] = p["name"]
    for n in G.nodes:
        G.nodes[n].setdefault("name", n)
    return G


def horizon_of(window: Window, latest: str | None) -> int:
    """Where open memberships stop for overlap days: the window's end, else the latest message."""
    if window.end:
        return epoch(window.end)
    return epoch(latest) if latest else OPEN


def co_membership(store: GraphStore, window: Window) -> nx.Graph:
    """Co-membership projection of the store (open memberships end at the last message)."""
    latest = max((m["sent_at"] for m in reads.messages(store)
                  if window.has_group(m["group"]) and window.has_time(m["sent_at"])), default=None)
    return _names(store, co_membership_graph(reads.member_intervals(store, window),
                                             horizon_of(window, latest)))


def interaction(store: GraphStore, window: Window, reply_window: float = 5.0) -> nx.DiGraph:
    """Interaction projection: replies and mentions where a group has them, else the proxy."""
    G = nx.DiGraph()
    explicit_groups: set[str] = set()
    for kind, attr in (("replies", "replies"), ("mentions", "mentions")):
        for r in reads.interactions(store, kind):
            if window.has_group(r["group"]) and window.has_time(r["at"]):
                explicit_groups.add(r["group"])
                _add(G, r["source"], r["target"], attr)
    by_group: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for m in reads.messages(store):
        if (m["sender"] is None or m["kind"] == "system" or not window.has_group(m["group"])
                or not window.has_time(m["sent_at"])):
            continue
        G.add_node(m["sender"])
        if m["group"] not in explicit_groups:
            by_group[m["group"]].append((epoch(m["sent_at"]), m["sender"]))
    for msgs in by_group.values():
        msgs.sort()
        for source, target in reply_proxy_edges(msgs, reply_window):
            _add(G, source, target, "proxy")
    return _names(store, G)


def exposure_graph(store: GraphStore, window: Window, category: str | None = None) -> nx.DiGraph:
    """Exposure projection: viewer → sender of flagged content they saw."""
    data = read_exposure_data(store, window, category)
    _, audience = join(data)
    G = nx.DiGraph()
    for f in data.flagged:
        if f.sender is None or not f.categories:
            continue
        G.add_node(f.sender)
        for viewer in audience[f.id]:
            _add(G, viewer, f.sender, "messages")
    return _names(store, G)


def project(store: GraphStore, name: str, window: Window, **options: Any) -> nx.Graph:
    """The projection called ``name`` (one of :data:`PROJECTIONS`)."""
    if name == "co_membership":
        return co_membership(store, window)
    if name == "interaction":
        return interaction(store, window, **options)
    if name == "exposure":
        return exposure_graph(store, window, **options)
    from .errors import InputError

    raise InputError(f"no projection {name!r} (one of {', '.join(PROJECTIONS)})",
                     detail={"field": "projection"})
