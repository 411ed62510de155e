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

:class:`Projector` reads what a projection needs from the store once (memberships; replies,
mentions and per-group message times, not every message) and draws it for any window: the
network report's window and each of its time slices. :meth:`Projector.links` gives a slice
as NumPy arrays (:class:`Links`) for the measures that need no NetworkX graph.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from . import analysis_reads as reads
from .analysis_reads import Window, epoch
from .exposure import join, read_exposure_data
from .exposure_join import OPEN, Interval
from .queries import load_query
from .store import GraphStore

PROJECTIONS = ("co_membership", "interaction", "exposure")
DAY = 86_400


@dataclass(frozen=True)
class Links:
    """A projection as arrays, for measures that need no more: the node ids, and each
    link's ``source`` and ``target`` (indexes into ``nodes``) and ``weight``.

    Examples
    --------
    >>> L = Links(["a", "b"], np.array([0]), np.array([1]), np.array([2.0]), directed=False)
    >>> list(L.graph().edges(data="weight"))
    [('a', 'b', 2.0)]
    """

    nodes: list[str]
    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    directed: bool

    @classmethod
    def of(cls, G: nx.Graph, weight: str = "weight") -> Links:
        index = {v: i for i, v in enumerate(G.nodes)}
        rows = [(index[u], index[v], w) for u, v, w in G.edges(data=weight, default=1)]
        return cls(list(G.nodes), np.array([r[0] for r in rows], dtype=np.int64),
                   np.array([r[1] for r in rows], dtype=np.int64),
                   np.array([r[2] for r in rows]), G.is_directed())

    def graph(self) -> nx.Graph:
        """The links as a NetworkX graph (``weight`` on each link, nodes in order)."""
        G = nx.DiGraph() if self.directed else nx.Graph()
        G.add_nodes_from(self.nodes)
        G.add_weighted_edges_from(zip([self.nodes[i] for i in self.source.tolist()],
                                      [self.nodes[i] for i in self.target.tolist()],
                                      self.weight.tolist(), strict=True))
        return G


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


