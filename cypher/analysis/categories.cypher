// Analysis: every category of the taxonomy loaded.
// Parameters: none. Columns: id, name, description.
MATCH (c:Category)
RETURN c.id AS id, c.name AS name, c.description AS description
ORDER BY id
