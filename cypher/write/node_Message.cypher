// Write: merge Message nodes by id; `once` is set on creation only, `props` always,
// and the source id is added to `sources` once.
// Parameters: $rows = [{id, props, once, source}]
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
UNWIND $rows AS row
MERGE (n:Message {id: row.id})
ON CREATE SET n += row.once
SET n += row.props
SET n.sent_at = CASE WHEN row.once.precise AND NOT coalesce(n.precise, false)
                     THEN row.once.sent_at ELSE n.sent_at END,
    n.precise = coalesce(n.precise, false) OR coalesce(row.once.precise, false)
WITH n, row
SET n.sources = CASE WHEN row.source IS NULL OR row.source IN coalesce(n.sources, [])
                     THEN n.sources ELSE coalesce(n.sources, []) + row.source END
RETURN count(n) AS written
