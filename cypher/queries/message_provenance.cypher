// Question: where a message comes from: every source file, its format, device owner and line.
// Parameters: $message: message id.
// Example params: {"message": "msg:eb21c5d7d84bcba9f3f3840796291cf6"}
// Columns: message, text, line, source, path, format, device_owner, loaded_at.
MATCH (m:Message {id: $message})
UNWIND m.sources AS sid
MATCH (s:Source {id: sid})
RETURN m.id AS message, m.text AS text, m.line AS line, s.id AS source, s.path AS path,
       s.format AS format, s.device_owner AS device_owner, s.loaded_at AS loaded_at
ORDER BY loaded_at, source
