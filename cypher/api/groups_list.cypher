// API: groups, one page, by id, with member, message and flagged-message counts.
// Parameters: $offset, $limit. Columns: id, name, platform, members, messages, flagged.
MATCH (g:Group)
WITH g ORDER BY g.id SKIP $offset LIMIT $limit
OPTIONAL MATCH (p:Person)-[:MEMBER_OF]->(g)
WITH g, count(DISTINCT p) AS members
OPTIONAL MATCH (m:Message)-[:POSTED_IN]->(g)
WITH g, members, count(m) AS messages
OPTIONAL MATCH (f:Message)-[:POSTED_IN]->(g)
WHERE (f)-[:FLAGGED_AS]->(:Category)
RETURN g.id AS id, g.name AS name, g.platform AS platform, members, messages,
       count(DISTINCT f) AS flagged
ORDER BY id
