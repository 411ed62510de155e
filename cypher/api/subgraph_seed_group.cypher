// API subgraph: the group a subgraph starts from, with the engine's node id for the hops.
// Parameters: $id (Group id). Columns: nid, node.
MATCH (s:Group {id: $id})
RETURN id(s) AS nid, s AS node
