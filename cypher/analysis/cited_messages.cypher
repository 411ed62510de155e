// Analysis: messages a finding cites (exposure is derived for them even when not flagged).
// Parameters: none. Columns: id, findings (finding ids), sent_at, kind, group, sender.
MATCH (f:Finding)-[:CITES]->(m:Message)
WITH m, collect(DISTINCT f.id) AS findings
OPTIONAL MATCH (m)-[:POSTED_IN]->(g:Group)
OPTIONAL MATCH (m)<-[:SENT]-(s:Person)
RETURN m.id AS id, findings, m.sent_at AS sent_at, m.kind AS kind, g.id AS group,
       s.id AS sender
ORDER BY id
