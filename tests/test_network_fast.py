"""The array versions of the network measures and projections against their references.

Betweenness and closeness against NetworkX's, the slices' Louvain against NetworkX's
modularity, the co-membership and reply-proxy projections against the plain loops.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from conductgraph.graph import network, network_louvain, network_paths
from conductgraph.graph.exposure_join import OPEN
from conductgraph.graph.projections import (
    DAY,
    Links,
    co_membership_graph,
    co_membership_links,
    overlap_seconds,
    reply_proxy_edges,
    reply_proxy_pairs,
)

GRAPHS = {
    "karate": nx.karate_club_graph(),
    "directed": nx.gnp_random_graph(80, 0.05, seed=1, directed=True),
    "disconnected": nx.gnp_random_graph(100, 0.02, seed=2),
    "barbell": nx.barbell_graph(4, 1),
    "cycle and tail": nx.DiGraph([(1, 2), (2, 3), (3, 1), (4, 1), (4, 4)]),
    "one link": nx.path_graph(2),
    "no links": nx.empty_graph(3),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
@pytest.mark.parametrize("block", [network_paths.BLOCK_CELLS, 150])
def test_betweenness_and_closeness_equal_networkx(name: str, block: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(network_paths, "BLOCK_CELLS", block)  # several blocks of sources
    G = GRAPHS[name]
    between, close = network_paths.fast_betweenness(G, closeness=True)
    assert between == pytest.approx(nx.betweenness_centrality(G), abs=1e-12)
    assert close == pytest.approx(nx.closeness_centrality(G), abs=1e-12)
    assert network_paths.fast_closeness(G) == pytest.approx(nx.closeness_centrality(G), abs=1e-12)
    if len(G) > 3:
        k = len(G) // 2
        sampled, close = network_paths.fast_betweenness(G, k=k, seed=7, closeness=True)
        assert sampled == pytest.approx(nx.betweenness_centrality(G, k=k, seed=7), abs=1e-12)
        assert close == pytest.approx(nx.closeness_centrality(G), abs=1e-12)


def test_louvain_of_the_slices_is_as_good_as_networkx() -> None:
    for G in (nx.karate_club_graph(), nx.les_miserables_graph(), nx.connected_caveman_graph(8, 6)):
        nodes = list(G)
        labels = network_louvain.louvain_labels(network_louvain.symmetric_weights(G, nodes), seed=1)
        ours = [{nodes[i] for i in np.flatnonzero(labels == c)} for c in range(labels.max() + 1)]
        theirs = nx.community.louvain_communities(G, weight="weight", seed=1)
        assert nx.community.modularity(G, ours) >= nx.community.modularity(G, theirs) - 0.03
        assert network_louvain.count_communities(G, seed=1) == len(ours)
    assert network_louvain.count_communities(nx.connected_caveman_graph(8, 6)) == 8
    assert network_louvain.count_communities(nx.empty_graph(4)) == 4
    assert network_louvain.count_communities(nx.Graph()) == 0


def _co_membership_reference(members: dict, horizon: int) -> dict:
    edges: dict = {}
    for group, people in sorted(members.items()):
        ids = sorted(people)
        for x, p in enumerate(ids):
            for q in ids[x + 1:]:
                seconds = overlap_seconds(people[p], people[q], horizon)
                if seconds > 0:
                    w, gs = edges.get((p, q), (0.0, []))
                    edges[(p, q)] = (w + seconds / DAY, [*gs, group])
    return {k: (round(w, 4), gs) for k, (w, gs) in edges.items()}


@pytest.mark.parametrize("seed", range(5))
def test_co_membership_graph_equals_the_pairwise_loop(seed: int) -> None:
    rng = random.Random(seed)
    members: dict = {}
    for g in range(4):
        people: dict = {}
        for p in rng.sample(range(12), rng.randint(1, 9)):
            at, intervals = 0, []
            for _ in range(rng.randint(1, 3)):
                start = at + rng.randint(0, 20) * DAY // 2
                end = OPEN if rng.random() < 0.2 else start + rng.randint(1, 30) * DAY // 3
                intervals.append((start, end))
                if end == OPEN:
                    break
                at = end + 1
            people[f"p{p:02d}"] = intervals
        members[f"g{g}"] = people
    G = co_membership_graph(members, horizon=40 * DAY)
    got = {tuple(sorted((u, v))): (d["weight"], d["groups"]) for u, v, d in G.edges(data=True)}
    assert got == _co_membership_reference(members, 40 * DAY)
    lean = co_membership_links(members, horizon=40 * DAY).graph()
    assert list(lean.nodes) == list(G.nodes) and list(lean.edges) == list(G.edges)
    assert {tuple(sorted((u, v))): d for u, v, d in lean.edges(data=True)} == {
        k: {"weight": w} for k, (w, _) in got.items()}
    assert set(G.nodes) == {p for people in members.values() for p in people}


@pytest.mark.parametrize("seed", range(5))
def test_reply_proxy_pairs_equal_the_loop(seed: int) -> None:
    rng = random.Random(seed)
    at = sorted(rng.randint(0, 3000) for _ in range(300))
    senders = [rng.choice("abcd") for _ in at]
    messages = sorted(zip(at, senders, strict=True))
    codes = np.array(["abcd".index(s) for _, s in messages])
    b, a = reply_proxy_pairs(np.array([t for t, _ in messages]), codes, 1.5)
    assert [("abcd"[x], "abcd"[y]) for x, y in zip(b.tolist(), a.tolist(), strict=True)] == \
        reply_proxy_edges(messages, 1.5)


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("measure", network.MEASURES)
def test_slice_measures_from_arrays_equal_the_graphs(directed: bool, measure: str) -> None:
    G = nx.gnp_random_graph(60, 0.08, seed=4, directed=directed)
    for u, v in G.edges:
        G[u][v]["weight"] = (u * 7 + v) % 5 + 1
    links = Links.of(G)
    ours = network.links_values(links, measure, exact_limit=40, k=25)
    if measure == "betweenness":
        theirs = network.betweenness(G, exact_limit=40, k=25)[0]
    else:
        theirs = network.measure_values(G, measure)
    assert ours == pytest.approx(theirs, abs=1e-9)
    assert list(links.graph().edges(data=True)) == list(G.edges(data=True))
