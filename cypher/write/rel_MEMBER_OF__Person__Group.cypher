// Write: merge (Person)-[:MEMBER_OF]->(Group) between existing nodes, one per (from).
// Returns how many were written, so a missing end node is noticed, not dropped.
// Parameters: $rows = [{start, end, props}]
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
UNWIND $rows AS row
MATCH (a:Person {id: row.start})
MATCH (b:Group {id: row.end})
MERGE (a)-[r:MEMBER_OF {`from`: row.props.`from`}]->(b)
SET r += row.props
RETURN count(r) AS written
