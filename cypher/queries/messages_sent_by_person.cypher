// Question: every message a person sent, where, when, and the categories it was flagged as.
// Parameters: $person: person id.
// Example params: {"person": "person:officer-a"}
// Columns: sent_at, group, kind, text, categories, message.
MATCH (p:Person {id: $person})-[:SENT]->(m:Message)-[:POSTED_IN]->(g:Group)
OPTIONAL MATCH (m)-[:FLAGGED_AS]->(c:Category)
RETURN m.sent_at AS sent_at, g.name AS group, m.kind AS kind, m.text AS text,
       collect(DISTINCT c.id) AS categories, m.id AS message
ORDER BY sent_at, message
