// Analysis: one page of messages, in one window of internal node ids, with group and sender.
// Parameters: $lo (inclusive), $hi (exclusive): a window of internal node ids; paging by
// window, not `id > $after ORDER BY id LIMIT`, which sorts the whole rest on FalkorDB.
// Columns: id, sent_at, kind, group (null if not posted in a group), sender (null if unknown).
MATCH (m:Message)
WHERE id(m) >= $lo AND id(m) < $hi
WITH m ORDER BY m.id
OPTIONAL MATCH (m)-[:POSTED_IN]->(g:Group)
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
RETURN m.id AS id, m.sent_at AS sent_at, m.kind AS kind, g.id AS group, s.id AS sender
