// name: papers-using-concept
// params: concept (concept) — the concept: id, name, alias or unique name prefix
// params: limit (int, default 50) — at most this many papers
// answers: Which papers propose or use this dataset, model, method or task? Proposers first, then newest first.
MATCH (c:Concept {id: $concept})<-[r:PROPOSES|USES]-(p:Paper)
RETURN p.id AS paper, p.title AS title, p.year AS year, type(r) AS role
ORDER BY CASE type(r) WHEN 'PROPOSES' THEN 0 ELSE 1 END, coalesce(p.year, 0) DESC, paper
LIMIT $limit
