// Stats: how many nodes carry each label.
// Parameters: none. Columns: label, n.
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS n
ORDER BY label
