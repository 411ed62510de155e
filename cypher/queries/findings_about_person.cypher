// Question: what each investigation found about a person, the categories and cited messages.
// Parameters: $person: person id.
// Example params: {"person": "person:officer-a"}
// Columns: investigation, finding, summary, outcome, categories, cited.
MATCH (i:Investigation)-[:FOUND]->(f:Finding)-[:CONCERNS]->(p:Person {id: $person})
OPTIONAL MATCH (f)-[:ABOUT]->(c:Category)
OPTIONAL MATCH (f)-[:CITES]->(m:Message)
RETURN i.name AS investigation, f.id AS finding, f.summary AS summary, f.outcome AS outcome,
       collect(DISTINCT c.id) AS categories, collect(DISTINCT m.text) AS cited
ORDER BY finding
