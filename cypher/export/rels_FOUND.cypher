// Export: the FOUND relationships whose start (Investigation) lies in one window of internal ids,
// for the neo4j-admin import CSVs (paged on the many side's node).
// Parameters: $lo (inclusive), $hi (exclusive) internal ids.
// Columns: start, start_labels, end, end_labels, props.
MATCH (a:Investigation)
WHERE id(a) >= $lo AND id(a) < $hi
MATCH (a)-[r:FOUND]->(b)
RETURN a.id AS start, labels(a) AS start_labels, b.id AS end, labels(b) AS end_labels,
       properties(r) AS props
