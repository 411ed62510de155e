// Exposure: when each sender posted in one group, within [start, end); system notices left out.
// One row per sender (null when unknown) with the list of times, so a million messages travel
// as a few thousand rows. `WITH m WHERE` keeps FalkorDB starting from the group, not the index.
// Parameters: $group (group id), $start, $end (UTC text; "" and "~" for no bound).
// Columns: sender, times.
MATCH (g:Group {id: $group})<-[:POSTED_IN]-(m:Message)
WITH m WHERE m.kind <> 'system' AND m.sent_at >= $start AND m.sent_at < $end
OPTIONAL MATCH (m)<-[:SENT]-(s:Person)
RETURN s.id AS sender, collect(m.sent_at) AS times
