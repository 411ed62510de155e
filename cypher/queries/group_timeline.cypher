// Question: what was posted in a group between two moments, in order.
// Parameters: $group: group id; $from, $to: UTC times (from inclusive, to exclusive).
// Example params: {"group": "group:wa-team", "from": "2017-01-01T00:00:00Z", "to": "2018-01-01T00:00:00Z"}
// Columns: sent_at, sender, kind, text, message.
MATCH (m:Message)-[:POSTED_IN]->(g:Group {id: $group})
WHERE m.sent_at >= $from AND m.sent_at < $to
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
RETURN m.sent_at AS sent_at, coalesce(s.name, m.sender_handle) AS sender, m.kind AS kind,
       m.text AS text, m.id AS message
ORDER BY sent_at, message
