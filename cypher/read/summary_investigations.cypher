// Summary: each investigation, who conducted it, and its recommendations' responses.
// Parameters: none. Columns: investigation, name, conducted_by, published_at, findings,
// recommendations, accepted.
MATCH (i:Investigation)
OPTIONAL MATCH (o:Organisation)-[:CONDUCTED]->(i)
OPTIONAL MATCH (i)-[:FOUND]->(f:Finding)
WITH i, o, count(DISTINCT f) AS findings
OPTIONAL MATCH (i)-[:MADE]->(r:Recommendation)
OPTIONAL MATCH (:Organisation)-[resp:RESPONDED]->(r)
RETURN i.id AS investigation, i.name AS name, o.name AS conducted_by,
       i.published_at AS published_at, findings,
       count(DISTINCT r) AS recommendations,
       count(DISTINCT CASE WHEN resp.accepted THEN r END) AS accepted
ORDER BY investigation
