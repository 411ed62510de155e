// API subgraph: the person a subgraph starts from, with the engine's node id for the hops.
// Parameters: $id (Person id). Columns: nid, node.
MATCH (s:Person {id: $id})
RETURN id(s) AS nid, s AS node
