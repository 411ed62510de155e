// Derive: create EXPOSED_TO relationships the graph does not hold yet.
// derive_exposure reads what the graph holds first and runs under the load lock, so a
// CREATE here never duplicates one; it is several times cheaper than a MERGE per row.
// Parameters: $rows = [{person, message, group, at}]. Columns: written.
UNWIND $rows AS row
MATCH (p:Person {id: row.person})
MATCH (m:Message {id: row.message})
CREATE (p)-[r:EXPOSED_TO {`group`: row.group, at: row.at}]->(m)
RETURN count(r) AS written
