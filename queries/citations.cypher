// name: citations
// params: paper (paper) — the paper: id, exact title or unique title prefix
// answers: Which papers does this paper cite, and which cite it? With how each citation was found (metadata, or inferred from a mention of the cited paper's proposed artifact).
MATCH (p:Paper {id: $paper})-[r:CITES]-(other:Paper)
WITH p, r, other, CASE WHEN startNode(r) = p THEN 'cites' ELSE 'cited-by' END AS direction
RETURN direction, other.id AS paper, other.title AS title, other.year AS year, r.source AS source
ORDER BY direction DESC, paper, source
