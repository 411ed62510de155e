"""The store contract, on every configured backend: plain values, read-only, errors, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.support import scratch_data_dir
from conductgraph.graph import falkordb_server
from conductgraph.graph.errors import QueryError, ReadOnlyError, StoreUnavailableError
from conductgraph.graph.queries import load_query
from conductgraph.graph.records import Node, Rel
from conductgraph.graph.store import GraphStore, open_store
from conductgraph.graph.writer import MissingEndError, RecordWriter

from .conftest import make_settings


def _write_small(store: GraphStore, batch_size: int = 2) -> RecordWriter:
    with RecordWriter(store, batch_size=batch_size) as w:
        w.add(Node("Officer", "person:a", {"name": "A", "resolved": True, "aliases": ["a1"]},
                   source="src:1"))
        w.add(Node("Group", "group:g", {"name": "G", "platform": "whatsapp"}, source="src:1"))
        w.add(Node("Message", "msg:1", once={"sent_at": "2017-01-01T10:00:00Z", "kind": "text",
                                             "text": "hi", "precise": False}, source="src:1"))
        w.add(Rel("SENT", "Officer", "person:a", "Message", "msg:1"))
        w.add(Rel("MEMBER_OF", "Person", "person:a", "Group", "group:g",
                  {"from": "2016-01-01T00:00:00Z", "evidence": "event"}))
    return w


def test_reads_return_plain_values(empty_store: GraphStore) -> None:
    empty_store.ensure_schema()
    _write_small(empty_store)
    rows = empty_store.read_user(
        "MATCH (p:Person)-[r:SENT]->(m:Message) RETURN p, r, m.text AS text, p.aliases AS aliases"
    ).rows
    assert rows == [{
        "p": {"labels": ["Officer", "Person"],
              "properties": {"id": "person:a", "name": "A", "resolved": True, "aliases": ["a1"],
                             "sources": ["src:1"]}},
        "r": {"type": "SENT", "properties": {}},
        "text": "hi",
        "aliases": ["a1"],
    }]


def test_writes_are_idempotent(empty_store: GraphStore) -> None:
    empty_store.ensure_schema()
    _write_small(empty_store)
    _write_small(empty_store, batch_size=1)
    rows = empty_store.read_user(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r").rows
    assert rows == [{"n": 3, "r": 2}]


def test_a_more_precise_copy_keeps_its_seconds(empty_store: GraphStore) -> None:
    empty_store.ensure_schema()
    with RecordWriter(empty_store) as w:
        w.add(Node("Message", "msg:1", once={"sent_at": "2017-01-01T10:00:00Z", "kind": "text",
                                             "precise": False}, source="src:a"))
    with RecordWriter(empty_store) as w:
        w.add(Node("Message", "msg:1", once={"sent_at": "2017-01-01T10:00:41Z", "kind": "text",
                                             "precise": True}, source="src:b"))
    row = empty_store.read_user("MATCH (m:Message) RETURN m.sent_at AS t, m.sources AS s").rows[0]
    assert row["t"] == "2017-01-01T10:00:41Z"
    assert sorted(row["s"]) == ["src:a", "src:b"]


def test_a_relationship_to_a_missing_node_is_an_error(empty_store: GraphStore) -> None:
    empty_store.ensure_schema()
    with pytest.raises(MissingEndError, match="does not exist"), RecordWriter(empty_store) as w:
        w.add(Rel("SENT", "Person", "person:nobody", "Message", "msg:none"))


@pytest.mark.parametrize("query", [
    "CREATE (n:Person {id: 'x'})",
    "MATCH (n) SET n.x = 1",
    "MATCH (n) DETACH DELETE n",
    "MERGE (n:Person {id: 'y'}) RETURN n",
])
def test_user_queries_are_read_only(store: GraphStore, query: str) -> None:
    before = store.read(load_query("read/stats_labels"))
    with pytest.raises(ReadOnlyError):
        store.read_user(query)
    assert store.read(load_query("read/stats_labels")) == before


def test_syntax_errors_keep_the_engine_message(store: GraphStore) -> None:
    with pytest.raises(QueryError) as info:
        store.read_user("MATCH (n RETURN n")
    assert info.value.http_status == 400
    assert info.value.detail["engine"] == store.backend


def test_row_limit_truncates(store: GraphStore) -> None:
    result = store.read_user("MATCH (r:Recommendation) RETURN r.number AS n ORDER BY n",
                             row_limit=4)
    assert [r["n"] for r in result.rows] == [1, 2, 3, 4]
    assert result.truncated is True


def test_data_survives_stop_and_start() -> None:
    with scratch_data_dir("persist") as data_dir:
        settings = make_settings(data_dir)
        store = open_store(settings)
        store.ensure_schema()
        _write_small(store)
        store.close()
        assert falkordb_server.stop(data_dir) is True
        assert not falkordb_server.status(data_dir).running
        with pytest.raises(StoreUnavailableError):
            open_store(settings, start=False)
        store = open_store(settings)  # starts it again from the append-only file
        rows = store.read_user("MATCH (m:Message) RETURN m.text AS text").rows
        assert rows == [{"text": "hi"}]
        store.close()


def test_data_dir_and_socket_are_private(store: GraphStore) -> None:
    if store.backend != "falkordb":
        pytest.skip("embedded store only")
    settings = store.settings  # type: ignore[attr-defined]
    assert settings.data_dir.stat().st_mode & 0o077 == 0
    assert settings.socket_path.stat().st_mode & 0o077 == 0


def test_concurrent_starts_give_one_server() -> None:
    from concurrent.futures import ThreadPoolExecutor

    with scratch_data_dir("race") as data_dir:
        with ThreadPoolExecutor(4) as pool:
            states = list(pool.map(lambda _: falkordb_server.start(data_dir), range(4)))
        assert all(s.running for s in states)
        assert len({s.pid for s in states}) == 1
        needle = f"{data_dir}/falkordb.sock".encode()
        procs = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if needle in cmdline.read_bytes():
                    procs.append(cmdline.parent.name)
            except OSError:
                continue  # the process ended while we looked
        assert len(procs) == 1, procs
