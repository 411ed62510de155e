// Analysis: the first and last time of the messages posted in one group or in any, within [start, end).
// One aggregated row, so a report needing only the span does not stream every message.
// The bounds compare a projected value (`WITH m, m.sent_at AS at WHERE`): a range on m.sent_at
// itself goes through FalkorDB's index, whose upper bound returned later messages too here.
// Parameters: $group (group id; "" for every group), $start, $end (UTC text; "" and "~" for no bound).
// Columns: first, last (null when there is no such message).
MATCH (m:Message)-[:POSTED_IN]->(g:Group)
WHERE ($group = '' OR g.id = $group)
WITH m, m.sent_at AS at WHERE at >= $start AND at < $end
RETURN min(at) AS first, max(at) AS last
