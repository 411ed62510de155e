"""The record writer's message path: new messages are created, known ones merged."""

from __future__ import annotations

import pytest

from conductgraph.graph.records import Node, PostedMessage
from conductgraph.graph.store import GraphStore
from conductgraph.graph.writer import MissingEndError, RecordWriter


def _posted(i: int, source: str, *, precise: bool = False) -> PostedMessage:
    sent_at = f"2017-03-01T10:{i:02d}:{30 if precise else 0:02d}Z"
    node = Node("Message", f"msg:{i}", once={"sent_at": sent_at, "kind": "text", "text": f"m{i}",
                                             "precise": precise}, source=source)
    return PostedMessage(node, group="group:g", sender="person:p")


def _count(store: GraphStore, query: str) -> int:
    return int(store.read_user(query).rows[0]["n"])


def test_a_batch_of_known_and_new_messages(empty_store: GraphStore) -> None:
    with RecordWriter(empty_store, batch_size=100) as w:
        w.add(Node("Person", "person:p", {"name": "P", "resolved": True}))
        w.add(Node("Group", "group:g", {"name": "G", "platform": "whatsapp"}))
        for i in range(3):
            w.add(_posted(i, "source:a"))
    # One batch: two messages the store has (from another phone, one with seconds) and two new.
    with RecordWriter(empty_store, batch_size=100) as w:
        for i in (1, 2, 3, 4):
            w.add(_posted(i, "source:b", precise=i == 2))
    assert _count(empty_store, "MATCH (m:Message) RETURN count(m) AS n") == 5
    assert _count(empty_store, "MATCH (:Person)-[r:SENT]->(:Message) RETURN count(r) AS n") == 5
    assert _count(empty_store, "MATCH (:Message)-[r:POSTED_IN]->(:Group) RETURN count(r) AS n") == 5
    rows = {r["id"]: r for r in empty_store.read_user(
        "MATCH (m:Message) RETURN m.id AS id, m.sources AS sources, m.sent_at AS at, "
        "m.precise AS precise").rows}
    assert sorted(rows["msg:1"]["sources"]) == ["source:a", "source:b"]
    assert rows["msg:0"]["sources"] == ["source:a"] and rows["msg:4"]["sources"] == ["source:b"]
    assert rows["msg:2"]["at"] == "2017-03-01T10:02:30Z" and rows["msg:2"]["precise"] is True
    assert rows["msg:4"]["precise"] is False


def test_a_message_with_no_such_sender_is_an_error(empty_store: GraphStore) -> None:
    with RecordWriter(empty_store) as w:
        w.add(Node("Group", "group:g", {"name": "G", "platform": "whatsapp"}))
    with pytest.raises(MissingEndError), RecordWriter(empty_store) as w:
        w.add(_posted(1, "source:a"))
