// name: resolve-concept
// params: name (string) — a concept id (concept:<kind>:<slug>), its name or an alias, or the start of its name (any case)
// answers: Which concepts does a name refer to? Best match first: rank 0 = id, 1 = exact name, 2 = name in another case, 3 = alias, 4 = name prefix.
MATCH (c:Concept)
WHERE c.id = $name
   OR toLower(c.name) STARTS WITH toLower($name)
   OR any(alias IN coalesce(c.aliases, []) WHERE toLower(alias) = toLower($name))
WITH c,
     CASE
       WHEN c.id = $name THEN 0
       WHEN c.name = $name THEN 1
       WHEN toLower(c.name) = toLower($name) THEN 2
       WHEN any(alias IN coalesce(c.aliases, []) WHERE toLower(alias) = toLower($name)) THEN 3
       ELSE 4
     END AS rank
RETURN c.id AS id, c.name AS name, c.kind AS kind, rank
ORDER BY rank, name, id
LIMIT 21
