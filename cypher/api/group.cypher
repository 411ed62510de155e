// API: one group with its message counts and first and last message times.
// Parameters: $id (Group id). Columns: node, messages, first, last.
MATCH (g:Group {id: $id})
OPTIONAL MATCH (m:Message)-[:POSTED_IN]->(g)
RETURN g AS node, count(m) AS messages, min(m.sent_at) AS first, max(m.sent_at) AS last
