// Question: the messages a finding cites as evidence, with sender, group and source.
// Parameters: $finding: finding id.
// Example params: {"finding": "finding:sexual-violence"}
// Columns: finding, sent_at, group, sender, text, sources.
MATCH (f:Finding {id: $finding})-[:CITES]->(m:Message)-[:POSTED_IN]->(g:Group)
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
RETURN f.summary AS finding, m.sent_at AS sent_at, g.name AS group, s.name AS sender,
       m.text AS text, m.sources AS sources
ORDER BY sent_at
