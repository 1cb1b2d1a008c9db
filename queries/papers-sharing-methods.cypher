// name: papers-sharing-methods
// params: paper (paper) — the paper to compare with: id, exact title or unique title prefix
// params: limit (int, default 20) — at most this many papers
// answers: Which papers use the same methods as this paper? Ranked by how many they share, listing which.
MATCH (p:Paper {id: $paper})-[:PROPOSES|USES]->(c:Concept)
WHERE c.kind = 'Method'
WITH DISTINCT p, c
MATCH (c)<-[:PROPOSES|USES]-(other:Paper)
WHERE other <> p
WITH other, c ORDER BY c.name
WITH other, collect(c.name) AS shared
RETURN other.id AS paper, other.title AS title, size(shared) AS shared_count, shared AS methods
ORDER BY shared_count DESC, paper
LIMIT $limit
