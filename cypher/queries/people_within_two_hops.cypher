// Question: people connected to a person through shared group membership, one or two hops away.
// Parameters: $person: person id.
// Example params: {"person": "person:officer-c"}
// Columns: person, name, hops.
MATCH (p:Person {id: $person})-[:MEMBER_OF]->(:Group)<-[:MEMBER_OF]-(q:Person)
WHERE q.id <> $person
WITH collect(DISTINCT q) AS first
UNWIND first AS q
OPTIONAL MATCH (q)-[:MEMBER_OF]->(:Group)<-[:MEMBER_OF]-(r:Person)
WHERE r.id <> $person AND NOT r IN first
WITH first, collect(DISTINCT r) AS second
UNWIND [x IN first | [x.id, x.name, 1]] + [x IN second | [x.id, x.name, 2]] AS hit
RETURN hit[0] AS person, hit[1] AS name, hit[2] AS hops
ORDER BY hops, person
