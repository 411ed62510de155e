// Coding: for each analyst coding row, the messages posted in its group within its minute.
// Parameters: $rows = [{row, group, from, to}] (from inclusive, to exclusive, UTC text).
// Columns: row, id, text, sender (person id), sender_name, sender_handle.
UNWIND $rows AS r
MATCH (m:Message)-[:POSTED_IN]->(g:Group {id: r.group})
WHERE m.sent_at >= r.from AND m.sent_at < r.to
OPTIONAL MATCH (p:Person)-[:SENT]->(m)
RETURN r.row AS row, m.id AS id, m.text AS text, p.id AS sender, p.name AS sender_name,
       m.sender_handle AS sender_handle
