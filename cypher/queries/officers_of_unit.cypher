// Question: the officers who served in a unit (or a unit inside it), and the groups they were in.
// Parameters: $unit: unit id.
// Example params: {"unit": "unit:charing-cross"}
// Columns: officer, name, rank, unit, from, to, groups.
MATCH (u:Unit)-[:PART_OF*0..3]->(top:Unit {id: $unit})
MATCH (p:Officer)-[s:SERVED_IN]->(u)
OPTIONAL MATCH (p)-[:MEMBER_OF]->(g:Group)
RETURN p.id AS officer, p.name AS name, p.rank AS rank, u.name AS unit,
       s.`from` AS `from`, s.`to` AS `to`, collect(DISTINCT g.name) AS groups
ORDER BY name, unit
