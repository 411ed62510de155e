// API redaction: accounts no person is known to use (their handle still identifies someone).
// Parameters: none. Columns: account, handle.
MATCH (a:Account)
WHERE NOT (a)<-[:HAS_ACCOUNT]-(:Person)
RETURN a.id AS account, a.handle AS handle
