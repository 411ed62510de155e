// Analysis: one page of flagged messages, keyset-paged on id, with their categories.
// Parameters: $after (last id of the previous page; "" for the first), $page (page size).
// Columns: id, categories (distinct category ids), methods (list of [category, method, reviewed]).
MATCH (m:Message)-[f:FLAGGED_AS]->(c:Category)
WHERE m.id > $after
WITH m, collect(DISTINCT c.id) AS categories, collect([c.id, f.method, f.reviewed]) AS methods
ORDER BY m.id LIMIT $page
RETURN m.id AS id, categories, methods
