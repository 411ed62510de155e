// Export: one page of Group nodes for the neo4j-admin import CSVs, keyset-paged on id.
// Parameters: $after (last id of the previous page; "" for the first), $page (page size).
// Columns: id, labels (every label of the node), props (every property, id included).
MATCH (n:Group)
WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $page
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
