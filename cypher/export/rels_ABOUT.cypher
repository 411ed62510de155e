// Export: the ABOUT relationships of one page of Finding nodes (their start), keyset-paged on
// that node's id, for the neo4j-admin import CSVs.
// Parameters: $after (last anchor id of the previous page; "" for the first), $page (page size).
// Columns: anchor (id of the paged node; one row with null start/end when it has none),
// start, start_labels, end, end_labels, props.
MATCH (a:Finding)
WHERE a.id > $after
WITH a ORDER BY a.id LIMIT $page
OPTIONAL MATCH (a)-[r:ABOUT]->(b)
RETURN a.id AS anchor, a.id AS start, labels(a) AS start_labels, b.id AS end,
       labels(b) AS end_labels, properties(r) AS props
