// API redaction: every name that identifies a person — id, name, aliases, and the id and
// handle of each account — so the consumer role sees stable pseudonyms instead.
// Parameters: none. Columns: person, names (list).
MATCH (p:Person)
OPTIONAL MATCH (p)-[:HAS_ACCOUNT]->(a:Account)
WITH p, collect(a.id) + collect(a.handle) AS account_names
RETURN p.id AS person, [p.id, p.name] + coalesce(p.aliases, []) + account_names AS names
