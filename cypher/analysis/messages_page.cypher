// Analysis: one page of messages, keyset-paged on id, with group and sender.
// Parameters: $after (last id of the previous page; "" for the first), $page (page size).
// Columns: id, sent_at, kind, group (null if not posted in a group), sender (null if unknown).
MATCH (m:Message)
WHERE m.id > $after
WITH m ORDER BY m.id LIMIT $page
OPTIONAL MATCH (m)-[:POSTED_IN]->(g:Group)
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
RETURN m.id AS id, m.sent_at AS sent_at, m.kind AS kind, g.id AS group, s.id AS sender
