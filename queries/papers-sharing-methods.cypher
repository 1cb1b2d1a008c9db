// name: papers-sharing-methods
// params: paper (paper) — the paper to compare with: id, exact title or unique title prefix
// params: limit (int, default 20) — at most this many papers
// answers: Which papers use the same methods as this paper? Ranked by how many they share, listing which.
MATCH (p:Paper {id: $paper})-[:PROPOSES|USES]->(c:Concept)
WHERE c.kind = 'Method'
WITH DISTINCT p, c
MATCH (c)<-[:PROPOSES|USES]-(other:Paper)
WHERE other <> p
WITH p, other, count(DISTINCT c) AS shared_count
ORDER BY shared_count DESC, other.id
LIMIT $limit
MATCH (other)-[:PROPOSES|USES]->(c:Concept)
WHERE c.kind = 'Method' AND EXISTS { (p)-[:PROPOSES|USES]->(c) }
WITH other, shared_count, c ORDER BY c.name
WITH other, shared_count, collect(DISTINCT c.name) AS shared
RETURN other.id AS paper, other.title AS title, shared_count, shared AS methods
ORDER BY shared_count DESC, paper
