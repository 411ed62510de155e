// Export: the CITES relationships of one page of Message nodes (their end), keyset-paged on
// that node's id, for the neo4j-admin import CSVs.
// Parameters: $after (last anchor id of the previous page; "" for the first), $page (page size).
// Columns: anchor (id of the paged node; one row with null start/end when it has none),
// start, start_labels, end, end_labels, props.
MATCH (b:Message)
WHERE b.id > $after
WITH b ORDER BY b.id LIMIT $page
OPTIONAL MATCH (a)-[r:CITES]->(b)
RETURN b.id AS anchor, a.id AS start, labels(a) AS start_labels, b.id AS end,
       labels(b) AS end_labels, properties(r) AS props