def _pair_overlaps(people: dict[str, list[Interval]], ids: list[str], horizon: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x, y, seconds)`` for each pair ``x < y`` (indexes into ``ids``) overlapping > 0.

    All interval pairs at once: a person's intervals are disjoint, so the overlap of two
    people is the sum of their intervals' pairwise overlaps (what :func:`overlap_seconds`
    walks). Pairs come in ``(x, y)`` order.
    """
    owner = np.array([x for x, p in enumerate(ids) for _ in people[p]], dtype=np.int64)
    lo = np.array([iv[0] for p in ids for iv in people[p]], dtype=np.int64)
    hi = np.minimum(np.array([iv[1] for p in ids for iv in people[p]], dtype=np.int64), horizon)
    i, j = np.triu_indices(len(owner), k=1)
    keep = owner[i] != owner[j]
    i, j = i[keep], j[keep]
    seconds = np.maximum(0, np.minimum(hi[i], hi[j]) - np.maximum(lo[i], lo[j]))
    a, b = np.minimum(owner[i], owner[j]), np.maximum(owner[i], owner[j])
    key = a * len(ids) + b
    pairs, where = np.unique(key, return_inverse=True)
    total = np.bincount(where, weights=seconds, minlength=len(pairs))
    positive = total > 0
    pairs = pairs[positive]
    return pairs // len(ids), pairs % len(ids), total[positive].astype(np.int64)


def co_membership_graph(members: dict[str, dict[str, list[Interval]]], horizon: int) -> nx.Graph:
    """Co-membership from group → person → merged intervals (see module doc).

    Each link has a ``weight`` and ``groups`` (the ids of the groups the two shared). Nodes
    and links come in the order of their first group (groups and people sorted); a weight
    is the days summed group by group in that order, then rounded to 4 places.

    Examples
    --------
    >>> G = co_membership_graph({"g": {"a": [(0, DAY)], "b": [(0, 2 * DAY)], "c": [(5 * DAY, OPEN)]}},
    ...                         horizon=10 * DAY)
    >>> sorted(G.edges(data="weight")), G["a"]["b"]["groups"]
    ([('a', 'b', 1.0)], ['g'])
    """
    links, groups = _co_membership(members, horizon, edge_groups=True)
    G = nx.Graph()
    G.add_nodes_from(links.nodes)
    nodes = links.nodes
    G.add_edges_from((nodes[u], nodes[v], {"weight": w, "groups": gs}) for u, v, w, gs in zip(
        links.source.tolist(), links.target.tolist(), links.weight.tolist(), groups, strict=True))
    return G


def co_membership_links(members: dict[str, dict[str, list[Interval]]], horizon: int) -> Links:
    """:func:`co_membership_graph` as :class:`Links` (no ``groups``), nodes and links in its order."""
    return _co_membership(members, horizon, edge_groups=False)[0]


def _co_membership(members: dict[str, dict[str, list[Interval]]], horizon: int, *,
                   edge_groups: bool) -> tuple[Links, list[list[str]]]:
    nodes: dict[str, int] = {}
    names = sorted(members)
    keys, days, group_of = [], [], []
    for g, group in enumerate(names):
        people = members[group]
        ids = sorted(people)
        for p in ids:
            nodes.setdefault(p, len(nodes))
        if len(ids) < 2:
            continue
        xs, ys, seconds = _pair_overlaps(people, ids, horizon)
        glob = np.array([nodes[p] for p in ids], dtype=np.int64)
        keys.append(glob[xs] * (1 << 32) + glob[ys])
        days.append(seconds / DAY)
        group_of.append(np.full(len(xs), g, dtype=np.int64))
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return Links(list(nodes), empty, empty, np.zeros(0), directed=False), []
    key, day, grp = np.concatenate(keys), np.concatenate(days), np.concatenate(group_of)
    pairs, first, where = np.unique(key, return_index=True, return_inverse=True)
    summed = np.bincount(where, weights=day, minlength=len(pairs))  # in group order, as summed
    order = np.argsort(first, kind="stable")  # links in order of first appearance
    pairs = pairs[order]
    weight = np.array([round(w, 4) for w in summed[order].tolist()])
    links = Links(list(nodes), pairs >> 32, pairs & 0xFFFFFFFF, weight, directed=False)
    if not edge_groups:
        return links, []
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    by_link = np.argsort(rank[where], kind="stable")  # each link's groups, in group order
    bounds = np.searchsorted(rank[where][by_link], np.arange(len(pairs) + 1)).tolist()
    group_ids = grp[by_link].tolist()
    return links, [[names[x] for x in group_ids[bounds[e]:bounds[e + 1]]]
                   for e in range(len(pairs))]


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


def reply_proxy_pairs(at: np.ndarray, sender: np.ndarray, window_minutes: float
                      ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`reply_proxy_edges` on arrays: ``(B codes, A codes)`` of one group's messages
    sorted by time (then sender).

    The candidate A of message i is the latest message j < i whose sender differs from
    the sender of message j + 1: every message after j up to i is then i's sender's own.

    Examples
    --------
    >>> b, a = reply_proxy_pairs(np.array([0, 60, 120, 4000]), np.array([0, 1, 1, 0]), 5)
    >>> b.tolist(), a.tolist()
    ([1, 1], [0, 0])
    """
    if len(at) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    switch = np.where(sender[:-1] != sender[1:], np.arange(len(at) - 1), -1)
    candidate = np.maximum.accumulate(switch)  # for message i + 1
    later = np.arange(1, len(at))
    ok = (candidate >= 0) & (at[later] - at[np.maximum(candidate, 0)] <= window_minutes * 60)
    return sender[later[ok]], sender[candidate[ok]]


def _add(G: nx.DiGraph, source: str, target: str, kind: str) -> None:
    if source == target:
        return
    if G.has_edge(source, target):
        G[source][target]["weight"] += 1
        G[source][target][kind] = G[source][target].get(kind, 0) + 1
    else:
        G.add_edge(source, target, weight=1, **{kind: 1})


