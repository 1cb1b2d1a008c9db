// name: top-concepts
// params: kind (string, default "") — Dataset, Model, Method or Task (any case); empty for every kind
// params: limit (int, default 20) — at most this many concepts
// answers: Which concepts do the most papers propose or use? By paper count (the paper_count kg build stores on each concept), optionally of one kind.
MATCH (c:Concept)
WHERE $kind = '' OR toLower(c.kind) = toLower($kind)
RETURN c.id AS concept, c.name AS name, c.kind AS kind, coalesce(c.paper_count, 0) AS papers
ORDER BY papers DESC, concept
LIMIT $limit
