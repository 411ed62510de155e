"""The neighbourhood of a person or a group, as nodes and edges (``GET /people/{id}/subgraph``).

Breadth-first, two queries per hop: the relationships of each frontier node (in the
frontier's order, each node's in the store's order, at most as many per node as could
still matter), then the properties of the new nodes kept. New nodes are taken in that
order until the node limit is reached; the rest is cut — always the same nodes for the
same stored graph — and ``truncated`` is true. A frontier node with more relationships
than its cap also makes the subgraph truncated (its other neighbours were not looked at).

The per-node cap is what keeps a hop through a group with tens of thousands of messages
as cheap as one through a small group: ordering a whole hop by a property cost a sort of
every neighbour (0.3 s per request on a 500,000-message case). Nodes of
:data:`FEW_RELATIONSHIPS` labels are expanded all in one traversal, cut to the same cap
(``api/subgraph_hop_batched``): the per-node cap costs FalkorDB ~16 µs a node, most of a
hop through a person's 300 messages.

Edges are the relationships along which nodes were reached: every relationship seen from
a node at depth *k* to a node kept at depth *k+1*. When the subgraph is truncated, an edge
from a capped node to a node reached another way can be missing.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .errors import InputError, NotFoundError
from .queries import load_query
from .schema import REL_BY_TYPE
from .store import GraphStore

MAX_DEPTH = 3
SEED_QUERY = {"person": "api/subgraph_seed_person", "group": "api/subgraph_seed_group"}
#: Labels whose nodes have few relationships each: a message has its sender, its group, a
#: reply, mentions, flags and exposures (bounded by its group's size); an account its owner.
FEW_RELATIONSHIPS = frozenset({"Message", "Account", "Rejected"})


def parse_rel_types(text: str | Iterable[str] | None) -> list[str]:
    """Relationship types from ``SENT,MEMBER_OF`` (or a list), checked against the schema.

    None or empty means every type. Only names of :data:`schema.REL_BY_TYPE` pass, so a
    type never reaches a query except as a parameter value from this whitelist.
    """
    if text is None:
        return sorted(REL_BY_TYPE)
    names = text.split(",") if isinstance(text, str) else list(text)
    types = sorted({n.strip().upper() for n in names if n.strip()})
    unknown = [t for t in types if t not in REL_BY_TYPE]
    if unknown:
        raise InputError(
            f"unknown relationship type(s): {', '.join(unknown)}",
            detail={"field": "rel", "allowed": sorted(REL_BY_TYPE)},
        )
    return types or sorted(REL_BY_TYPE)


def person_subgraph(store: GraphStore, person_id: str, *, depth: int = 1,
                    rel_types: Iterable[str] | str | None = None, limit: int = 200) -> dict[str, Any]:
    """The subgraph around the person ``person_id``; see :func:`subgraph`."""
    return subgraph(store, "person", person_id, depth=depth, rel_types=rel_types, limit=limit)


def group_subgraph(store: GraphStore, group_id: str, *, depth: int = 1,
                   rel_types: Iterable[str] | str | None = None, limit: int = 200) -> dict[str, Any]:
    """The subgraph around the group ``group_id``; see :func:`subgraph`."""
    return subgraph(store, "group", group_id, depth=depth, rel_types=rel_types, limit=limit)


def subgraph(store: GraphStore, kind: str, seed_id: str, *, depth: int = 1,
             rel_types: Iterable[str] | str | None = None, limit: int = 200) -> dict[str, Any]:
    """``{seed, depth, rel_types, limit, truncated, nodes: [{id, labels, properties}],
    edges: [{id, type, source, target, properties}]}``, node and edge ids being the
    nodes' ``id`` properties."""
    if not 1 <= depth <= MAX_DEPTH:
        raise InputError(f"depth must be 1 to {MAX_DEPTH}", detail={"field": "depth"})
    if limit < 1:
        raise InputError("limit must be at least 1", detail={"field": "limit"})
    types = parse_rel_types(rel_types)
    seed_rows = store.read(load_query(SEED_QUERY[kind]), {"id": seed_id})
    if not seed_rows:
        raise NotFoundError(f"no {kind} with id {seed_id!r}", detail={"id": seed_id})

    nodes: dict[int, dict[str, Any]] = {seed_rows[0]["nid"]: seed_rows[0]["node"]}
    raw_edges: list[dict[str, Any]] = []
    frontier = [seed_rows[0]["nid"]]
    truncated = False
    every_type = set(types) == set(REL_BY_TYPE)
    for _ in range(depth):
        if not frontier or truncated:
            break
        room = limit - len(nodes)
        # Known nodes are not returned: room + 1 relationships per node tell whether it cuts.
        cap = room + 1
        rows = _hop_rows(store, frontier, nodes, cap, None if every_type else types)
        kept, edges, truncated = _hop(frontier, rows, nodes, room, cap)
        found = store.read(load_query("api/subgraph_nodes"), {"ids": kept})
        nodes.update((row["nid"], row["node"]) for row in found)
        raw_edges.extend(edges)
        frontier = kept
    return {
        "seed": seed_id,
        "depth": depth,
        "rel_types": types,
        "limit": limit,
        "truncated": truncated,
        "nodes": [_node(n) for n in sorted(nodes.values(), key=lambda n: n["properties"]["id"])],
        "edges": _edges(raw_edges, nodes),
    }


