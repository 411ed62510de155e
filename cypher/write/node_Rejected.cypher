// Write: merge Rejected nodes by id; `once` is set on creation only, `props` always,
// and the source id is added to `sources` once.
// Parameters: $rows = [{id, props, once, source}]
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
UNWIND $rows AS row
MERGE (n:Rejected {id: row.id})
ON CREATE SET n += row.once
SET n += row.props
RETURN count(n) AS written
