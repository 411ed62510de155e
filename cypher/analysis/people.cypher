// Analysis: every person, with whether they are an officer.
// Parameters: none. Columns: id, name, labels, rank, resolved.
MATCH (p:Person)
RETURN p.id AS id, p.name AS name, labels(p) AS labels, p.rank AS rank, p.resolved AS resolved
ORDER BY id
