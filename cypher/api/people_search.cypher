// API: people whose name, alias or id contains a text (case-insensitive), one page, by id.
// Parameters: $q (lower-case text or null for everyone), $label (Person or Officer),
// $offset, $limit. Columns: id, name, labels, rank, status, resolved, aliases.
MATCH (p:Person)
WHERE $label IN labels(p)
  AND ($q IS NULL OR toLower(p.id) CONTAINS $q OR toLower(coalesce(p.name, '')) CONTAINS $q
       OR any(a IN coalesce(p.aliases, []) WHERE toLower(a) CONTAINS $q))
RETURN p.id AS id, p.name AS name, labels(p) AS labels, p.rank AS rank, p.status AS status,
       p.resolved AS resolved, p.aliases AS aliases
ORDER BY id
SKIP $offset
LIMIT $limit
