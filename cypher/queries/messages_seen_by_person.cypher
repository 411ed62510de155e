// Question: every message a person could have seen: posted in a group while they were a member
// (from inclusive, to exclusive), sent by someone else. Works without derived EXPOSED_TO edges.
// Parameters: $person: person id.
// Example params: {"person": "person:officer-e"}
// Columns: sent_at, group, sender, text, categories, message.
MATCH (p:Person {id: $person})-[mo:MEMBER_OF]->(g:Group)<-[:POSTED_IN]-(m:Message)
WHERE m.sent_at >= mo.`from` AND (mo.`to` IS NULL OR m.sent_at < mo.`to`)
  AND m.kind <> 'system'
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
WITH p, g, m, s
WHERE s IS NULL OR s.id <> p.id
OPTIONAL MATCH (m)-[:FLAGGED_AS]->(c:Category)
RETURN DISTINCT m.sent_at AS sent_at, g.name AS group, s.name AS sender, m.text AS text,
       collect(DISTINCT c.id) AS categories, m.id AS message
ORDER BY sent_at, message
