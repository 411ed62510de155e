// Write: create messages that are not in the store yet, with their group (POSTED_IN)
// and sender (SENT), one row each. The writer asks which ids exist first
// (read/existing_messages) and sends the others here: CREATE costs two thirds of the
// MERGE in write/message_posted. Returns how many were written, so a missing group or
// sender is noticed, not dropped.
// Parameters: $rows = [{id, once, sources, group, sender}], one row per new message id
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
UNWIND $rows AS row
MATCH (g:Group {id: row.group})
MATCH (p:Person {id: row.sender})
CREATE (n:Message {id: row.id})
SET n += row.once
SET n.precise = coalesce(row.once.precise, false), n.sources = row.sources
CREATE (n)-[:POSTED_IN]->(g)
CREATE (p)-[:SENT]->(n)
RETURN count(n) AS written
