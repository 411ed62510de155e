// Exposure: the EXPOSED_TO relationships now in the graph, keyset-paged on the person id.
// Each as one "<message id> <at>" string: a million of them travel far faster than lists.
// Parameters: $after (last person id of the previous page; "" for the first), $page (people per page).
// Columns: person, exposures (list of "<message id> <at>"; empty when none).
MATCH (p:Person)
WHERE p.id > $after
WITH p ORDER BY p.id LIMIT $page
OPTIONAL MATCH (p)-[r:EXPOSED_TO]->(m:Message)
RETURN p.id AS person, collect(m.id + ' ' + r.at) AS exposures
