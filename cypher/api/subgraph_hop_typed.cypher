// API subgraph: one breadth-first hop over the relationship types in $types only; otherwise
// as api/subgraph_hop (per-node cap, store order, the neighbour in each row).
// Parameters: $frontier (engine node ids), $known (engine ids of the nodes already in the
// subgraph: not returned, so the cap counts new neighbours only), $types (type names from
// the schema whitelist), $cap (most relationships per frontier node).
// Columns: fid (frontier node), nid (neighbour), type, props, start (engine id of the start
// node), node (the neighbour, labels and properties).
UNWIND $frontier AS fid
MATCH (a)
WHERE id(a) = fid
CALL {
  WITH a
  MATCH (a)-[r]-(b)
  WHERE type(r) IN $types AND NOT id(b) IN $known
  RETURN id(b) AS nid, type(r) AS type, properties(r) AS props, id(startNode(r)) AS start, b AS node
  LIMIT $cap
}
RETURN fid, nid, type, props, start, node
