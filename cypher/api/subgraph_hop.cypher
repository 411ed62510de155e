// API subgraph: one breadth-first hop. The nodes next to the frontier, over the allowed
// relationship types, ordered by their `id` property so a cut is deterministic; each with
// the relationships that reach it from the frontier. Nodes already in the subgraph are
// dropped by the caller: a list-membership test per neighbour cost a quarter of the time.
// Parameters: $frontier (engine node ids), $types (relationship type names, from the
// schema whitelist), $cap (most nodes to return, seen ones included).
// Columns: nid, node, rels (list of {start, end, type, props}, ends as engine node ids).
UNWIND $frontier AS fid
MATCH (a)
WHERE id(a) = fid
WITH a
MATCH (a)-[r]-(b)
WHERE type(r) IN $types
WITH b, collect({start: id(startNode(r)), end: id(endNode(r)), type: type(r), props: properties(r)}) AS rels
RETURN id(b) AS nid, b AS node, rels
ORDER BY b.id, nid
LIMIT $cap
