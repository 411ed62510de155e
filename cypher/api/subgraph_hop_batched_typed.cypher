// API subgraph: api/subgraph_hop_batched over the relationship types in $types only.
// Parameters: $frontier (engine node ids), $known (engine ids already in the subgraph),
// $types (type names from the schema whitelist), $cap (most relationships per frontier node).
// Columns: fid (frontier node), nid (neighbour), type, props, start (engine id of the start
// node), node (the neighbour, labels and properties).
UNWIND $frontier AS fid
MATCH (a)
WHERE id(a) = fid
WITH fid, a
MATCH (a)-[r]-(b)
WITH fid, r, b
WHERE type(r) IN $types AND NOT id(b) IN $known
WITH fid, collect([id(b), type(r), properties(r), id(startNode(r)), b])[..$cap] AS found
UNWIND found AS f
RETURN fid, f[0] AS nid, f[1] AS type, f[2] AS props, f[3] AS start, f[4] AS node
