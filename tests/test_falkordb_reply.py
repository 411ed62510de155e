"""The compact-reply decoder gives exactly what the FalkorDB client's decoder + to_plain give."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from conductgraph.graph.errors import InputError, QueryError
from conductgraph.graph.falkordb_reply import ReplyDecoder
from conductgraph.graph.falkordb_store import FalkorDBStore, to_plain

from .conftest import make_settings

# Every kind of cell a reply can hold, nested too. Ids are left out: they are the engine's.
QUERIES = [
    "RETURN null AS n, 'text' AS s, '' AS e, 'naïve – ✓' AS u, 42 AS i, -7 AS neg, true AS t, "
    "false AS f, 1.5 AS d, 1e300 AS big",
    "RETURN [1, 'a', null, [true, 2.5], {k: 'v'}] AS a, {a: 1, b: [1, 2], c: {d: null}} AS m, [] AS empty",
    "MATCH (n:Thing) RETURN n ORDER BY n.name",
    "MATCH (n:Thing) RETURN n.name AS name, labels(n) AS labels, properties(n) AS props ORDER BY name",
    "MATCH (:Thing)-[r]->(:Thing) RETURN r, type(r) AS t, properties(r) AS p ORDER BY t",
    "MATCH p = (:Thing {name: 'a'})-[:LINKS]->(:Thing) RETURN p",
    "MATCH (n:Thing {name: 'a'}) RETURN [n, n.tags] AS pair, {node: n} AS wrapped",
    "RETURN point({latitude: 51.5, longitude: -0.1}) AS pt, vecf32([1.0, 2.0]) AS v",
    "RETURN localdatetime('2017-01-02T03:04:05') AS dt, date('2017-01-02') AS day, "
    "localtime('03:04:05') AS tm, duration('P1DT2H') AS dur",
    "UNWIND range(1, 3) AS x RETURN x, x * 1.5 AS y ORDER BY x",
]


@pytest.fixture(scope="module")
def falkor(data_dir: Path) -> Iterator[FalkorDBStore]:
    settings = make_settings(data_dir)
    store = FalkorDBStore(settings)
    store.graph.query(
        "CREATE (a:Thing:Extra {name: 'a', n: 1, x: 2.25, ok: true, tags: ['p', 'q'], nul: 'a\u2400b'}),"
        " (b:Thing {name: 'b'}), (c:Thing {name: 'c', late_key: 'set after the first read'}),"
        " (a)-[:LINKS {w: 3, since: '2016'}]->(b), (b)-[:NEXT]->(c)"
    )
    yield store
    store.clear()
    store.close()


@pytest.mark.parametrize("query", QUERIES)
def test_decoder_matches_the_client(falkor: FalkorDBStore, query: str) -> None:
    expected = falkor.graph.ro_query(query)
    names = [h[1] for h in expected.header]
    want = [dict(zip(names, (to_plain(v) for v in row), strict=True)) for row in expected.result_set]
    reply = falkor.graph.execute_command("GRAPH.RO_QUERY", falkor.graph.name, query, "--compact")
    columns, rows = ReplyDecoder(falkor.graph, to_plain).rows(reply)
    assert columns == names
    assert rows == want
    assert rows  # every query returns something to compare


def test_a_property_key_created_after_the_decoder_started_is_named(falkor: FalkorDBStore) -> None:
    decoder = ReplyDecoder(falkor.graph, to_plain)
    falkor.graph.query("MATCH (n:Thing {name: 'b'}) SET n.brand_new_key = 5")
    reply = falkor.graph.execute_command(
        "GRAPH.RO_QUERY", falkor.graph.name, "MATCH (n:Thing {name: 'b'}) RETURN n", "--compact")
    assert decoder.rows(reply)[1][0]["n"]["properties"]["brand_new_key"] == 5


def test_a_query_that_fails_while_running_raises(falkor: FalkorDBStore) -> None:
    with pytest.raises(redis.ResponseError):
        falkor._run("GRAPH.RO_QUERY", "UNWIND [1, 0] AS x RETURN 1 / x AS y, toInteger({}) AS z")
    with pytest.raises(QueryError):
        falkor.read_user("RETURN toInteger({}) AS z")


def test_a_write_without_columns_gives_no_rows(falkor: FalkorDBStore) -> None:
    assert falkor._run("GRAPH.QUERY", "CREATE (:Scratch)") == ([], [])
    falkor.graph.query("MATCH (n:Scratch) DELETE n")


def test_user_parameters_that_cannot_be_sent_are_input_errors(falkor: FalkorDBStore) -> None:
    with pytest.raises(InputError, match="parameter"):
        falkor.read_user("RETURN $x AS x", {"x": {1, 2}})
    with pytest.raises(InputError, match="parameter"):
        falkor.read_user("RETURN 1 AS x", {"bad`name": 1})
    assert falkor.read_user("RETURN $x AS x", {"x": "a\x00b"}).rows == [{"x": "a\u2400b"}]