def _names(store: GraphStore, G: nx.Graph, names: dict[str, str] | None = None) -> nx.Graph:
    if names is None:
        names = {p["id"]: p["name"] for p in reads.people(store)}
    for n in G.nodes:
        G.nodes[n]["name"] = names.get(n, n)
    return G


def horizon_of(window: Window, latest: str | None) -> int:
    """Where open memberships stop for overlap days: the window's end, else the latest message."""
    if window.end:
        return epoch(window.end)
    return epoch(latest) if latest else OPEN


def message_span(store: GraphStore, window: Window) -> tuple[str | None, str | None]:
    """First and last time of the messages posted in the window's group(s) and time."""
    rows = store.read(load_query("analysis/message_span"),
                      {"group": window.group or "", "start": window.start or "",
                       "end": window.end or "~"})
    return (rows[0]["first"], rows[0]["last"]) if rows else (None, None)


def _epochs(times: list[str]) -> np.ndarray:
    """Epoch seconds of UTC time texts, all at once."""
    return np.array([t[:19] for t in times], dtype="datetime64[s]").astype(np.int64)


class Projector:
    """One projection's data, read from the store once, and its graph for any window.

    The network report draws the same projection for its window and for every time slice;
    this reads memberships, interactions and message times once and filters in memory.

    Only for the span of one report: it never sees later writes.
    """

    def __init__(self, store: GraphStore, name: str, **options: Any) -> None:
        if name not in PROJECTIONS:
            from .errors import InputError

            raise InputError(f"no projection {name!r} (one of {', '.join(PROJECTIONS)})",
                             detail={"field": "projection"})
        self.store, self.name, self.options = store, name, options
        self._names: dict[str, str] | None = None
        self._memberships: list[dict[str, Any]] | None = None
        self._explicit: list[tuple[str, str, str, str, str | None]] | None = None
        self._explicit_at: list[str] = []
        self._times: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
        self._spans: dict[Window, tuple[str | None, str | None]] = {}
        self._groups: list[str] | None = None

    def names(self) -> dict[str, str]:
        if self._names is None:
            self._names = {p["id"]: p["name"] for p in reads.people(self.store)}
        return self._names

    def span(self, window: Window) -> tuple[str | None, str | None]:
        """:func:`message_span` of ``window``, asked of the store once."""
        if window not in self._spans:
            self._spans[window] = message_span(self.store, window)
        return self._spans[window]

    def links(self, window: Window) -> Links:
        """The projection of the data in ``window`` as arrays (weights only: a time slice of
        the report needs no more)."""
        if self.name == "co_membership":
            return co_membership_links(*self._members(window))
        if self.name == "interaction":
            return self._interaction_links(window, float(self.options.get("reply_window", 5.0)))
        return Links.of(self.graph(window))

    def graph(self, window: Window) -> nx.Graph:
        """The projection of the data in ``window``."""
        if self.name == "co_membership":
            G = co_membership_graph(*self._members(window))
        elif self.name == "interaction":
            G = self._interaction(window, float(self.options.get("reply_window", 5.0)))
        else:
            return exposure_graph(self.store, window, **self.options)
        return _names(self.store, G, self.names())

    def _members(self, window: Window) -> tuple[dict[str, dict[str, list[Interval]]], int]:
        """Group → person → intervals in the window, and where open memberships stop."""
        if self._memberships is None:
            self._memberships = reads.memberships(self.store)
        latest = None if window.end else self.span(window)[1]
        return reads.intervals_of(self._memberships, window), horizon_of(window, latest)

    def _explicit_rows(self) -> list[tuple[str, str, str, str, str | None]]:
        """``(at, kind, source, target, group)`` of every reply and mention, by time."""
        if self._explicit is None:
            rows = [(r["at"], kind, r["source"], r["target"], r["group"])
                    for kind in ("replies", "mentions") for r in reads.interactions(self.store, kind)]
            rows.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[4] or ""))
            self._explicit = rows
            self._explicit_at = [r[0] for r in rows]
        return self._explicit

    def _group_times(self, group: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """One group's non-system messages by known senders: epochs and sender codes sorted
        by time then sender id, and the ids of the codes."""
        if group not in self._times:
            at: list[str] = []
            who: list[str] = []
            for sender, times in reads.group_message_times(self.store, group, Window()):
                if sender is not None:
                    at += times
                    who += [sender] * len(times)
            ids = sorted(set(who))
            code_of = {p: i for i, p in enumerate(ids)}
            codes = np.array([code_of[p] for p in who], dtype=np.int64)
            seconds = _epochs(at)
            order = np.lexsort((codes, seconds))
            self._times[group] = (seconds[order], codes[order], ids)
        return self._times[group]

    def _interaction(self, window: Window, reply_window: float) -> nx.DiGraph:
        nodes, counts = self._interaction_counts(window, reply_window)
        G = nx.DiGraph()
        G.add_nodes_from(nodes)
        G.add_edges_from((s, t, d) for (s, t), d in counts)
        return G

    def _interaction_links(self, window: Window, reply_window: float) -> Links:
        nodes, counts = self._interaction_counts(window, reply_window)
        index = {v: i for i, v in enumerate(nodes)}
        return Links(nodes, np.array([index[s] for (s, _), _ in counts], dtype=np.int64),
                     np.array([index[t] for (_, t), _ in counts], dtype=np.int64),
                     np.array([d["weight"] for _, d in counts], dtype=np.int64), directed=True)

    def _interaction_counts(self, window: Window, reply_window: float
                            ) -> tuple[list[str], list[tuple[tuple[str, str], dict[str, int]]]]:
        """Nodes (sorted) and links with their counts (sorted) of the interaction projection."""
        rows = self._explicit_rows()
        lo = bisect_left(self._explicit_at, window.start) if window.start else 0
        hi = bisect_left(self._explicit_at, window.end) if window.end else len(rows)
        counts: dict[tuple[str, str], dict[str, int]] = {}
        explicit_groups: set[str | None] = set()
        for _, kind, source, target, group in rows[lo:hi]:
            if not window.has_group(group):
                continue
            explicit_groups.add(group)
            if source != target:
                edge = counts.setdefault((source, target), {"weight": 0})
                edge["weight"] += 1
                edge[kind] = edge.get(kind, 0) + 1
        nodes: set[str] = set()
        if self._groups is None:
            self._groups = [g["id"] for g in reads.groups(self.store)]
        groups = [window.group] if window.group else self._groups
        for group in groups:
            seconds, codes, ids = self._group_times(group)
            first = np.searchsorted(seconds, epoch(window.start)) if window.start else 0
            last = np.searchsorted(seconds, epoch(window.end)) if window.end else len(seconds)
            if first >= last:
                continue
            codes = codes[first:last]
            nodes.update(ids[c] for c in np.unique(codes).tolist())
            if group in explicit_groups:
                continue
            b, a = reply_proxy_pairs(seconds[first:last], codes, reply_window)
            pairs, n = np.unique(b * len(ids) + a, return_counts=True)
            for pair, count in zip(pairs.tolist(), n.tolist(), strict=True):
                edge = counts.setdefault((ids[pair // len(ids)], ids[pair % len(ids)]), {"weight": 0})
                edge["weight"] += count
                edge["proxy"] = edge.get("proxy", 0) + count
        return sorted(nodes | {v for pair in counts for v in pair}), sorted(counts.items())


def co_membership(store: GraphStore, window: Window) -> nx.Graph:
    """Co-membership projection of the store (open memberships end at the last message)."""
    return Projector(store, "co_membership").graph(window)


def interaction(store: GraphStore, window: Window, reply_window: float = 5.0) -> nx.DiGraph:
    """Interaction projection: replies and mentions where a group has them, else the proxy."""
    return Projector(store, "interaction", reply_window=reply_window).graph(window)


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
    return Projector(store, name, **options).graph(window)
