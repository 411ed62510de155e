// Export: the Account nodes in one window of internal ids, for the neo4j-admin import CSVs.
// Paged by internal id, not by `id`: an id range is a direct scan on both engines, whereas
// `WHERE n.id > $after ORDER BY n.id LIMIT` sorts the whole remaining range on FalkorDB.
// Parameters: $lo (inclusive), $hi (exclusive) internal ids.
// Columns: id, labels (every label of the node), props (every property, id included).
MATCH (n:Account)
WHERE id(n) >= $lo AND id(n) < $hi
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
