// Derive: delete stale EXPOSED_TO relationships (membership or flags changed since last run).
// Parameters: $rows = [{person, message}]. Columns: deleted.
UNWIND $rows AS row
MATCH (p:Person {id: row.person})-[r:EXPOSED_TO]->(m:Message {id: row.message})
DELETE r
RETURN count(*) AS deleted
