// Interaction: @mentions (the sender of a message mentions a person), keyset-paged on message id.
// Parameters: $after (last message id of the previous page; "" for the first), $page (page size).
// Columns: id, source (sender), target (person mentioned), at, group.
MATCH (m:Message)-[:MENTIONS]->(t:Person)
WHERE m.id > $after
WITH m, t ORDER BY m.id LIMIT $page
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
OPTIONAL MATCH (m)-[:POSTED_IN]->(g:Group)
RETURN m.id AS id, s.id AS source, t.id AS target, m.sent_at AS at, g.id AS group
