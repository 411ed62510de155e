"""The breadth-first subgraph on small hand-made graphs with known answers."""

from __future__ import annotations

import pytest

from conductgraph.graph import subgraph as subgraph_module
from conductgraph.graph.records import Node, Rel
from conductgraph.graph.store import GraphStore
from conductgraph.graph.subgraph import group_subgraph, person_subgraph
from conductgraph.graph.writer import RecordWriter

MESSAGES = 40


def _write(store: GraphStore) -> None:
    """Two people in one big group; p1 also in a small group with p3; p1 sent every message."""
    with RecordWriter(store) as w:
        for p in ("p1", "p2", "p3"):
            w.add(Node("Person", f"person:{p}", {"name": p, "resolved": True}))
        for g in ("big", "small"):
            w.add(Node("Group", f"group:{g}", {"name": g, "platform": "whatsapp"}))
        for p, g in (("p1", "big"), ("p2", "big"), ("p1", "small"), ("p3", "small")):
            w.add(Rel("MEMBER_OF", "Person", f"person:{p}", "Group", f"group:{g}",
                      {"from": "2016-01-01T00:00:00Z", "evidence": "declared"}))
        for i in range(MESSAGES):
            mid = f"msg:{i:03d}"
            w.add(Node("Message", mid, once={"sent_at": "2016-02-01T10:00:00Z", "kind": "text",
                                              "text": f"m{i}"}))
            w.add(Rel("POSTED_IN", "Message", mid, "Group", "group:big"))
            w.add(Rel("SENT", "Person", "person:p1", "Message", mid))


def test_whole_neighbourhood_when_it_fits(empty_store: GraphStore) -> None:
    _write(empty_store)
    sub = person_subgraph(empty_store, "person:p1", depth=2, limit=1000)
    ids = {n["id"] for n in sub["nodes"]}
    assert sub["truncated"] is False
    assert ids == {"person:p1", "person:p2", "person:p3", "group:big", "group:small",
                   *(f"msg:{i:03d}" for i in range(MESSAGES))}
    # Depth 1: 2 MEMBER_OF + 40 SENT; depth 2: p2 and p3 joined their groups; the messages'
    # POSTED_IN go from depth 1 to depth 1 and are not edges of the tree.
    types = sorted(e["type"] for e in sub["edges"])
    assert types.count("SENT") == MESSAGES and types.count("MEMBER_OF") == 4
    assert "POSTED_IN" not in types


def test_cut_keeps_limit_nodes_and_says_so(empty_store: GraphStore) -> None:
    _write(empty_store)
    cut = group_subgraph(empty_store, "group:big", depth=1, limit=10)
    assert cut["truncated"] is True and len(cut["nodes"]) == 10
    assert cut == group_subgraph(empty_store, "group:big", depth=1, limit=10)
    ids = {n["id"] for n in cut["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in cut["edges"])
    # Exactly as many nodes as the neighbourhood has: nothing is cut.
    whole = group_subgraph(empty_store, "group:big", depth=1, limit=MESSAGES + 3)
    assert whole["truncated"] is False and len(whole["nodes"]) == MESSAGES + 3


def test_relationship_filter(empty_store: GraphStore) -> None:
    _write(empty_store)
    sub = person_subgraph(empty_store, "person:p1", depth=2, rel_types="MEMBER_OF", limit=1000)
    assert {n["id"] for n in sub["nodes"]} == {"person:p1", "person:p2", "person:p3", "group:big",
                                               "group:small"}
    assert {e["type"] for e in sub["edges"]} == {"MEMBER_OF"} and sub["truncated"] is False


def _write_replies(store: GraphStore) -> None:
    """One message with 12 replies, each reply flagged; a person who sent the first."""
    with RecordWriter(store) as w:
        w.add(Node("Person", "person:p1", {"name": "p1", "resolved": True}))
        w.add(Node("Account", "whatsapp:p1", {"platform": "whatsapp", "handle": "p1"}))
        w.add(Rel("HAS_ACCOUNT", "Person", "person:p1", "Account", "whatsapp:p1"))
        w.add(Node("Group", "group:g", {"name": "g", "platform": "whatsapp"}))
        w.add(Node("Category", "racism", {"name": "Racism"}))
        w.add(Node("Message", "msg:root", once={"sent_at": "2016-02-01T10:00:00Z", "kind": "text"}))
        w.add(Rel("SENT", "Person", "person:p1", "Message", "msg:root"))
        w.add(Rel("POSTED_IN", "Message", "msg:root", "Group", "group:g"))
        for i in range(12):
            mid = f"msg:r{i:02d}"
            w.add(Node("Message", mid, once={"sent_at": "2016-02-01T11:00:00Z", "kind": "text"}))
            w.add(Rel("REPLY_TO", "Message", mid, "Message", "msg:root"))
            w.add(Rel("POSTED_IN", "Message", mid, "Group", "group:g"))
            w.add(Rel("FLAGGED_AS", "Message", mid, "Category", "racism", {"method": "analyst"}))


def test_nodes_with_few_relationships_are_cut_as_the_others(empty_store: GraphStore,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages and accounts go through one batched traversal: the same subgraphs as through
    the per-node cap, also when a message has more relationships than the cap."""
    _write_replies(empty_store)
    cases = [(depth, limit, rel) for depth in (1, 2, 3) for limit in (3, 6, 9, 40)
             for rel in (None, "REPLY_TO,SENT", "HAS_ACCOUNT,SENT,FLAGGED_AS")]
    batched = [person_subgraph(empty_store, "person:p1", depth=d, limit=n, rel_types=r) for d, n, r in cases]
    monkeypatch.setattr(subgraph_module, "FEW_RELATIONSHIPS", frozenset())
    capped = [person_subgraph(empty_store, "person:p1", depth=d, limit=n, rel_types=r) for d, n, r in cases]
    assert batched == capped
    assert any(s["truncated"] for s in batched) and not all(s["truncated"] for s in batched)
    assert any(n["id"] == "racism" for s in batched for n in s["nodes"])
