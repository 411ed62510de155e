// Question: every message flagged as a category, how it was flagged, by whom it was sent, where.
// Parameters: $category: category id (racism, misogyny, sexual_violence, …).
// Example params: {"category": "misogyny"}
// Columns: sent_at, group, sender, text, method, reviewed, message.
MATCH (m:Message)-[f:FLAGGED_AS]->(c:Category {id: $category})
MATCH (m)-[:POSTED_IN]->(g:Group)
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
RETURN m.sent_at AS sent_at, g.name AS group, s.name AS sender, m.text AS text,
       f.method AS method, f.reviewed AS reviewed, m.id AS message
ORDER BY sent_at, message, method
