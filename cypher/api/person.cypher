// API: one person with counts of what they sent, were exposed to and were found about.
// Parameters: $id (Person id). Columns: node, sent, exposed, findings.
MATCH (p:Person {id: $id})
OPTIONAL MATCH (p)-[:SENT]->(m:Message)
WITH p, count(m) AS sent
OPTIONAL MATCH (p)-[:EXPOSED_TO]->(x:Message)
WITH p, sent, count(DISTINCT x) AS exposed
OPTIONAL MATCH (f:Finding)-[:CONCERNS]->(p)
RETURN p AS node, sent, exposed, count(f) AS findings
