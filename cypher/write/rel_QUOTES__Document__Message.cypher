// Write: merge (Document)-[:QUOTES]->(Message) between existing nodes.
// Returns how many were written, so a missing end node is noticed, not dropped.
// Parameters: $rows = [{start, end, props}]
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
UNWIND $rows AS row
MATCH (a:Document {id: row.start})
MATCH (b:Message {id: row.end})
MERGE (a)-[r:QUOTES]->(b)
SET r += row.props
RETURN count(r) AS written
