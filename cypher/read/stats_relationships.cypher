// Stats: how many relationships of each type.
// Parameters: none. Columns: type, n.
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS n
ORDER BY type
