// API: the members of a group, one row per membership interval.
// Parameters: $id (Group id). Columns: person, name, from, to, evidence.
MATCH (p:Person)-[r:MEMBER_OF]->(:Group {id: $id})
RETURN p.id AS person, p.name AS name, r.from AS from, r.to AS to, r.evidence AS evidence
ORDER BY person, from
