// Indexes a FalkorDB store must not keep, dropped by ensure_schema when a store made
// by an earlier version has them: FalkorDB's range scans over indexed strings return
// wrong rows, so a time-range filter on Message.sent_at must not use an index.
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
DROP INDEX FOR (n:Message) ON (n.sent_at)
