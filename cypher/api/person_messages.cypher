// API: the messages a person sent, oldest first, one page, with group and categories.
// Parameters: $id (Person id), $offset, $limit.
// Columns: id, sent_at, kind, text, group, categories.
MATCH (:Person {id: $id})-[:SENT]->(m:Message)
OPTIONAL MATCH (m)-[:POSTED_IN]->(g:Group)
OPTIONAL MATCH (m)-[:FLAGGED_AS]->(c:Category)
WITH m, g, collect(DISTINCT c.id) AS categories
RETURN m.id AS id, m.sent_at AS sent_at, m.kind AS kind, m.text AS text, g.id AS group, categories
ORDER BY sent_at, id
SKIP $offset
LIMIT $limit
