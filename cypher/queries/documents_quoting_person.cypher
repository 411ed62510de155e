// Question: which published documents quote messages a person sent.
// Parameters: $person: person id.
// Example params: {"person": "person:officer-b"}
// Columns: document, publisher, published_at, text.
MATCH (d:Document)-[:QUOTES]->(m:Message)<-[:SENT]-(p:Person {id: $person})
RETURN d.title AS document, d.publisher AS publisher, d.published_at AS published_at,
       m.text AS text
ORDER BY document, text
