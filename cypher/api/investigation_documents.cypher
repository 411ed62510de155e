// API: the documents that report on an investigation.
// Parameters: $id (Investigation id). Columns: id, title, publisher, published_at, url.
MATCH (d:Document)-[:REPORTS_ON]->(:Investigation {id: $id})
RETURN d.id AS id, d.title AS title, d.publisher AS publisher, d.published_at AS published_at,
       d.url AS url
ORDER BY id
