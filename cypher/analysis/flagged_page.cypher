// Analysis: one page of flagged messages, keyset-paged on id, with categories, group and sender.
// Starts from the categories (few) so the engine never scans every message for a page.
// Parameters: $after (last id of the previous page; "" for the first), $page (page size).
// Columns: id, categories (distinct ids), sent_at, kind, group, sender (null when unknown).
MATCH (c:Category)<-[:FLAGGED_AS]-(m:Message)
WITH m, collect(DISTINCT c.id) AS categories
WITH m, categories WHERE m.id > $after
WITH m, categories ORDER BY m.id LIMIT $page
OPTIONAL MATCH (m)-[:POSTED_IN]->(g:Group)
OPTIONAL MATCH (m)<-[:SENT]-(s:Person)
RETURN m.id AS id, categories, m.sent_at AS sent_at, m.kind AS kind, g.id AS group,
       s.id AS sender
