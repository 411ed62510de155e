// API: recommendations, one page, by investigation and number, optionally of one status.
// Parameters: $status (or null for all), $offset, $limit.
// Columns: id, number, text, status, investigation, accepted.
MATCH (r:Recommendation)
WHERE $status IS NULL OR r.status = $status
OPTIONAL MATCH (i:Investigation)-[:MADE]->(r)
OPTIONAL MATCH (:Organisation)-[resp:RESPONDED]->(r)
WITH r, i, collect(resp.accepted) AS accepted
RETURN r.id AS id, r.number AS number, r.text AS text, r.status AS status, i.id AS investigation,
       accepted
ORDER BY investigation, number, id
SKIP $offset
LIMIT $limit
