// name: similar-papers
// params: paper (paper) — the paper to compare with: id, exact title or unique title prefix
// params: limit (int, default 20) — at most this many papers
// answers: Which papers are most like this one? Shared concepts weighted by rarity (Adamic–Adar: each shared concept adds 1 / ln(number of papers linked to it), so a niche dataset counts more than ImageNet).
MATCH (p:Paper {id: $paper})-[:PROPOSES|USES]->(c:Concept)
WITH DISTINCT p, c
WITH p, c, COUNT { (c)<-[:PROPOSES|USES]-(:Paper) } AS papers_with_concept
WHERE papers_with_concept > 1
MATCH (c)<-[:PROPOSES|USES]-(other:Paper)
WHERE other <> p
WITH p, other, round(sum(1.0 / log(papers_with_concept)), 4) AS score
ORDER BY score DESC, other.id
LIMIT $limit
MATCH (other)-[:PROPOSES|USES]->(c:Concept)
WHERE EXISTS { (p)-[:PROPOSES|USES]->(c) }
WITH other, score, c ORDER BY c.name
WITH other, score, collect(DISTINCT c.name) AS shared
RETURN other.id AS paper, other.title AS title, score, shared
ORDER BY score DESC, paper
