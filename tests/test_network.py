"""Projections edge by edge, measures equal to NetworkX's, seeded and approximate parts, reports."""

from __future__ import annotations

import doctest
import importlib
from datetime import datetime, timedelta

import networkx as nx
import pytest

from conductgraph.graph import network
from conductgraph.graph.analysis_reads import Window
from conductgraph.graph.errors import InputError
from conductgraph.graph.projections import co_membership, exposure_graph, interaction
from conductgraph.graph.store import GraphStore

from .analysis_graphs import Case, Msg, write_case

CASE = Case(
    people=["a", "b", "c"], groups=["g", "h"],
    memberships=[("a", "g", "2020-01-01T00:00:00Z", None),
                 ("b", "g", "2020-01-11T00:00:00Z", "2020-01-21T00:00:00Z"),
                 ("c", "g", "2020-01-16T00:00:00Z", None),
                 ("a", "h", "2020-01-01T00:00:00Z", "2020-01-03T00:00:00Z"),
                 ("b", "h", "2020-01-01T00:00:00Z", "2020-01-03T00:00:00Z")],
    messages=[Msg("m1", "g", "a", "2020-01-20T10:00:00Z", flags=("racism",)),
              Msg("m2", "g", "b", "2020-01-20T10:03:00Z"),
              Msg("m3", "g", "b", "2020-01-20T10:04:00Z"),
              Msg("m4", "g", "c", "2020-01-20T10:20:00Z"),
              Msg("m5", "g", "a", "2020-01-31T00:00:00Z"),
              Msg("r1", "h", "a", "2020-01-02T09:00:00Z"),
              Msg("r2", "h", "b", "2020-01-02T09:01:00Z"),
              Msg("r3", "h", "a", "2020-01-02T09:02:00Z")],
    replies=[("r2", "r1")], mentions=[("r3", "b")],
)


@pytest.fixture
def case_store(empty_store: GraphStore) -> GraphStore:
    write_case(empty_store, CASE)
    return empty_store


def _edges(G: nx.Graph) -> dict[tuple[str, str], dict]:
    return {(u.removeprefix("person:"), v.removeprefix("person:")): d
            for u, v, d in G.edges(data=True)}


def test_co_membership_edge_by_edge(case_store: GraphStore) -> None:
    G = co_membership(case_store, Window())
    edges = {tuple(sorted(k)): d for k, d in _edges(G).items()}
    # g: a–b 10 days (b's stint), a–c 15 days (open memberships end at the last message, 01-31),
    # b–c 5 days; h: a–b 2 more days.
    assert edges == {("a", "b"): {"weight": 12.0, "groups": ["group:g", "group:h"]},
                     ("a", "c"): {"weight": 15.0, "groups": ["group:g"]},
                     ("b", "c"): {"weight": 5.0, "groups": ["group:g"]}}
    assert G.nodes["person:a"]["name"] == "A"
    january = co_membership(case_store, Window(None, "2020-01-01T00:00:00Z", "2020-01-18T00:00:00Z"))
    assert january["person:a"]["person:c"]["weight"] == 2.0


def test_interaction_uses_replies_and_mentions_else_the_proxy(case_store: GraphStore) -> None:
    G = interaction(case_store, Window(), reply_window=5)
    # g has no reply data: b posted 3 and 4 minutes after a (proxy ×2); c came 16 minutes later.
    # h has a reply (b → a) and a mention (a → b), so no proxy there.
    assert _edges(G) == {("b", "a"): {"weight": 3, "proxy": 2, "replies": 1},
                         ("a", "b"): {"weight": 1, "mentions": 1}}
    assert set(G.nodes) == {"person:a", "person:b", "person:c"}
    wide = interaction(case_store, Window(), reply_window=20)
    assert _edges(wide)[("c", "b")] == {"weight": 1, "proxy": 1}


def test_exposure_projection(case_store: GraphStore) -> None:
    G = exposure_graph(case_store, Window())
    assert _edges(G) == {("b", "a"): {"weight": 1, "messages": 1},
                         ("c", "a"): {"weight": 1, "messages": 1}}


def _weighted_karate() -> nx.Graph:
    return nx.karate_club_graph()  # edges carry a "weight"


def _reference_pagerank(G: nx.Graph) -> dict:
    try:
        return nx.pagerank(G, weight="weight")
    except ImportError:
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(G, weight="weight")


@pytest.mark.parametrize("directed", [False, True])
def test_measures_equal_networkx(directed: bool) -> None:
    G = _weighted_karate()
    if directed:
        G = nx.DiGraph((u, v, d) for u, v, d in G.edges(data=True) if (u * 7 + v) % 3)
    table = network.measure_table(G)["nodes"]
    between = nx.betweenness_centrality(G)
    close = nx.closeness_centrality(G)
    eig = nx.eigenvector_centrality(network.undirected(G), max_iter=1000, weight="weight")
    pr = _reference_pagerank(G)
    for v in G.nodes:
        row = table[v]
        assert row["betweenness"] == pytest.approx(between[v])
        assert row["closeness"] == pytest.approx(close[v])
        assert row["eigenvector"] == pytest.approx(eig[v])
        assert row["pagerank"] == pytest.approx(pr[v])
        assert row["degree"] == G.degree(v)
        assert row["weighted_degree"] == G.degree(v, weight="weight")
        if directed:
            assert row["in_degree"] == G.in_degree(v)
            assert row["weighted_out_degree"] == G.out_degree(v, weight="weight")


