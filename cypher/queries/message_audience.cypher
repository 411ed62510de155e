// Question: who was in the group when a message was posted (its audience), sender excluded.
// Parameters: $message: message id.
// Example params: {"message": "msg:eb21c5d7d84bcba9f3f3840796291cf6"}
// Columns: person, name, evidence.
MATCH (m:Message {id: $message})-[:POSTED_IN]->(g:Group)<-[mo:MEMBER_OF]-(p:Person)
WHERE mo.`from` <= m.sent_at AND (mo.`to` IS NULL OR m.sent_at < mo.`to`)
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
WITH p, mo, s
WHERE s IS NULL OR s.id <> p.id
RETURN DISTINCT p.id AS person, p.name AS name, mo.evidence AS evidence
ORDER BY name, person
