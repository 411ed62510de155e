"""Small hand-made case graphs for the analysis tests (coding, exposure, participation, network)."""

from __future__ import annotations

from dataclasses import dataclass, field

from conductgraph.graph.records import Node, Rel
from conductgraph.graph.store import GraphStore
from conductgraph.graph.writer import RecordWriter

CATEGORIES = ("racism", "misogyny", "sexual_violence")


@dataclass
class Msg:
    id: str
    group: str
    sender: str | None
    sent_at: str
    text: str = "hello"
    flags: tuple[str, ...] = ()
    kind: str = "text"


@dataclass
class Case:
    people: list[str]
    groups: list[str]
    # (person, group, from, to or None)
    memberships: list[tuple[str, str, str, str | None]]
    messages: list[Msg]
    replies: list[tuple[str, str]] = field(default_factory=list)  # (reply id, original id)
    mentions: list[tuple[str, str]] = field(default_factory=list)  # (message id, person)


def write_case(store: GraphStore, case: Case) -> None:
    """Write the case with ids ``person:<p>``, ``group:<g>``, ``msg:<m>``; flags as analyst."""
    with RecordWriter(store) as w:
        for c in CATEGORIES:
            w.add(Node("Category", c, {"name": c.replace("_", " ").title()}))
        for p in case.people:
            w.add(Node("Person", f"person:{p}", {"name": p.upper(), "resolved": True}))
        for g in case.groups:
            w.add(Node("Group", f"group:{g}", {"name": f"Group {g}", "platform": "whatsapp"}))
        for p, g, start, end in case.memberships:
            w.add(Rel("MEMBER_OF", "Person", f"person:{p}", "Group", f"group:{g}",
                      {"from": start, "to": end, "evidence": "declared"}))
        for m in case.messages:
            w.add(Node("Message", f"msg:{m.id}", once={"sent_at": m.sent_at, "text": m.text,
                                                       "kind": m.kind}))
            w.add(Rel("POSTED_IN", "Message", f"msg:{m.id}", "Group", f"group:{m.group}"))
            if m.sender:
                w.add(Rel("SENT", "Person", f"person:{m.sender}", "Message", f"msg:{m.id}"))
            for c in m.flags:
                w.add(Rel("FLAGGED_AS", "Message", f"msg:{m.id}", "Category", c,
                          {"method": "analyst", "coder": "test", "reviewed": True}))
        for reply, original in case.replies:
            w.add(Rel("REPLY_TO", "Message", f"msg:{reply}", "Message", f"msg:{original}"))
        for message, person in case.mentions:
            w.add(Rel("MENTIONS", "Message", f"msg:{message}", "Person", f"person:{person}"))


def count_rels(store: GraphStore, rel_type: str) -> int:
    rows = store.read_user("MATCH ()-[r]->() WHERE type(r) = $t RETURN count(r) AS n", {"t": rel_type})
    return int(rows.rows[0]["n"])
