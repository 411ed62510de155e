// Analysis: messages a finding cites (exposure is derived for them even when not flagged).
// Parameters: none. Columns: id, findings (finding ids).
MATCH (f:Finding)-[:CITES]->(m:Message)
RETURN m.id AS id, collect(DISTINCT f.id) AS findings
ORDER BY id
