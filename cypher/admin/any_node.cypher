// Admin: one node's engine id, or no row when the graph has no node (or does not exist):
// a load into an empty FalkorDB graph may take the bulk path (graph/bulk_writer.py).
// Columns: nid.
MATCH (n)
RETURN id(n) AS nid
LIMIT 1
