// Admin (FalkorDB only): the indexes that exist, so schema creation can skip them.
// Columns: label, properties, types, options, language, stopwords, entitytype, status, info.
CALL db.indexes()
