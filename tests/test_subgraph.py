"""The breadth-first subgraph on small hand-made graphs with known answers."""

from __future__ import annotations

import pytest

from conductgraph.graph import subgraph as subgraph_module
from conductgraph.graph.queries import load_query
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


def _write_hubs(store: GraphStore) -> None:
    """Nine people in four groups of 3 to 9 members, 200 messages (half of them in group a),
    some replies, flags and accounts: frontiers with several nodes of many relationships,
    and with over 80 messages (the third run of them)."""
    people = [f"person:h{i}" for i in range(9)]
    rosters = {"group:a": people, "group:b": people[:4], "group:c": people[3:], "group:d": people[6:]}
    with RecordWriter(store) as w:
        w.add(Node("Category", "racism", {"name": "Racism"}))
        for p in people:
            w.add(Node("Person", p, {"name": p, "resolved": True}))
            w.add(Node("Account", f"whatsapp:{p}", {"platform": "whatsapp", "handle": p}))
            w.add(Rel("HAS_ACCOUNT", "Person", p, "Account", f"whatsapp:{p}"))
        for g, members in rosters.items():
            w.add(Node("Group", g, {"name": g, "platform": "whatsapp"}))
            for p in members:
                w.add(Rel("MEMBER_OF", "Person", p, "Group", g,
                          {"from": "2016-01-01T00:00:00Z", "evidence": "declared"}))
        groups = list(rosters)
        for i in range(200):
            g = groups[0] if i % 2 else groups[i % 4]
            mid = f"msg:h{i:03d}"
            w.add(Node("Message", mid, once={"sent_at": "2016-02-01T10:00:00Z", "kind": "text",
                                              "text": f"h{i}"}))
            w.add(Rel("POSTED_IN", "Message", mid, "Group", g))
            w.add(Rel("SENT", "Person", rosters[g][i % len(rosters[g])], "Message", mid))
            if i % 7 == 3:
                w.add(Rel("FLAGGED_AS", "Message", mid, "Category", "racism", {"method": "analyst"}))
            if i >= 4 and i % 5 == 0:
                w.add(Rel("REPLY_TO", "Message", mid, "Message", f"msg:h{i - 4:03d}"))


def _one_node_at_a_time(store: GraphStore, kind: str, seed: str, depth: int, limit: int,
                        rel: str | None) -> tuple[set[str], set[tuple[str, str, str]], bool]:
    """The subgraph's definition, read the slow way: one query per frontier node."""
    types = subgraph_module.parse_rel_types(rel)
    every = set(types) == set(subgraph_module.REL_BY_TYPE)
    query = load_query("api/subgraph_hop" if every else "api/subgraph_hop_typed")
    seed_row = store.read(load_query(subgraph_module.SEED_QUERY[kind]), {"id": seed})[0]
    nodes = {seed_row["nid"]: seed_row["node"]["properties"]["id"]}
    edges: set[tuple[str, str, str]] = set()
    frontier, truncated = [seed_row["nid"]], False
    for _ in range(depth):
        if not frontier or truncated:
            break
        room = limit - len(nodes)
        rows = {}
        for fid in frontier:
            params = {"frontier": [fid], "known": list(nodes), "cap": room + 1}
            rows[fid] = store.read(query, params if every else {**params, "types": types})
        kept: dict[int, str] = {}
        visited = []
        for position, fid in enumerate(frontier):
            if len(kept) >= room:
                truncated = truncated or any(r["nid"] not in nodes and r["nid"] not in kept
                                             for f in frontier[position:] for r in rows[f])
                break
            visited.append(fid)
            truncated = truncated or len(rows[fid]) > room
            for r in rows[fid]:
                if r["nid"] in nodes or r["nid"] in kept:
                    continue
                if len(kept) < room:
                    kept[r["nid"]] = r["node"]["properties"]["id"]
                else:
                    truncated = True
        for fid in visited:
            for r in rows[fid]:
                if r["nid"] in kept:
                    start, end = (fid, r["nid"]) if r["start"] == fid else (r["nid"], fid)
                    edges.add((r["type"], start, end))
        nodes.update(kept)
        frontier = list(kept)
    return set(nodes.values()), {(t, nodes[s], nodes[e]) for t, s, e in edges}, truncated


