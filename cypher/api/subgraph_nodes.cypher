// API subgraph: the nodes a hop kept, with their labels and properties.
// Parameters: $ids (engine node ids). Columns: nid, node.
UNWIND $ids AS nid
MATCH (b)
WHERE id(b) = nid
RETURN nid, b AS node
