// API: the accounts (chat handles) of a person.
// Parameters: $id (Person id). Columns: id, platform, handle.
MATCH (:Person {id: $id})-[:HAS_ACCOUNT]->(a:Account)
RETURN a.id AS id, a.platform AS platform, a.handle AS handle
ORDER BY id
