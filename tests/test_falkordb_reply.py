"""The compact-reply decoder gives exactly what the FalkorDB client's decoder + to_plain give,
in C (``graph/compact_reply.c``, when built) and in Python."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from conductgraph.graph import falkordb_reply
from conductgraph.graph.errors import InputError, QueryError
from conductgraph.graph.falkordb_reply import NATIVE, ReplyDecoder
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


#: Both decoders where the C one is built; CI builds it (test_ci_builds_the_c_decoder).
DECODERS = [pytest.param(True, id="c"), pytest.param(False, id="python")] if NATIVE else [
    pytest.param(False, id="python")]


def test_ci_builds_the_c_decoder() -> None:
    # Elsewhere a machine without a C compiler installs without it, and that is allowed.
    if not os.environ.get("CI"):
        pytest.skip("only CI requires the C decoder to be built")
    assert NATIVE, "pip install did not build conductgraph.graph.compact_reply"


def test_asking_for_the_c_decoder_where_it_is_not_built_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(falkordb_reply, "NATIVE", False)
    with pytest.raises(RuntimeError, match="not built"):
        ReplyDecoder(object(), to_plain, native=True)


@pytest.mark.parametrize("native", DECODERS)
@pytest.mark.parametrize("query", QUERIES)
def test_decoder_matches_the_client(falkor: FalkorDBStore, query: str, native: bool) -> None:
    expected = falkor.graph.ro_query(query)
    names = [h[1] for h in expected.header]
    want = [dict(zip(names, (to_plain(v) for v in row), strict=True)) for row in expected.result_set]
    reply = falkor.graph.execute_command("GRAPH.RO_QUERY", falkor.graph.name, query, "--compact")
    columns, rows = ReplyDecoder(falkor.graph, to_plain, native=native).rows(reply)
    assert columns == names
    assert rows == want
    assert rows  # every query returns something to compare


@pytest.mark.parametrize("native", DECODERS)
def test_a_name_created_after_the_decoder_started_is_found(falkor: FalkorDBStore, native: bool) -> None:
    decoder = ReplyDecoder(falkor.graph, to_plain, native=native)
    decoder.rows(falkor.graph.execute_command(
        "GRAPH.RO_QUERY", falkor.graph.name, "MATCH (n:Thing)-[r]->() RETURN n, r", "--compact"))
    key = f"brand_new_key_{native}"
    falkor.graph.query(f"MATCH (n:Thing {{name: 'b'}}) SET n.{key} = 5, n:Fresh{native} "
                       f"CREATE (n)-[:NEW_TYPE_{native} {{{key}: 1}}]->(n)")
    reply = falkor.graph.execute_command(
        "GRAPH.RO_QUERY", falkor.graph.name,
        f"MATCH (n:Thing {{name: 'b'}})-[r:NEW_TYPE_{native}]->() RETURN n, r", "--compact")
    row = decoder.rows(reply)[1][0]
    assert row["n"]["properties"][key] == 5 and f"Fresh{native}" in row["n"]["labels"]
    assert row["r"] == {"type": f"NEW_TYPE_{native}", "properties": {key: 1}}
    falkor.graph.query(f"MATCH (:Thing)-[r:NEW_TYPE_{native}]->() DELETE r")


@pytest.mark.skipif(not NATIVE, reason="the C decoder is not built here")
@pytest.mark.parametrize("body", [
    [[[2]]],  # a cell without its value
    [[[8, [1, "not a list of labels", []]]]],
    [[[8, [1, [0], [[0, 2]]]]]],  # a property without its value
    [[[10, ["key-without-cell"]]]],
    [[[6, "not a list"]]],
    ["not a row"],
    [[[2, "a"], [2, "b"]]],  # more cells than columns
])
def test_the_c_decoder_refuses_a_malformed_reply(body: list[Any]) -> None:
    with pytest.raises(ValueError):
        falkordb_reply.compact_reply.rows(body, ["x"], ["L"], ["p"], ["T"], lambda kind, value: value)


@pytest.mark.skipif(not NATIVE, reason="the C decoder is not built here")
def test_the_c_decoder_hands_other_kinds_to_the_fallback() -> None:
    seen: list[tuple[int, Any]] = []

    def fallback(kind: int, value: Any) -> str:
        seen.append((kind, value))
        return "decoded"

    rows = falkordb_reply.compact_reply.rows([[[12, "2017-01-02"], [6, [[11, [1, 2]]]]]], ["d", "a"],
                                             [], [], [], fallback)
    assert rows == [{"d": "decoded", "a": ["decoded"]}]
    assert seen == [(12, "2017-01-02"), (11, [1, 2])]


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
