// Summary: flagged messages per category.
// Parameters: none. Columns: category, name, messages.
MATCH (c:Category)
OPTIONAL MATCH (m:Message)-[:FLAGGED_AS]->(c)
RETURN c.id AS category, c.name AS name, count(DISTINCT m) AS messages
ORDER BY messages DESC, category
