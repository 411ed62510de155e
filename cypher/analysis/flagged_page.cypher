// Analysis: one page of flagged messages, in one window of internal node ids, with categories, group and sender.
// Parameters: $lo (inclusive), $hi (exclusive): a window of internal node ids; paging by
// window, not `id > $after ORDER BY id LIMIT`, which sorts the whole rest on FalkorDB.
// Columns: id, categories (distinct ids), sent_at, kind, group, sender (null when unknown).
MATCH (m:Message)
WHERE id(m) >= $lo AND id(m) < $hi
MATCH (m)-[:FLAGGED_AS]->(c:Category)
WITH m, collect(DISTINCT c.id) AS categories
WITH m, categories ORDER BY m.id
OPTIONAL MATCH (m)-[:POSTED_IN]->(g:Group)
OPTIONAL MATCH (m)<-[:SENT]-(s:Person)
RETURN m.id AS id, categories, m.sent_at AS sent_at, m.kind AS kind, g.id AS group,
       s.id AS sender
