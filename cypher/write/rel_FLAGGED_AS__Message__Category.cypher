// Write: merge (Message)-[:FLAGGED_AS]->(Category) between existing nodes, one per (method).
// Returns how many were written, so a missing end node is noticed, not dropped.
// Parameters: $rows = [{start, end, props}]
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
UNWIND $rows AS row
MATCH (a:Message {id: row.start})
MATCH (b:Category {id: row.end})
MERGE (a)-[r:FLAGGED_AS {`method`: row.props.`method`}]->(b)
SET r += row.props
RETURN count(r) AS written
