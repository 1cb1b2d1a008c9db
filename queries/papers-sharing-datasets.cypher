// name: papers-sharing-datasets
// params: paper (paper) — the paper to compare with: id, exact title or unique title prefix
// params: limit (int, default 20) — at most this many papers
// answers: Which papers work with the same datasets/benchmarks as this paper? Ranked by how many they share, listing which.
MATCH (p:Paper {id: $paper})-[:PROPOSES|USES]->(c:Concept)
WHERE c.kind = 'Dataset'
WITH DISTINCT p, c
MATCH (c)<-[:PROPOSES|USES]-(other:Paper)
WHERE other <> p
WITH other, c ORDER BY c.name
WITH other, collect(c.name) AS shared
RETURN other.id AS paper, other.title AS title, size(shared) AS shared_count, shared AS datasets
ORDER BY shared_count DESC, paper
LIMIT $limit
