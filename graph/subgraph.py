"""The neighbourhood of a person or a group, as nodes and edges (``GET /people/{id}/subgraph``).

Breadth-first. A hop visits the frontier nodes in the order they were reached and takes
each one's neighbours in the store's order (relationships and neighbour nodes in one
query), keeping new nodes until the node limit is reached — always the same nodes for
the same stored graph. Then the subgraph is ``truncated`` if anything was left out: a
neighbour there was no room for, a frontier node with more relationships than were read
(its cap), or a frontier node after the one that filled the subgraph with a neighbour of
its own; those later frontier nodes are not otherwise read.

The per-node cap (``room + 1`` relationships to nodes not yet in the subgraph) is what
keeps a hop through a group with tens of thousands of messages as cheap as one through a
small group: ordering a whole hop by a property cost a sort of every neighbour (0.3 s per
request on a 500,000-message case). Nodes of :data:`FEW_RELATIONSHIPS` labels are
expanded many in one traversal, cut to the same cap (``api/subgraph_hop_batched``): the
per-node cap costs FalkorDB ~16 µs a node, most of a hop through a person's 300 messages.

Edges are the relationships along which nodes were reached: every relationship read from
a visited node at depth *k* to a node kept at depth *k+1*. When the subgraph is truncated,
an edge from a capped or unvisited node to a kept node can be missing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from .errors import InputError, NotFoundError
from .queries import Query, load_query
from .schema import REL_BY_TYPE
from .store import GraphStore

MAX_DEPTH = 3
SEED_QUERY = {"person": "api/subgraph_seed_person", "group": "api/subgraph_seed_group"}
#: Labels whose nodes have few relationships each: a message has its sender, its group, a
#: reply, mentions, flags and exposures (bounded by its group's size); an account its owner.
FEW_RELATIONSHIPS = frozenset({"Message", "Account", "Rejected"})
#: The hop queries: (every relationship type, the types in ``$types``).
BATCHED = ("api/subgraph_hop_batched", "api/subgraph_hop_batched_typed")
CAPPED = ("api/subgraph_hop", "api/subgraph_hop_typed")


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
    hop_types = None if set(types) == set(REL_BY_TYPE) else types
    for _ in range(depth):
        if not frontier or truncated:
            break
        kept, edges, truncated = _Hop(store, frontier, nodes, limit - len(nodes), hop_types).walk()
        nodes.update(kept)
        raw_edges.extend(edges)
        frontier = list(kept)
    return {
        "seed": seed_id,
        "depth": depth,
        "rel_types": types,
        "limit": limit,
        "truncated": truncated,
        "nodes": [_node(n) for n in sorted(nodes.values(), key=lambda n: n["properties"]["id"])],
        "edges": _edges(raw_edges, nodes),
    }


class _Hop:
    """One breadth-first hop: visits the frontier in order until ``room`` new nodes are kept.

    A visit reads the node's first ``room + 1`` relationships to nodes not yet in the
    subgraph (enough to fill the room even when some lead to nodes this hop already kept,
    and one more to tell whether the node was cut). Frontier nodes are read as the walk
    reaches them, in runs that grow, so the nodes after the one that fills the room are
    not read at all (around a person in three groups of 5,000 messages: one group, not
    three groups and 300 messages). Nodes of :data:`FEW_RELATIONSHIPS` labels are read in
    one traversal per run of 16, 64, 256, … of them; the others through the per-node cap,
    in runs of 1, 2, 4, ….
    """

    #: Per kind of frontier node (has few relationships?): first run and growth per run.
    RUNS = {True: (16, 4), False: (1, 2)}

    def __init__(self, store: GraphStore, frontier: list[int], nodes: dict[int, dict[str, Any]],
                 room: int, types: list[str] | None) -> None:
        self.store, self.frontier, self.nodes, self.room, self.types = store, frontier, nodes, room, types
        self.cap = room + 1
        self.few = {f: bool(FEW_RELATIONSHIPS.intersection(nodes[f]["labels"])) for f in frontier}
        self.unread = {kind: [f for f in frontier if self.few[f] is kind] for kind in (True, False)}
        self.run = {kind: first for kind, (first, _) in self.RUNS.items()}
        self.rows: dict[int, list[dict[str, Any]]] = {}
        self.read: set[int] = set()

    def walk(self) -> tuple[dict[int, dict[str, Any]], list[dict[str, Any]], bool]:
        """The new nodes kept (in frontier order, then store order; by engine id), the
        relationships that reached them from the nodes visited, and whether anything was cut."""
        kept: dict[int, dict[str, Any]] = {}
        truncated = False
        visited = 0
        for position, fid in enumerate(self.frontier):
            if len(kept) >= self.room:
                # Full: the rest is not visited, only asked whether it had anything to add.
                truncated = truncated or self._any_new(self.frontier[position:], kept)
                break
            if fid not in self.read:
                self._read_run(self.few[fid])
            mine = self.rows.get(fid, [])
            visited += 1
            truncated = truncated or len(mine) >= self.cap
            for row in mine:
                nid = row["nid"]
                if nid in self.nodes or nid in kept:
                    continue
                if len(kept) < self.room:
                    kept[nid] = row["node"]
                else:
                    truncated = True
        edges = []
        for fid in self.frontier[:visited]:
            for row in self.rows.get(fid, ()):
                nid = row["nid"]
                if nid in kept:
                    start, end = (fid, nid) if row["start"] == fid else (nid, fid)
                    edges.append({"start": start, "end": end, "type": row["type"], "props": row["props"]})
        return kept, edges, truncated

    def _read_run(self, few: bool) -> None:
        """Read the next run of unread frontier nodes of one kind, in frontier order."""
        queue, size = self.unread[few], self.run[few]
        part, self.unread[few] = queue[:size], queue[size:]
        self.run[few] = size * self.RUNS[few][1]
        self.read.update(part)
        for row in self._neighbours(part, list(self.nodes), self.cap):
            self.rows.setdefault(row["fid"], []).append(row)

    def _any_new(self, rest: list[int], kept: dict[int, dict[str, Any]]) -> bool:
        """Whether a frontier node of ``rest`` has a neighbour that is in neither the
        subgraph nor ``kept`` (one relationship each is enough to tell)."""
        if any(row["nid"] not in self.nodes and row["nid"] not in kept
               for f in rest if f in self.read for row in self.rows.get(f, ())):
            return True
        unread = [f for f in rest if f not in self.read]
        return bool(unread) and bool(self._neighbours(unread, [*self.nodes, *kept], 1))

    def _neighbours(self, part: list[int], known: list[int], cap: int) -> list[dict[str, Any]]:
        """The rows of ``part``'s first ``cap`` relationships each to nodes not in ``known``."""
        rows: list[dict[str, Any]] = []
        for few, queries in ((True, BATCHED), (False, CAPPED)):
            group = [f for f in part if self.few[f] is few]
            if group:
                rows += self.store.read(self._query(queries), self._params(group, known, cap))
        return rows

    def _query(self, queries: tuple[str, str]) -> Query:
        return load_query(queries[0] if self.types is None else queries[1])

    def _params(self, part: list[int], known: list[int], cap: int) -> dict[str, Any]:
        params: dict[str, Any] = {"frontier": part, "known": known, "cap": cap}
        if self.types is not None:
            params["types"] = self.types
        return params


