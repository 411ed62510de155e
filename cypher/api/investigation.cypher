// API: one investigation, who conducted it and what it examined.
// Parameters: $id (Investigation id). Columns: node, conducted_by, examined.
MATCH (i:Investigation {id: $id})
OPTIONAL MATCH (o:Organisation)-[:CONDUCTED]->(i)
WITH i, collect(DISTINCT {id: o.id, name: o.name}) AS conducted_by
OPTIONAL MATCH (i)-[:EXAMINED]->(x)
RETURN i AS node, conducted_by, collect(DISTINCT {id: x.id, name: x.name}) AS examined
