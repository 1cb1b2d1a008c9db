// name: resolve-paper
// params: name (string) — a paper id (arxiv:…, doi:…, title:…), a bare arXiv id or DOI, an exact title, or the start of a title (any case)
// answers: Which papers does a name refer to? Best match first: rank 0 = id, 1 = exact title, 2 = title in another case, 3 = title prefix.
MATCH (p:Paper)
WHERE p.id = $name OR p.arxiv_id = $name OR p.doi = $name
   OR toLower(p.title) STARTS WITH toLower($name)
WITH p,
     CASE
       WHEN p.id = $name OR p.arxiv_id = $name OR p.doi = $name THEN 0
       WHEN p.title = $name THEN 1
       WHEN toLower(p.title) = toLower($name) THEN 2
       ELSE 3
     END AS rank
RETURN p.id AS id, p.title AS title, p.year AS year, rank
ORDER BY rank, title, id
LIMIT 21
