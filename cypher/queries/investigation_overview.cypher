// Question: an investigation at a glance: who ran it, what it examined, findings, recommendations.
// Parameters: $investigation: investigation id.
// Example params: {"investigation": "inv:hotton"}
// Columns: name, conducted_by, period_from, period_to, examined, findings, recommendations, accepted.
MATCH (i:Investigation {id: $investigation})
OPTIONAL MATCH (o:Organisation)-[:CONDUCTED]->(i)
OPTIONAL MATCH (i)-[:EXAMINED]->(x)
WITH i, o, collect(DISTINCT x.name) AS examined
OPTIONAL MATCH (i)-[:FOUND]->(f:Finding)
WITH i, o, examined, count(DISTINCT f) AS findings
OPTIONAL MATCH (i)-[:MADE]->(r:Recommendation)
OPTIONAL MATCH (:Organisation)-[resp:RESPONDED]->(r)
RETURN i.name AS name, o.name AS conducted_by, i.period_from AS period_from,
       i.period_to AS period_to, examined, findings, count(DISTINCT r) AS recommendations,
       count(DISTINCT CASE WHEN resp.accepted THEN r END) AS accepted
