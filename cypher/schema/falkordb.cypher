// Schema DDL for FalkorDB: one range index per label on each indexed property,
// except Message.sent_at (see falkordb_drop.cypher).
// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`.
CREATE INDEX FOR (n:Person) ON (n.id)
CREATE INDEX FOR (n:Person) ON (n.name)
CREATE INDEX FOR (n:Account) ON (n.id)
CREATE INDEX FOR (n:Account) ON (n.handle)
CREATE INDEX FOR (n:Organisation) ON (n.id)
CREATE INDEX FOR (n:Unit) ON (n.id)
CREATE INDEX FOR (n:Group) ON (n.id)
CREATE INDEX FOR (n:Message) ON (n.id)
CREATE INDEX FOR (n:Category) ON (n.id)
CREATE INDEX FOR (n:Investigation) ON (n.id)
CREATE INDEX FOR (n:Finding) ON (n.id)
CREATE INDEX FOR (n:Recommendation) ON (n.id)
CREATE INDEX FOR (n:Document) ON (n.id)
CREATE INDEX FOR (n:Source) ON (n.id)
CREATE INDEX FOR (n:Rejected) ON (n.id)