def _node(node: dict[str, Any]) -> dict[str, Any]:
    # The decoder made these dicts for this request alone: no copies.
    props = node["properties"]
    return {"id": props["id"], "labels": node["labels"], "properties": props}


def _edges(raw: list[dict[str, Any]], nodes: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    ids = {nid: n["properties"]["id"] for nid, n in nodes.items()}
    by_triple: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in raw:
        source, target = ids.get(r["start"]), ids.get(r["end"])
        if source is not None and target is not None:
            by_triple.setdefault((source, r["type"], target), []).append(r["props"] or {})
    out = []
    for (source, type_, target), found in sorted(by_triple.items(), key=itemgetter(0)):
        edge_id = f"{type_}:{source}->{target}"
        if len(found) == 1:
            out.append({"id": edge_id, "type": type_, "source": source, "target": target,
                        "properties": found[0]})
            continue
        # Parallel edges (MEMBER_OF intervals): ordered by, and told apart by a hash of, their
        # properties. Only these are serialised: most edges have no twin.
        for canonical, props in sorted(((_canonical(p), p) for p in found), key=itemgetter(0)):
            out.append({"id": edge_id + "#" + hashlib.sha256(canonical.encode()).hexdigest()[:8],
                        "type": type_, "source": source, "target": target, "properties": props})
    return out


def _canonical(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
