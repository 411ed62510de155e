// API: messages posted in a group, oldest first, one page, filtered.
// Parameters: $id (Group id); $date_from, $date_to (UTC times, from inclusive, to exclusive),
// $sender (Person id), $category (Category id), $kind — each null for no filter; $offset, $limit.
// Columns: id, sent_at, kind, text, sender, sender_name, sender_handle, categories.
MATCH (:Group {id: $id})<-[:POSTED_IN]-(m:Message)
WHERE ($date_from IS NULL OR m.sent_at >= $date_from)
  AND ($date_to IS NULL OR m.sent_at < $date_to)
  AND ($kind IS NULL OR m.kind = $kind)
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
WITH m, s
WHERE $sender IS NULL OR s.id = $sender
OPTIONAL MATCH (m)-[:FLAGGED_AS]->(c:Category)
WITH m, s, collect(DISTINCT c.id) AS categories
WHERE $category IS NULL OR $category IN categories
RETURN m.id AS id, m.sent_at AS sent_at, m.kind AS kind, m.text AS text, s.id AS sender,
       s.name AS sender_name, m.sender_handle AS sender_handle, categories
ORDER BY sent_at, id
SKIP $offset
LIMIT $limit
