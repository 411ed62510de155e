// API: the postings of a person.
// Parameters: $id (Person id). Columns: unit, name, from, to, role.
MATCH (:Person {id: $id})-[s:SERVED_IN]->(u:Unit)
RETURN u.id AS unit, u.name AS name, s.from AS from, s.to AS to, s.role AS role
ORDER BY from, unit
