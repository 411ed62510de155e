// Write: merge messages with their group (POSTED_IN) and sender (SENT), one row each;
// keeps the most precise time and adds every source id once. Returns how many were
// written, so a missing group or sender is noticed, not dropped.
// A message's id names its group and sender, so its two relationships are created
// with the node (a node without `sources` is new) and never need a MERGE: MERGE of a
// relationship costs a third of a load's time on FalkorDB.
// Parameters: $rows = [{id, once, sources, group, sender}], one row per message id
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
UNWIND $rows AS row
MATCH (g:Group {id: row.group})
MATCH (p:Person {id: row.sender})
MERGE (n:Message {id: row.id})
WITH g, p, n, row, n.sources IS NULL AS created
SET n += CASE WHEN created THEN row.once ELSE {} END
SET n.sent_at = CASE WHEN row.once.precise AND NOT coalesce(n.precise, false)
                     THEN row.once.sent_at ELSE n.sent_at END,
    n.precise = coalesce(n.precise, false) OR coalesce(row.once.precise, false)
SET n.sources = coalesce(n.sources, []) +
                [s IN row.sources WHERE NOT s IN coalesce(n.sources, [])]
FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END |
  CREATE (n)-[:POSTED_IN]->(g)
  CREATE (p)-[:SENT]->(n))
RETURN count(n) AS written
