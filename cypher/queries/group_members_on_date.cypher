// Question: who was a member of a group at a given moment, and on what evidence.
// Parameters: $group: group id; $at: UTC time YYYY-MM-DDTHH:MM:SSZ.
// Example params: {"group": "group:fb-team", "at": "2017-06-01T00:00:00Z"}
// Columns: person, name, from, to, evidence.
MATCH (p:Person)-[mo:MEMBER_OF]->(g:Group {id: $group})
WHERE mo.`from` <= $at AND (mo.`to` IS NULL OR $at < mo.`to`)
RETURN p.id AS person, p.name AS name, mo.`from` AS `from`, mo.`to` AS `to`,
       mo.evidence AS evidence
ORDER BY name, person
