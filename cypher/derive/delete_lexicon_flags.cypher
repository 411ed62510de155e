// Derive: delete lexicon FLAGGED_AS that the current lexicon no longer produces.
// Parameters: $rows = [{message, category}]. Columns: deleted.
UNWIND $rows AS row
MATCH (m:Message {id: row.message})-[f:FLAGGED_AS]->(c:Category {id: row.category})
WHERE f.method = 'lexicon'
DELETE f
RETURN count(*) AS deleted
