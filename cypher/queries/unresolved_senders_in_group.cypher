// Question: in a group, which senders are known only by a chat handle, and how much they posted.
// Parameters: $group: group id.
// Example params: {"group": "group:wa-team"}
// Columns: person, handle, messages, first, last.
MATCH (p:Person)-[:SENT]->(m:Message)-[:POSTED_IN]->(g:Group {id: $group})
WHERE p.resolved = false
RETURN p.id AS person, p.name AS handle, count(m) AS messages,
       min(m.sent_at) AS first, max(m.sent_at) AS last
ORDER BY messages DESC, person
