// API: the recommendations of an investigation with the responses to them.
// Parameters: $id (Investigation id).
// Columns: id, number, text, status, addressed_to, categories, responses.
MATCH (:Investigation {id: $id})-[:MADE]->(r:Recommendation)
OPTIONAL MATCH (r)-[:ADDRESSED_TO]->(o:Organisation)
WITH r, collect(DISTINCT o.id) AS addressed_to
OPTIONAL MATCH (r)-[:ADDRESSES]->(c:Category)
WITH r, addressed_to, collect(DISTINCT c.id) AS categories
OPTIONAL MATCH (by:Organisation)-[resp:RESPONDED]->(r)
WITH r, addressed_to, categories,
     collect(CASE WHEN by IS NULL THEN NULL ELSE {by: by.id, accepted: resp.accepted, at: resp.at,
             commitment: resp.commitment} END) AS responses
RETURN r.id AS id, r.number AS number, r.text AS text, r.status AS status, addressed_to,
       categories, responses
ORDER BY number
