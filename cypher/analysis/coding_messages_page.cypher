// Coding: one page of messages, keyset-paged on id, with the flags each already carries.
// Parameters: $after (last id of the previous page; "" for the first), $page (page size).
// Columns: id, text, kind, flags (list of [category, method]; [null, null] when none).
MATCH (m:Message)
WHERE m.id > $after
WITH m ORDER BY m.id LIMIT $page
OPTIONAL MATCH (m)-[f:FLAGGED_AS]->(c:Category)
RETURN m.id AS id, m.text AS text, m.kind AS kind, collect([c.id, f.method]) AS flags
