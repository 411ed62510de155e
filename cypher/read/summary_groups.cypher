// Summary: each group with its members, messages and flagged messages.
// Parameters: none. Columns: group, name, platform, members, messages, flagged.
MATCH (g:Group)
OPTIONAL MATCH (p:Person)-[:MEMBER_OF]->(g)
WITH g, count(DISTINCT p) AS members
OPTIONAL MATCH (m:Message)-[:POSTED_IN]->(g)
WITH g, members, count(m) AS messages
OPTIONAL MATCH (f:Message)-[:POSTED_IN]->(g)
WHERE (f)-[:FLAGGED_AS]->(:Category)
RETURN g.id AS group, g.name AS name, g.platform AS platform, members, messages,
       count(DISTINCT f) AS flagged
ORDER BY group
