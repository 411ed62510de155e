// Interaction: replies between people (B's message replies to A's), keyset-paged on the reply's id.
// Parameters: $after (last message id of the previous page; "" for the first), $page (page size).
// Columns: id, source (who replied), target (who was replied to), at, group.
MATCH (m:Message)-[:REPLY_TO]->(o:Message)
WHERE m.id > $after
WITH m, o ORDER BY m.id LIMIT $page
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
OPTIONAL MATCH (t:Person)-[:SENT]->(o)
OPTIONAL MATCH (m)-[:POSTED_IN]->(g:Group)
RETURN m.id AS id, s.id AS source, t.id AS target, m.sent_at AS at, g.id AS group
