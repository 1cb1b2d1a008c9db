// name: path-between-papers
// params: source (paper) — the first paper: id, exact title or unique title prefix
// params: target (paper) — the second paper
// params: limit (int, default 10) — at most this many shortest paths
// answers: How are two papers connected? Every shortest path of at most 6 steps along any relationship, direction ignored (citations, shared concepts, shared code).
MATCH (a:Paper {id: $source}), (b:Paper {id: $target})
WHERE a <> b
MATCH path = allShortestPaths((a)-[*..6]-(b))
WITH path, [n IN nodes(path) | n.id] AS ids
RETURN length(path) AS hops,
       [n IN nodes(path) | coalesce(n.title, n.url, n.name, n.id)] AS via,
       [r IN relationships(path) | type(r)] AS relationships,
       ids
ORDER BY hops, ids
LIMIT $limit
