"""The compact-reply decoder gives exactly what the FalkorDB client's decoder + to_plain give,
from the client's lists (Python) and from the reply's bytes (``graph/compact_reply.c``, when
built)."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hiredis
import pytest
import redis
from hypothesis import given
from hypothesis import strategies as st
from redis._parsers.base import BaseParser
from redis.exceptions import InvalidResponse

from conductgraph.graph import falkordb_reply
from conductgraph.graph.errors import InputError, QueryError
from conductgraph.graph.falkordb_reply import NATIVE, ReplyDecoder
from conductgraph.graph.falkordb_store import FalkorDBStore, to_plain
from conductgraph.graph.falkordb_wire import FalkorDBWire

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


needs_native = pytest.mark.skipif(not NATIVE, reason="the C reader is not built here")

#: How a reply reaches the decoder: the redis client's lists (Python), or its bytes read by
#: the C module where it is built (CI builds it: test_ci_builds_the_c_reader).
PATHS = ["lists", "wire"] if NATIVE else ["lists"]


def _rows(falkor: FalkorDBStore, decoder: ReplyDecoder, path: str, query: str
          ) -> tuple[list[str], list[dict[str, Any]]]:
    args = ("GRAPH.RO_QUERY", falkor.graph.name, query, "--compact")
    if path == "lists":
        return decoder.rows(falkor.graph.execute_command(*args))
    wire = FalkorDBWire(falkor.settings.socket_path)
    try:
        return decoder.wire_rows(wire.request(*args))
    finally:
        wire.close()


def test_ci_builds_the_c_reader() -> None:
    # Elsewhere a machine without a C compiler installs without it, and that is allowed.
    if not os.environ.get("CI"):
        pytest.skip("only CI requires the C reader to be built")
    assert NATIVE, "pip install did not build conductgraph.graph.compact_reply"


def test_the_wire_needs_the_c_reader(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.setattr(falkordb_reply, "compact_reply", None)
    with pytest.raises(RuntimeError, match="not built"):
        FalkorDBWire(data_dir / "falkordb.sock")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("query", QUERIES)
def test_decoder_matches_the_client(falkor: FalkorDBStore, query: str, path: str) -> None:
    expected = falkor.graph.ro_query(query)
    names = [h[1] for h in expected.header]
    want = [dict(zip(names, (to_plain(v) for v in row), strict=True)) for row in expected.result_set]
    columns, rows = _rows(falkor, ReplyDecoder(falkor.graph, to_plain), path, query)
    assert columns == names
    assert rows == want
    assert rows  # every query returns something to compare


@pytest.mark.parametrize("path", PATHS)
def test_a_name_created_after_the_decoder_started_is_found(falkor: FalkorDBStore, path: str) -> None:
    decoder = ReplyDecoder(falkor.graph, to_plain)
    _rows(falkor, decoder, path, "MATCH (n:Thing)-[r]->() RETURN n, r")
    key = f"brand_new_key_{path}"
    falkor.graph.query(f"MATCH (n:Thing {{name: 'b'}}) SET n.{key} = 5, n:Fresh_{path} "
                       f"CREATE (n)-[:NEW_TYPE_{path} {{{key}: 1}}]->(n)")
    row = _rows(falkor, decoder, path,
                f"MATCH (n:Thing {{name: 'b'}})-[r:NEW_TYPE_{path}]->() RETURN n, r")[1][0]
    assert row["n"]["properties"][key] == 5 and f"Fresh_{path}" in row["n"]["labels"]
    assert row["r"] == {"type": f"NEW_TYPE_{path}", "properties": {key: 1}}
    falkor.graph.query(f"MATCH (:Thing)-[r:NEW_TYPE_{path}]->() DELETE r")


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


# -- Straight from the wire (graph/falkordb_wire.py) --------------------------------------------


@needs_native
def test_the_store_reads_through_its_own_connections_and_reconnects(falkor: FalkorDBStore) -> None:
    assert falkor._wire is not None
    assert falkor.read_user("MATCH (n:Thing {name: 'a'}) RETURN n.n AS n").rows == [{"n": 1}]
    # The server drops every client connection (as when it restarts): the read is sent again.
    falkor._db.connection.execute_command("CLIENT", "KILL", "TYPE", "normal")
    assert falkor.read_user("MATCH (n:Thing {name: 'b'}) RETURN n.name AS n").rows == [{"n": "b"}]
    with pytest.raises(redis.ResponseError, match="empty key"):
        falkor._decoder.wire_rows(falkor._wire.request("GRAPH.RO_QUERY", "no-such-graph", "RETURN 1",
                                                       "--compact"))


RESP_SAMPLES = [
    b"+OK\r\n", b"-ERR wrong\r\n", b"-ERR cut inside a character: \xc2\r\n",
    b":-42\r\n", b"$-1\r\n", b"*-1\r\n", b"*0\r\n", b"$0\r\n\r\n",
    "$9\r\nnaïve ✓\r\n".replace("$9", f"${len('naïve ✓'.encode())}").encode(),
    b"*3\r\n*2\r\n*2\r\n:1\r\n$1\r\na\r\n*2\r\n:1\r\n$1\r\nb\r\n*1\r\n*2\r\n*2\r\n:3\r\n:7\r\n"
    b"*2\r\n:1\r\n$-1\r\n*1\r\n$4\r\nstat\r\n",
]


@needs_native
@pytest.mark.parametrize("data", RESP_SAMPLES)
def test_the_c_reader_reads_resp_as_hiredis_does(data: bytes) -> None:
    reader = hiredis.Reader(encoding="utf-8", replyError=BaseParser.parse_error)
    reader.feed(data)
    want = reader.gets()
    got = falkordb_reply.compact_reply.reply(data, BaseParser.parse_error)
    if isinstance(want, Exception):
        assert type(got) is type(want) and str(got) == str(want)
    else:
        assert got == want
    # Every prefix is incomplete, also scanned on from where the last scan stopped; the
    # whole is one value.
    frame_end = falkordb_reply.compact_reply.frame_end
    scanned, pending = 0, 1
    for cut in range(len(data)):
        assert frame_end(data[:cut])[1] > 0
        scanned, pending = frame_end(data[:cut], scanned, pending)
        assert pending > 0
    assert frame_end(data, scanned, pending) == frame_end(data) == (len(data), 0)


@needs_native
@pytest.mark.parametrize("data", [
    b"?what\r\n", b"*2\r\n:1\r\n", b":12a\r\n", b"$5\r\nab\r\n", b"*1\r\n:1\n", b"+OK\r\n+OK\r\n",
])
def test_the_c_reader_refuses_what_is_not_one_resp_value(data: bytes) -> None:
    with pytest.raises(ValueError):
        falkordb_reply.compact_reply.query_reply(data, [], [], [], lambda k, v: v, BaseParser.parse_error)


@needs_native
@pytest.mark.parametrize("data", [b"?what\r\n", b"*1a\r\n:1\r\n", b"*1\r\n:1\n"])
def test_scanning_refuses_what_is_not_resp(data: bytes) -> None:
    with pytest.raises(ValueError):
        falkordb_reply.compact_reply.frame_end(data)


@needs_native
def test_the_c_reader_hands_other_kinds_to_the_fallback() -> None:
    seen: list[tuple[int, Any]] = []

    def fallback(kind: int, value: Any) -> str:
        seen.append((kind, value))
        return "decoded"

    # Columns d and a; one row: a date-like cell (kind 12), and an array holding a kind-11 cell.
    data = (b"*3\r\n*2\r\n*2\r\n:1\r\n$1\r\nd\r\n*2\r\n:1\r\n$1\r\na\r\n"
            b"*1\r\n*2\r\n*2\r\n:12\r\n$10\r\n2017-01-02\r\n"
            b"*2\r\n:6\r\n*1\r\n*2\r\n:11\r\n*2\r\n:1\r\n:2\r\n*0\r\n")
    names, rows, statistics = falkordb_reply.compact_reply.query_reply(
        data, [], [], [], fallback, BaseParser.parse_error)
    assert (names, rows, statistics) == (["d", "a"], [{"d": "decoded", "a": ["decoded"]}], [])
    assert seen == [(12, "2017-01-02"), (11, [1, 2])]


@needs_native
def test_a_row_shorter_than_the_header_is_refused(falkor: FalkorDBStore) -> None:
    two_columns_one_cell = (b"*3\r\n*2\r\n*2\r\n:1\r\n$1\r\na\r\n*2\r\n:1\r\n$1\r\nb\r\n"
                            b"*1\r\n*1\r\n*2\r\n:2\r\n$1\r\nx\r\n*0\r\n")
    with pytest.raises(ValueError):
        ReplyDecoder(falkor.graph, to_plain).wire_rows(two_columns_one_cell)


def _resp(value: Any) -> bytes:
    if value is None:
        return b"$-1\r\n"
    if isinstance(value, int):
        return b":%d\r\n" % value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return b"$%d\r\n%s\r\n" % (len(data), data)
    return b"*%d\r\n" % len(value) + b"".join(_resp(v) for v in value)


_values = st.recursive(
    st.none() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=6), max_leaves=40)


@needs_native
@given(value=_values)
def test_any_resp_value_reads_as_hiredis_reads_it(value: Any) -> None:
    data = _resp(value)
    reader = hiredis.Reader(encoding="utf-8")
    reader.feed(data)
    assert falkordb_reply.compact_reply.reply(data, BaseParser.parse_error) == reader.gets() == value
    assert falkordb_reply.compact_reply.frame_end(data) == (len(data), 0)
    assert falkordb_reply.compact_reply.frame_end(data[:-1])[1] > 0


@needs_native
def test_a_reply_of_many_reads_is_read_whole(falkor: FalkorDBStore) -> None:
    # Several MB: many reads of the socket, each scanned on from where the last one stopped.
    rows = falkor.read_user("UNWIND range(1, 100000) AS x RETURN x, 'text of row ' + toString(x) AS t",
                            row_limit=200_000).rows
    assert len(rows) == 100_000
    assert rows[0] == {"x": 1, "t": "text of row 1"} and rows[-1] == {"x": 100_000, "t": "text of row 100000"}


@needs_native
@pytest.mark.parametrize("sent", [b"?not resp\r\n", b"+OK\r\n+OK\r\n"])
def test_a_reply_that_is_not_one_resp_value_is_the_clients_invalid_response(
        tmp_path: Path, sent: bytes) -> None:
    path = tmp_path / "fake.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen(1)

        def answer() -> None:
            conn, _ = server.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(sent)
                conn.recv(1)  # until the client hangs up

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        wire = FalkorDBWire(path)
        try:
            with pytest.raises(InvalidResponse):
                wire.request("GRAPH.RO_QUERY", "g", "RETURN 1", "--compact")
        finally:
            wire.close()
        thread.join(5)
