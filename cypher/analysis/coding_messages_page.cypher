// Coding: one page of messages, in one window of internal node ids, with the flags each already carries.
// Parameters: $lo (inclusive), $hi (exclusive): a window of internal node ids; paging by
// window, not `id > $after ORDER BY id LIMIT`, which sorts the whole rest on FalkorDB.
// Columns: id, text, kind, flags (list of [category, method]; [null, null] when none).
MATCH (m:Message)
WHERE id(m) >= $lo AND id(m) < $hi
WITH m ORDER BY m.id
OPTIONAL MATCH (m)-[f:FLAGGED_AS]->(c:Category)
RETURN m.id AS id, m.text AS text, m.kind AS kind, collect([c.id, f.method]) AS flags
