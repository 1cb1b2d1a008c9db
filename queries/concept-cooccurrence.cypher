// name: concept-cooccurrence
// params: concept (concept) — the concept: id, name, alias or unique name prefix
// params: kind (string, default "") — only co-occurring concepts of this kind (Dataset, Model, Method, Task); empty for all
// params: limit (int, default 20) — at most this many concepts
// answers: Which concepts appear in the same papers as this one? By number of papers mentioning both.
MATCH (c:Concept {id: $concept})<-[:PROPOSES|USES]-(p:Paper)-[:PROPOSES|USES]->(other:Concept)
WHERE other <> c AND ($kind = '' OR toLower(other.kind) = toLower($kind))
WITH other, count(DISTINCT p) AS papers
RETURN other.id AS concept, other.name AS name, other.kind AS kind, papers
ORDER BY papers DESC, concept
LIMIT $limit
