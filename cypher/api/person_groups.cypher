// API: the group memberships of a person, one row per interval.
// Parameters: $id (Person id). Columns: group, name, platform, from, to, evidence.
MATCH (:Person {id: $id})-[r:MEMBER_OF]->(g:Group)
RETURN g.id AS group, g.name AS name, g.platform AS platform, r.from AS from, r.to AS to,
       r.evidence AS evidence
ORDER BY group, from
