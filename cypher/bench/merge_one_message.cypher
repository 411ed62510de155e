// Benchmark baseline: one message written the naive way, one query per message (with the
// indexes in place): its node, its group and sender, and the two relationships.
// Parameters: $id, $group, $sender (ids), $props (the message's properties).
// Columns: written (1).
MERGE (g:Group {id: $group})
MERGE (p:Person {id: $sender})
MERGE (m:Message {id: $id})
SET m += $props
MERGE (m)-[:POSTED_IN]->(g)
MERGE (p)-[:SENT]->(m)
RETURN count(m) AS written
