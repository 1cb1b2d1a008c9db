"""The read-only guard: write clauses are found by tokens, never inside strings, comments or names."""

from __future__ import annotations

import re

import pytest

from kg.cypher.backend import CypherError
from kg.cypher.guard import WriteQueryError, ensure_read_only, tokenize, write_clauses

READ_ONLY = [
    "MATCH (n) RETURN 'DELETE' AS word",
    'MATCH (n) WHERE n.title CONTAINS "create index" RETURN n',
    "MATCH (n) // CREATE (m)\nRETURN n",
    "MATCH (n) /* SET n.x = 1\n DETACH DELETE n */ RETURN n",
    "MATCH (n:`CREATE`)-[:USES|MERGE]->(m) RETURN n.set AS s, n.delete AS d",
    "RETURN {create: 1, merge: 2} AS m, $set AS p",
    "MATCH (p:Paper) WHERE p.title STARTS WITH 'x\\'; DELETE' RETURN p",
    "MATCH (n) RETURN `weird``DELETE` AS x",
    "CALL db.labels() YIELD label RETURN label",
    "CALL { MATCH (n) RETURN count(n) AS c } RETURN c",
    "MATCH p = shortestPath((a)-[*..4]-(b)) RETURN [x IN nodes(p) | x.id] AS ids",
    "RETURN 1.5 AS x, [1..3] AS r, 'it''s' AS s",
    "SHOW INDEXES",
    "MATCH (n) WHERE n.settings IS NULL AND n.created > 1 RETURN n",
    "",
]

WRITES = [
    ("CREATE (n:Paper {id: 'x'})", "CREATE", 1, 1),
    ("match (n) detach delete n", "DETACH", 1, 11),
    ("MATCH (n)\n  SET n.x = 1", "SET", 2, 3),
    ("MERGE (n:Paper {id: $id})", "MERGE", 1, 1),
    ("MATCH (n) REMOVE n.title", "REMOVE", 1, 11),
    ("MATCH (n) Delete n", "DELETE", 1, 11),
    ("DROP INDEX concept_name", "DROP", 1, 1),
    ("LOAD CSV FROM 'file:///x.csv' AS row RETURN row", "LOAD CSV", 1, 1),
    ("CALL { MATCH (n) DETACH DELETE n } IN TRANSACTIONS", "DETACH", 1, 18),
    ("MATCH (n) CALL { WITH n RETURN n AS m } IN TRANSACTIONS RETURN m", "CALL { … } IN TRANSACTIONS", 1, 41),
    ("CALL apoc.create.node(['X'], {})", "CALL apoc.create.node (not a known read-only procedure)", 1, 1),
    ("call db.createLabel('X')", "CALL db.createLabel (not a known read-only procedure)", 1, 1),
    ("FOREACH (x IN [1] | CREATE (:X))", "FOREACH", 1, 1),
    ("RETURN 'a\\\\' DELETE n //'", "DELETE", 1, 14),
    ("MATCH (n) RETURN n /* fine */ ;\nCREATE (m)", "CREATE", 2, 1),
    ("STOP DATABASE neo4j", "STOP DATABASE", 1, 1),
]


@pytest.mark.parametrize("query", READ_ONLY)
def test_read_only_queries_pass(query: str) -> None:
    ensure_read_only(query)
    assert write_clauses(query) == []


@pytest.mark.parametrize(("query", "what", "line", "column"), WRITES)
def test_write_queries_are_refused_with_position(query: str, what: str, line: int, column: int) -> None:
    with pytest.raises(WriteQueryError) as caught:
        ensure_read_only(query)
    assert str(caught.value) == (
        f"refused: {what} at line {line}, column {column}: queries are read-only "
        "unless writes are allowed (kg query --write, or write=True in Python)"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("RETURN 'abc", "unterminated string starting at line 1, column 8"),
        ("RETURN 1 /* DELETE", "unterminated /* comment starting at line 1, column 10"),
        ("MATCH (n:`Paper) DELETE n", "unterminated `name` starting at line 1, column 10"),
    ],
)
def test_unterminated_tokens_are_refused_not_guessed(query: str, message: str) -> None:
    with pytest.raises(CypherError, match=re.escape(message)):
        ensure_read_only(query)


def test_tokenizer_positions_and_kinds() -> None:
    tokens = list(tokenize("MATCH (p)\nWHERE p.id = $id // c\nRETURN 'x'"))
    assert [(t.kind, t.text, t.line, t.column) for t in tokens] == [
        ("word", "MATCH", 1, 1),
        ("symbol", "(", 1, 7),
        ("word", "p", 1, 8),
        ("symbol", ")", 1, 9),
        ("word", "WHERE", 2, 1),
        ("word", "p", 2, 7),
        ("symbol", ".", 2, 8),
        ("word", "id", 2, 9),
        ("symbol", "=", 2, 12),
        ("param", "$id", 2, 14),
        ("word", "RETURN", 3, 1),
        ("string", "'x'", 3, 8),
    ]
