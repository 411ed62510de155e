// API redaction: the categories of the given messages (for the consumer role, whose view
// shows a message's categories instead of its text).
// Parameters: $ids (Message ids). Columns: id, categories.
UNWIND $ids AS mid
MATCH (m:Message {id: mid})
OPTIONAL MATCH (m)-[:FLAGGED_AS]->(c:Category)
RETURN m.id AS id, collect(DISTINCT c.id) AS categories
