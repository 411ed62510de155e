// API: flagged messages of a group per category.
// Parameters: $id (Group id). Columns: category, messages.
MATCH (:Group {id: $id})<-[:POSTED_IN]-(m:Message)-[:FLAGGED_AS]->(c:Category)
RETURN c.id AS category, count(DISTINCT m) AS messages
ORDER BY category
