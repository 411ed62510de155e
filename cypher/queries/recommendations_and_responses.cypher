// Question: the recommendations addressed to an organisation, and how it responded.
// Parameters: $organisation: organisation id.
// Example params: {"organisation": "org:mps"}
// Columns: number, text, status, addresses, accepted, responded_at, commitment.
MATCH (r:Recommendation)-[:ADDRESSED_TO]->(o:Organisation {id: $organisation})
OPTIONAL MATCH (o)-[resp:RESPONDED]->(r)
OPTIONAL MATCH (r)-[:ADDRESSES]->(c:Category)
RETURN r.number AS number, r.text AS text, r.status AS status,
       collect(DISTINCT c.id) AS addresses, resp.accepted AS accepted, resp.at AS responded_at,
       resp.commitment AS commitment
ORDER BY number
