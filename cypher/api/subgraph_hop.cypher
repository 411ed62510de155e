// API subgraph: one breadth-first hop over every relationship type. For each frontier node,
// at most $cap of its relationships in the store's order (a per-node cap, so a group with
// 50,000 messages costs what one with $cap does); the caller picks the new nodes and says
// the subgraph was truncated when a node filled its cap. Each row carries the neighbour
// itself: the caller reads a frontier node only when it may still add nodes, so nearly
// every neighbour returned is kept.
// Parameters: $frontier (engine node ids), $known (engine ids of the nodes already in the
// subgraph: not returned, so the cap counts new neighbours only), $cap (most relationships
// per frontier node).
// Columns: fid (frontier node), nid (neighbour), type, props, start (engine id of the start
// node), node (the neighbour, labels and properties).
UNWIND $frontier AS fid
MATCH (a)
WHERE id(a) = fid
CALL {
  WITH a
  MATCH (a)-[r]-(b)
  WHERE NOT id(b) IN $known
  RETURN id(b) AS nid, type(r) AS type, properties(r) AS props, id(startNode(r)) AS start, b AS node
  LIMIT $cap
}
RETURN fid, nid, type, props, start, node
