"""Loading the sample: the right counts, provenance, and loading twice changes nothing."""

from __future__ import annotations

from conductgraph.graph.loading import SAMPLE_CASE, load_paths
from conductgraph.graph.queries import load_query
from conductgraph.graph.stats import graph_stats
from conductgraph.graph.store import GraphStore


def test_the_sample_has_the_public_facts(store: GraphStore) -> None:
    stats = graph_stats(store)
    labels = stats["labels"]
    assert labels["Recommendation"] == 15
    assert labels["Investigation"] == 1
    assert labels["Group"] == 3
    assert labels["Organisation"] == 3
    assert labels["Unit"] == 2
    rows = store.read_user(
        "MATCH (o:Organisation {id: 'org:mps'})-[r:RESPONDED]->(:Recommendation) "
        "RETURN count(r) AS n, min(toString(r.accepted)) AS accepted").rows
    assert rows == [{"n": 15, "accepted": "true"}]
    quoted = store.read_user("MATCH (:Document)-[:QUOTES]->(m:Message) "
                             "RETURN DISTINCT m.text AS t ORDER BY t").rows
    assert {"t": "I would happily rape you"} in quoted


def test_every_node_names_its_source(store: GraphStore) -> None:
    rows = store.read_user(
        "MATCH (n) WHERE NOT n:Source AND NOT n:Rejected AND (n.sources IS NULL OR size(n.sources) = 0) "
        "RETURN labels(n) AS l, n.id AS id LIMIT 5").rows
    assert rows == []
    orphans = store.read_user(
        "MATCH (n) WHERE n.sources IS NOT NULL UNWIND n.sources AS sid "
        "OPTIONAL MATCH (s:Source {id: sid}) WITH sid, s WHERE s IS NULL RETURN DISTINCT sid").rows
    assert orphans == []


def test_illustrative_values_are_marked(store: GraphStore) -> None:
    rows = store.read_user("MATCH (p:Officer) RETURN p.name AS name, p.illustrative AS i").rows
    assert rows and all(r["i"] is True for r in rows)
    rec = store.read_user("MATCH (r:Recommendation) WHERE r.text IS NULL "
                          "RETURN count(r) AS n, min(toString(r.illustrative)) AS i").rows
    assert rec == [{"n": 13, "i": "true"}]


def test_loading_twice_changes_nothing(empty_store: GraphStore) -> None:
    settings = empty_store.settings  # type: ignore[attr-defined]
    load_paths(empty_store, [SAMPLE_CASE], settings)
    first = graph_stats(empty_store)
    props = empty_store.read(load_query("read/stats_labels"))
    load_paths(empty_store, [SAMPLE_CASE], settings)
    assert graph_stats(empty_store) == first
    assert empty_store.read(load_query("read/stats_labels")) == props
    loaded = empty_store.read_user("MATCH (s:Source) RETURN s.id AS id, s.loaded_at AS t").rows
    load_paths(empty_store, [SAMPLE_CASE], settings)
    assert empty_store.read_user("MATCH (s:Source) RETURN s.id AS id, s.loaded_at AS t").rows == loaded