def _hop_rows(store: GraphStore, frontier: list[int], nodes: dict[int, dict[str, Any]], cap: int,
              types: list[str] | None) -> list[dict[str, Any]]:
    """Each frontier node's first ``cap`` relationships to nodes not in ``nodes``."""
    few: list[int] = []
    many: list[int] = []
    for fid in frontier:
        (few if FEW_RELATIONSHIPS.intersection(nodes[fid]["labels"]) else many).append(fid)
    known = list(nodes)
    rows: list[dict[str, Any]] = []
    for part, every, some in ((few, "api/subgraph_hop_batched", "api/subgraph_hop_batched_typed"),
                              (many, "api/subgraph_hop", "api/subgraph_hop_typed")):
        if not part:
            continue
        params: dict[str, Any] = {"frontier": part, "known": known, "cap": cap}
        if types is not None:
            params["types"] = types
        rows += store.read(load_query(every if types is None else some), params)
    return rows


def _hop(frontier: list[int], rows: list[dict[str, Any]], known: dict[int, Any], room: int,
         cap: int) -> tuple[list[int], list[dict[str, Any]], bool]:
    """The new nodes a hop keeps (in frontier order, then store order), the relationships
    that reached them, and whether anything was cut."""
    by_frontier: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_frontier.setdefault(row["fid"], []).append(row)
    kept: dict[int, None] = {}
    truncated = False
    for fid in frontier:
        mine = by_frontier.get(fid, [])
        truncated = truncated or len(mine) >= cap
        for row in mine:
            nid = row["nid"]
            if nid in known or nid in kept:
                continue
            if len(kept) < room:
                kept[nid] = None
            else:
                truncated = True
    edges = []
    for row in rows:
        if row["nid"] in kept:
            fid, nid = row["fid"], row["nid"]
            start, end = (fid, nid) if row["start"] == fid else (nid, fid)
            edges.append({"start": start, "end": end, "type": row["type"], "props": row["props"]})
    return list(kept), edges, truncated


def _node(node: dict[str, Any]) -> dict[str, Any]:
    props = dict(node["properties"])
    return {"id": props["id"], "labels": list(node["labels"]), "properties": props}


def _edges(raw: list[dict[str, Any]], nodes: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    ids = {nid: n["properties"]["id"] for nid, n in nodes.items()}
    edges = []
    for r in raw:
        if r["start"] not in ids or r["end"] not in ids:
            continue
        edges.append({
            "type": r["type"], "source": ids[r["start"]], "target": ids[r["end"]],
            "properties": dict(r["props"] or {}),
        })
    edges.sort(key=lambda e: (e["source"], e["type"], e["target"], _canonical(e["properties"])))
    # Stable, readable edge ids; a props hash tells parallel edges (MEMBER_OF intervals) apart.
    triples = Counter((e["type"], e["source"], e["target"]) for e in edges)
    out = []
    for e in edges:
        edge_id = f"{e['type']}:{e['source']}->{e['target']}"
        if triples[(e["type"], e["source"], e["target"])] > 1:
            edge_id += "#" + hashlib.sha256(_canonical(e["properties"]).encode()).hexdigest()[:8]
        out.append({"id": edge_id, **e})
    return out


def _canonical(value: dict[str, Any]) -> str:
    # Most edges (SENT, POSTED_IN) have no properties: json.dumps of them was a fifth of
    # a 500-node subgraph's Python time.
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str) if value else "{}"
