// API: the findings that concern a person, with their investigation.
// Parameters: $id (Person id). Columns: id, summary, outcome, investigation.
MATCH (f:Finding)-[:CONCERNS]->(:Person {id: $id})
OPTIONAL MATCH (i:Investigation)-[:FOUND]->(f)
RETURN f.id AS id, f.summary AS summary, f.outcome AS outcome, i.id AS investigation
ORDER BY id
