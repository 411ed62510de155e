// Write: merge Person nodes by id; `once` is set on creation only, `props` always,
// and the source id is added to `sources` once.
// Parameters: $rows = [{id, props, once, source}]
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
UNWIND $rows AS row
MERGE (n:Person {id: row.id})
ON CREATE SET n += row.once
SET n += row.props
WITH n, row
SET n.sources = CASE WHEN row.source IS NULL OR row.source IN coalesce(n.sources, [])
                     THEN n.sources ELSE coalesce(n.sources, []) + row.source END
RETURN count(n) AS written
