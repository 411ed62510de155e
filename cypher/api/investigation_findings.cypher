// API: the findings of an investigation with whom they concern, their categories and the
// messages they cite (with sender, group and categories).
// Parameters: $id (Investigation id).
// Columns: id, summary, outcome, concerns, categories, cited.
MATCH (:Investigation {id: $id})-[:FOUND]->(f:Finding)
OPTIONAL MATCH (f)-[:CONCERNS]->(x)
WITH f, collect(DISTINCT {id: x.id, name: x.name}) AS concerns
OPTIONAL MATCH (f)-[:ABOUT]->(c:Category)
WITH f, concerns, collect(DISTINCT c.id) AS categories
OPTIONAL MATCH (f)-[:CITES]->(m:Message)
OPTIONAL MATCH (s:Person)-[:SENT]->(m)
OPTIONAL MATCH (m)-[:POSTED_IN]->(g:Group)
OPTIONAL MATCH (m)-[:FLAGGED_AS]->(mc:Category)
WITH f, concerns, categories, m, s, g, collect(DISTINCT mc.id) AS message_categories
WITH f, concerns, categories,
     collect(CASE WHEN m IS NULL THEN NULL ELSE {id: m.id, sent_at: m.sent_at, text: m.text,
             sender: s.id, group: g.id, categories: message_categories} END) AS cited
RETURN f.id AS id, f.summary AS summary, f.outcome AS outcome, concerns, categories, cited
ORDER BY id
