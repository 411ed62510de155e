// Admin: delete every node and relationship of the graph (tests, `conductgraph db reset`).
// Parameters: none.
MATCH (n) DETACH DELETE n