def test_the_hop_reads_what_one_query_per_node_would(empty_store: GraphStore) -> None:
    """Messages batched, groups and people in runs of 1, 2, 4, …, the frontier after the
    node that filled the subgraph only asked whether it had more: the same subgraphs as
    reading every frontier node on its own."""
    _write_hubs(empty_store)
    seen_cut = seen_whole = 0
    for kind, seed in (("person", "person:h0"), ("person", "person:h3"), ("group", "group:a"),
                       ("group", "group:b")):
        for depth in (1, 2, 3):
            for limit in (1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377):
                for rel in (None, "MEMBER_OF,SENT", "POSTED_IN,REPLY_TO,FLAGGED_AS,SENT"):
                    got = subgraph_module.subgraph(empty_store, kind, seed, depth=depth, limit=limit,
                                                   rel_types=rel)
                    want_nodes, want_edges, want_cut = _one_node_at_a_time(empty_store, kind, seed, depth,
                                                                          limit, rel)
                    case = (kind, seed, depth, limit, rel)
                    assert {n["id"] for n in got["nodes"]} == want_nodes, case
                    assert {(e["type"], e["source"], e["target"]) for e in got["edges"]} == want_edges, case
                    assert got["truncated"] is want_cut, case
                    assert len(got["nodes"]) <= limit
                    seen_cut += want_cut
                    seen_whole += not want_cut
    assert seen_cut and seen_whole


def test_a_subgraph_filled_exactly_is_cut_only_if_more_was_there(empty_store: GraphStore) -> None:
    _write(empty_store)
    # p1's neighbourhood: two groups and 40 messages (42), then p2 and p3 at depth 2.
    at_one_hop = person_subgraph(empty_store, "person:p1", depth=2, limit=43)
    assert len(at_one_hop["nodes"]) == 43 and at_one_hop["truncated"] is True
    assert person_subgraph(empty_store, "person:p1", depth=1, limit=43)["truncated"] is False
    everything = person_subgraph(empty_store, "person:p1", depth=2, limit=45)
    assert len(everything["nodes"]) == 45 and everything["truncated"] is False
    assert person_subgraph(empty_store, "person:p1", depth=3, limit=45)["truncated"] is False


def test_parallel_edges_get_ids_of_their_own(empty_store: GraphStore) -> None:
    """A person who left a group and joined it again: two MEMBER_OF edges, told apart by a
    hash of their properties and ordered by them; a single edge keeps the plain id."""
    with RecordWriter(empty_store) as w:
        w.add(Node("Person", "person:p", {"name": "p", "resolved": True}))
        w.add(Node("Group", "group:g", {"name": "g", "platform": "whatsapp"}))
        w.add(Node("Group", "group:h", {"name": "h", "platform": "whatsapp"}))
        for start, end in (("2017-03-01T00:00:00Z", None), ("2016-01-01T00:00:00Z", "2016-06-01T00:00:00Z")):
            w.add(Rel("MEMBER_OF", "Person", "person:p", "Group", "group:g",
                      {"from": start, "to": end, "evidence": "declared"}))
        w.add(Rel("MEMBER_OF", "Person", "person:p", "Group", "group:h",
                  {"from": "2016-01-01T00:00:00Z", "evidence": "declared"}))
    edges = person_subgraph(empty_store, "person:p")["edges"]
    to_g = [e for e in edges if e["target"] == "group:g"]
    assert [e["properties"]["from"] for e in to_g] == ["2016-01-01T00:00:00Z", "2017-03-01T00:00:00Z"]
    assert all(e["id"].startswith("MEMBER_OF:person:p->group:g#") for e in to_g)
    assert len({e["id"] for e in to_g}) == 2
    assert [e["id"] for e in edges if e["target"] == "group:h"] == ["MEMBER_OF:person:p->group:h"]
    assert edges == person_subgraph(empty_store, "person:p")["edges"]
