// Export: the SENT relationships whose end (Message) lies in one window of internal ids,
// for the neo4j-admin import CSVs (paged on the many side's node).
// Parameters: $lo (inclusive), $hi (exclusive) internal ids.
// Columns: start, start_labels, end, end_labels, props.
MATCH (b:Message)
WHERE id(b) >= $lo AND id(b) < $hi
MATCH (a)-[r:SENT]->(b)
RETURN a.id AS start, labels(a) AS start_labels, b.id AS end, labels(b) AS end_labels,
       properties(r) AS props
