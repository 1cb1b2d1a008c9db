"""Against a real Neo4j (only when ``NEO4J_URI`` is set): constraints, indexes, Neo4j-only statements.

Start one with ``docker compose up -d`` and export ``NEO4J_URI``,
``NEO4J_PASSWORD`` (and ``NEO4J_DATABASE`` if not the default). The tests
refuse to touch a database that already holds Paper/Concept/Repo nodes, and
delete what they loaded afterwards (constraints and indexes stay: they are the
ones ``kg neo4j load`` creates anyway).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.cypher.backend import CypherError
from kg.cypher.neo4j_backend import AFTER_SCHEMA, Neo4jBackend
from tests.bolt_graph import SMALL_NODES, small_graph

pytest_plugins = ["tests.bolt_fixtures"]

pytestmark = pytest.mark.bolt


@pytest.fixture
def neo4j_backend(real_neo4j: dict[str, str | None]) -> Iterator[Neo4jBackend]:
    backend = Neo4jBackend.from_settings(**real_neo4j)
    try:
        if backend.flavour != "neo4j":
            pytest.skip(f"NEO4J_URI points at {backend.server_agent!r}, not Neo4j")
        nodes, _ = backend.counts()
        if any(nodes.values()):
            pytest.skip(f"the database already holds project nodes {nodes}; use an empty NEO4J_DATABASE")
        yield backend
        backend.wipe()
    finally:
        backend.close()


def test_load_creates_unique_constraints_and_indexes(neo4j_backend: Neo4jBackend) -> None:
    stats = neo4j_backend.load_graph(small_graph())
    assert stats.nodes == SMALL_NODES
    constraints = neo4j_backend.run(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
        "RETURN name, type, labelsOrTypes, properties"
    ).records()
    by_name = {row["name"]: row for row in constraints}
    for label in ("Paper", "Concept", "Repo"):
        row = by_name[f"{label.lower()}_id"]
        assert (row["type"], row["labelsOrTypes"], row["properties"]) == ("UNIQUENESS", [label], ["id"])
    indexes = {
        row["name"]: (row["labelsOrTypes"], row["properties"], row["state"])
        for row in neo4j_backend.run(
            "SHOW INDEXES YIELD name, labelsOrTypes, properties, state "
            "RETURN name, labelsOrTypes, properties, state"
        ).records()
    }
    assert indexes["concept_name"] == (["Concept"], ["name"], "ONLINE")
    assert indexes["concept_kind"] == (["Concept"], ["kind"], "ONLINE")
    assert indexes["paper_title"] == (["Paper"], ["title"], "ONLINE")


def test_load_is_idempotent_and_the_constraint_holds(neo4j_backend: Neo4jBackend) -> None:
    first = neo4j_backend.load_graph(small_graph())
    second = neo4j_backend.load_graph(small_graph())
    assert (first.nodes, first.relationships) == (second.nodes, second.relationships)
    with pytest.raises(CypherError, match="ConstraintValidationFailed"):
        neo4j_backend.run("CREATE (:Paper {id: 'arxiv:2401.00001'})", write=True)


def test_neo4j_only_statements_run(neo4j_backend: Neo4jBackend) -> None:
    for statement in AFTER_SCHEMA["neo4j"]:
        neo4j_backend.run_many([(statement, {})])
