// Interaction: replies between people (B's message replies to A's), paged by internal node id windows on the reply's id.
// Parameters: $lo (inclusive), $hi (exclusive): a window of internal node ids; paging by
// window, not `id > $after ORDER BY id LIMIT`, which sorts the whole rest on FalkorDB.
// Columns: id, source (who replied), target (who was replied to), at, group.
MATCH (m:Message)
WHERE id(m) >= $lo AND id(m) < $hi
MATCH (m)-[:REPLY_TO]->(o:Message)
WITH m, o ORDER BY m.id, o.id
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
OPTIONAL MATCH (t:Person)-[:SENT]->(o)
OPTIONAL MATCH (m)-[:POSTED_IN]->(g:Group)
RETURN m.id AS id, s.id AS source, t.id AS target, m.sent_at AS at, g.id AS group
