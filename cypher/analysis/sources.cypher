// Analysis: the files the graph was loaded from, for the provenance header of a report.
// Parameters: none. Columns: id, path, format, loaded_at, records, rejected.
MATCH (s:Source)
RETURN s.id AS id, s.path AS path, s.format AS format, s.loaded_at AS loaded_at,
       s.records AS records, s.rejected AS rejected
ORDER BY path, id
