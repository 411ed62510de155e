// API subgraph: api/subgraph_hop for frontier nodes that have few relationships (messages,
// accounts), in one traversal of them all. The per-node cap (FalkorDB's per-row LIMIT in
// api/subgraph_hop) costs ~16 µs a node even for a message with three relationships; here
// the cap is a slice of each node's relationships, in the same store order.
// Parameters: $frontier (engine node ids), $known (engine ids already in the subgraph),
// $cap (most relationships per frontier node).
// Columns: fid (frontier node), nid (neighbour), type, props, start (engine id of the start
// node), node (the neighbour, labels and properties).
UNWIND $frontier AS fid
MATCH (a)
WHERE id(a) = fid
WITH fid, a
MATCH (a)-[r]-(b)
WITH fid, r, b
WHERE NOT id(b) IN $known
WITH fid, collect([id(b), type(r), properties(r), id(startNode(r)), b])[..$cap] AS found
UNWIND found AS f
RETURN fid, f[0] AS nid, f[1] AS type, f[2] AS props, f[3] AS start, f[4] AS node
