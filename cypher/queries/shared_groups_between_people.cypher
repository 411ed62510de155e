// Question: pairs of people who share the most groups (who could see each other's messages).
// Parameters: $min_groups: the least number of shared groups to list.
// Example params: {"min_groups": 1}
// Columns: a, b, shared, groups.
MATCH (a:Person)-[:MEMBER_OF]->(g:Group)<-[:MEMBER_OF]-(b:Person)
WHERE a.id < b.id
WITH a, b, collect(DISTINCT g.name) AS groups
WHERE size(groups) >= $min_groups
RETURN a.name AS a, b.name AS b, size(groups) AS shared, groups
ORDER BY shared DESC, a, b
