// Write: merge (Person)-[:HAS_ACCOUNT]->(Account) between existing nodes.
// Returns how many were written, so a missing end node is noticed, not dropped.
// Parameters: $rows = [{start, end, props}]
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
UNWIND $rows AS row
MATCH (a:Person {id: row.start})
MATCH (b:Account {id: row.end})
MERGE (a)-[r:HAS_ACCOUNT]->(b)
SET r += row.props
RETURN count(r) AS written
