// name: paper-concepts
// params: paper (paper) — the paper: id, exact title or unique title prefix
// answers: What does this paper propose and use? Its datasets, models, methods and tasks, and its code repositories.
MATCH (p:Paper {id: $paper})-[r:PROPOSES|USES|HAS_CODE]->(x)
RETURN type(r) AS role,
       coalesce(x.kind, 'Repo') AS kind,
       CASE type(r) WHEN 'HAS_CODE' THEN x.url ELSE x.name END AS name,
       x.id AS id
ORDER BY CASE type(r) WHEN 'PROPOSES' THEN 0 WHEN 'USES' THEN 1 ELSE 2 END, kind, name, id
