// Write: merge (Unit)-[:PART_OF]->(Organisation) between existing nodes.
// Returns how many were written, so a missing end node is noticed, not dropped.
// Parameters: $rows = [{start, end, props}]
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
UNWIND $rows AS row
MATCH (a:Unit {id: row.start})
MATCH (b:Organisation {id: row.end})
MERGE (a)-[r:PART_OF]->(b)
SET r += row.props
RETURN count(r) AS written
