// Analysis: every group.
// Parameters: none. Columns: id, name, platform.
MATCH (g:Group)
RETURN g.id AS id, g.name AS name, g.platform AS platform
ORDER BY id
