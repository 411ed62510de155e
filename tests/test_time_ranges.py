"""Time-range filters on messages are exact on every backend.

FalkorDB's range scans over an indexed string property return wrong rows, so the FalkorDB
schema has no index on ``Message.sent_at`` and drops one a store made earlier still has.
"""

from __future__ import annotations

from conductgraph.graph.queries import Query
from conductgraph.graph.store import GraphStore

JAN = ("2017-01-01T00:00:00Z", "2017-02-01T00:00:00Z")


def _write_year(store: GraphStore) -> list[str]:
    times = [f"2017-{1 + i % 12:02d}-{1 + i % 28:02d}T10:{i % 60:02d}:00Z" for i in range(600)]
    store.write(Query("write/test_messages", "UNWIND $rows AS r CREATE (:Message {id: r.id, sent_at: r.at})",
                      ""), {"rows": [{"id": f"msg:{i}", "at": t} for i, t in enumerate(times)]})
    return times


def _count(store: GraphStore, where: str) -> int:
    rows = store.read_user(f"MATCH (m:Message) WHERE {where} RETURN count(m) AS n",
                           {"a": JAN[0], "b": JAN[1]}).rows
    return int(rows[0]["n"])


def test_a_month_of_messages_is_that_month(empty_store: GraphStore) -> None:
    empty_store.ensure_schema()
    times = _write_year(empty_store)
    january = sum(1 for t in times if JAN[0] <= t < JAN[1])
    assert january == 50
    assert _count(empty_store, "m.sent_at >= $a AND m.sent_at < $b") == january
    assert _count(empty_store, "m.sent_at < $b") == january
    assert _count(empty_store, "m.sent_at >= $b") == len(times) - january


def test_an_old_sent_at_index_is_dropped(empty_store: GraphStore) -> None:
    if empty_store.backend != "falkordb":
        return  # Neo4j's range index is right, and kept
    empty_store.write(Query("schema/test", "CREATE INDEX FOR (n:Message) ON (n.sent_at)", ""), {})
    empty_store.ensure_schema()
    times = _write_year(empty_store)
    assert _count(empty_store, "m.sent_at < $b") == sum(1 for t in times if t < JAN[1])
