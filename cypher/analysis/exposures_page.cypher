// Exposure: the EXPOSED_TO relationships now in the graph, paged by internal node id windows on the person id.
// Parameters: $lo (inclusive), $hi (exclusive): a window of internal node ids; paging by
// window, not `id > $after ORDER BY id LIMIT`, which sorts the whole rest on FalkorDB.
// Each as one "<message id> <at>" string: a million of them travel far faster than lists.
// Columns: person, exposures (list of "<message id> <at>"; empty when none).
MATCH (p:Person)
WHERE id(p) >= $lo AND id(p) < $hi
WITH p ORDER BY p.id
OPTIONAL MATCH (p)-[r:EXPOSED_TO]->(m:Message)
RETURN p.id AS person, collect(m.id + ' ' + r.at) AS exposures
