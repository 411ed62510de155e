// Interaction: @mentions (the sender of a message mentions a person), paged by internal node id windows on message id.
// Parameters: $lo (inclusive), $hi (exclusive): a window of internal node ids; paging by
// window, not `id > $after ORDER BY id LIMIT`, which sorts the whole rest on FalkorDB.
// Columns: id, source (sender), target (person mentioned), at, group.
MATCH (m:Message)
WHERE id(m) >= $lo AND id(m) < $hi
MATCH (m)-[:MENTIONS]->(t:Person)
WITH m, t ORDER BY m.id, t.id
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
OPTIONAL MATCH (m)-[:POSTED_IN]->(g:Group)
RETURN m.id AS id, s.id AS source, t.id AS target, m.sent_at AS at, g.id AS group
