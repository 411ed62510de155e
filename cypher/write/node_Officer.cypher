// Write: merge Officer nodes by id; `once` is set on creation only, `props` always,
// and source ids are added to `sources` once each. The writer sends one row per id
// (FalkorDB applies the ON CREATE SET of a batch's last row for an id, not its first).
// Parameters: $rows = [{id, props, once, sources}]
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
UNWIND $rows AS row
MERGE (n:Person {id: row.id})
ON CREATE SET n += row.once
SET n:Officer
SET n += row.props
WITH n, row
SET n.sources = CASE WHEN size(row.sources) = 0 THEN n.sources
                     ELSE coalesce(n.sources, []) + [s IN row.sources WHERE NOT s IN coalesce(n.sources, [])]
                END
RETURN count(n) AS written
