// People known only by a chat handle (resolved = false), with how many messages each sent,
// so an investigator can map the handle to a person in the case file.
// Parameters: none. Columns: id, name, platforms, handles, messages.
MATCH (p:Person)
WHERE p.resolved = false
OPTIONAL MATCH (p)-[:HAS_ACCOUNT]->(a:Account)
WITH p, collect(DISTINCT a.platform) AS platforms, collect(DISTINCT a.handle) AS handles
OPTIONAL MATCH (p)-[:SENT]->(m:Message)
RETURN p.id AS id, p.name AS name, platforms, handles, count(m) AS messages
ORDER BY messages DESC, id
