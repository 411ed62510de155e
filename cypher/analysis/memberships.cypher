// Analysis: every membership interval (from inclusive, to exclusive; to null = still a member).
// Parameters: none. Columns: person, group, from, to, evidence.
MATCH (p:Person)-[r:MEMBER_OF]->(g:Group)
RETURN p.id AS person, g.id AS group, r.from AS from, r.to AS to, r.evidence AS evidence
ORDER BY person, group, from
