// Writer: which of a batch's message ids the store has already. Those are merged
// (write/message_posted); the others are created (write/message_posted_new).
// Parameters: $ids (Message ids). Columns: id.
UNWIND $ids AS id
MATCH (n:Message {id: id})
RETURN n.id AS id
