"""The neighbourhood of a person or a group, as nodes and edges (``GET /people/{id}/subgraph``).

Breadth-first, one query per hop: each hop adds the nodes next to the frontier, over the
allowed relationship types, ordered by their ``id``. When the node limit is reached the
rest is cut — always the same nodes for the same graph — and ``truncated`` is true.
Edges are the relationships along which nodes were reached (every relationship from a
node at depth *k* to a node at depth *k+1* within the subgraph).
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
    for _ in range(depth):
        if not frontier:
            break
        room = limit - len(nodes)
        # One more than there is room for: a row beyond the room means the cut loses nodes.
        # Seen nodes come back too (see the query): ask for that many more, then drop them.
        rows = store.read(load_query("api/subgraph_hop"), {
            "frontier": frontier, "types": types, "cap": room + 1 + len(nodes),
        })
        rows = [row for row in rows if row["nid"] not in nodes][: room + 1]
        if len(rows) > room:
            truncated = True
            rows = rows[:room]
        frontier = []
        for row in rows:
            nodes[row["nid"]] = row["node"]
            frontier.append(row["nid"])
            raw_edges.extend(row["rels"])
        if truncated:
            break
    return {
        "seed": seed_id,
        "depth": depth,
        "rel_types": types,
        "limit": limit,
        "truncated": truncated,
        "nodes": [_node(n) for n in sorted(nodes.values(), key=lambda n: n["properties"]["id"])],
        "edges": _edges(raw_edges, nodes),
    }


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


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
