// Export: the highest internal node id, the end of the id windows the export pages through.
// Parameters: none. Columns: max_id (null when the graph is empty).
MATCH (n)
RETURN max(id(n)) AS max_id