def test_communities_are_seeded_louvain() -> None:
    G = _weighted_karate()
    ours = network.communities(G, seed=3)
    theirs = nx.community.louvain_communities(G, weight="weight", seed=3)
    assert {frozenset(c) for c in theirs} == {frozenset(c) for c in ours}
    assert [len(c) for c in ours] == sorted((len(c) for c in ours), reverse=True)
    assert network.communities(G, seed=3) == ours


def test_betweenness_is_approximate_above_the_limit_and_says_so() -> None:
    G = nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=1)
    values, how = network.betweenness(G, exact_limit=50, k=20, seed=5)
    assert how == {"method": "approximate", "k": 20, "seed": 5, "nodes": 60, "exact_limit": 50}
    # NetworkX's sample of sources and its scaling, to rounding (our sums run in another order)
    assert values == pytest.approx(nx.betweenness_centrality(G, k=20, seed=5), abs=1e-12)
    assert values == network.betweenness(G, exact_limit=50, k=20, seed=5)[0]
    assert values != pytest.approx(nx.betweenness_centrality(G), abs=1e-6)


def test_core_and_brokers() -> None:
    G = nx.barbell_graph(4, 1)  # two K4s joined through node 4
    assert network.core_numbers(G)[0] == 3 and network.core_numbers(G)[4] == 2  # a path: 2 links
    between, _ = network.betweenness(G)
    comm = {v: i for i, c in enumerate(network.communities(G)) for v in c}
    found = network.brokers(G, between, comm)
    assert found[4] == ["articulation point", "high betweenness across communities"]
    assert set(found) == {3, 4, 5}


def test_measures_do_not_mutate_the_graph() -> None:
    G = nx.DiGraph([("a", "b", {"weight": 2}), ("b", "c", {"weight": 1}), ("c", "a", {"weight": 1})])
    before = (list(G.nodes(data=True)), list(G.edges(data=True)))
    network.measure_table(G)
    for m in network.MEASURES:
        network.measure_values(G, m)
    assert (list(G.nodes(data=True)), list(G.edges(data=True))) == before


@pytest.mark.parametrize("module", ["network", "network_paths", "network_louvain", "projections",
                                    "layout", "exposure_join", "lexicon",
                                    "participation"])
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"conductgraph.graph.{module}"))
    assert result.attempted > 0 and result.failed == 0


def test_network_report_on_the_sample(store: GraphStore) -> None:
    report = network.network_report(store, measure="pagerank")
    assert report["projection"] == "co_membership" and report["betweenness"]["method"] == "exact"
    ranks = [p["pagerank"] for p in report["people"]]
    assert ranks == sorted(ranks, reverse=True)
    assert all(p["position"] is not None for p in report["people"])
    span = store.read_user("MATCH (m:Message)-[:POSTED_IN]->(:Group) RETURN min(m.sent_at) AS a, "
                           "max(m.sent_at) AS b").rows[0]
    labels = [s["label"] for s in report["slices"]]
    first, last = span["a"], span["b"]
    assert labels[0] == f"{first[:4]}-Q{(int(first[5:7]) - 1) // 3 + 1}"
    assert labels[-1] == f"{last[:4]}-Q{(int(last[5:7]) - 1) // 3 + 1}"
    assert len(labels) == len(set(labels)) == (int(last[:4]) * 4 + (int(last[5:7]) - 1) // 3) - (
        int(first[:4]) * 4 + (int(first[5:7]) - 1) // 3) + 1  # every quarter, none twice
    monthly = network.network_report(store, projection="interaction", slice_by="month")
    assert monthly["slices"][0]["label"] == first[:7] and monthly["slices"][-1]["label"] == last[:7]
    with pytest.raises(InputError, match="no measure"):
        network.network_report(store, measure="fame")
    with pytest.raises(InputError, match="no projection"):
        network.network_report(store, projection="friends")


def test_slices_are_cut_to_the_report_window(store: GraphStore) -> None:
    span = store.read_user("MATCH (m:Message)-[:POSTED_IN]->(:Group) RETURN min(m.sent_at) AS a, "
                           "max(m.sent_at) AS b").rows[0]
    # A window from the first message to just after the last: both inside a month, so the
    # first and last slices are partial months.
    date_from = span["a"]
    date_to = (datetime.fromisoformat(span["b"].replace("Z", "+00:00")) + timedelta(seconds=1)
               ).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert not date_from.endswith("-01T00:00:00Z") and not date_to.endswith("-01T00:00:00Z")
    report = network.network_report(store, projection="interaction", date_from=date_from,
                                    date_to=date_to, slice_by="month")
    slices = report["slices"]
    assert slices[0]["from"] == date_from and slices[-1]["to"] == date_to
    assert all(date_from <= s["from"] < s["to"] <= date_to for s in slices)
    # The first slice holds what the window from date_from to its end holds, nothing earlier.
    alone = network.network_report(store, projection="interaction", date_from=date_from,
                                   date_to=slices[0]["to"], slice_by=None)
    assert (slices[0]["nodes"], slices[0]["edges"]) == (alone["summary"]["nodes"], alone["summary"]["edges"])
