"""The loader statements shared by the embedded engine and Neo4j, and loading them into the real engine."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from kg.cypher.embedded import EmbeddedBackend
from kg.cypher.load import (
    create_plan,
    graph_counts,
    load_batches,
    plain_value,
    schema_statements,
    upsert_plan,
)
from tests.cypher_fixtures import (
    COCO,
    IMAGENET,
    P1,
    P2,
    P5,
    build_corpus_graph,
    content_made_by_cypher,
    stored_content,
)

NODE_PAPER = "UNWIND $rows AS row MERGE (n:Paper {id: row.id}) SET n += row.props"
NODE_DATASET = "UNWIND $rows AS row MERGE (n:Concept:Dataset {id: row.id}) SET n += row.props"


def rel(rel_type: str, src: str, dst: str) -> str:
    return (
        f"UNWIND $rows AS row MATCH (a:{src} {{id: row.src}}) MATCH (b:{dst} {{id: row.dst}}) "
        f"MERGE (a)-[r:{rel_type}]->(b) SET r += row.props"
    )


@pytest.mark.parametrize("dialect", ["neo4j", "arcadedb"])
def test_schema_statements(dialect: str) -> None:
    assert schema_statements(dialect) == [
        "CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT concept_id IF NOT EXISTS FOR (n:Concept) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT repo_id IF NOT EXISTS FOR (n:Repo) REQUIRE n.id IS UNIQUE",
        "CREATE INDEX concept_name IF NOT EXISTS FOR (n:Concept) ON (n.name)",
        "CREATE INDEX concept_kind IF NOT EXISTS FOR (n:Concept) ON (n.kind)",
        "CREATE INDEX paper_title IF NOT EXISTS FOR (n:Paper) ON (n.title)",
    ]
    with pytest.raises(ValueError, match="unknown Cypher dialect 'sqlite'"):
        schema_statements("sqlite")


def test_load_batches_statements_and_rows() -> None:
    batches = list(load_batches(build_corpus_graph()))
    assert [(statement, len(rows)) for statement, rows in batches] == [
        (NODE_DATASET, 3),
        ("UNWIND $rows AS row MERGE (n:Concept:Method {id: row.id}) SET n += row.props", 2),
        ("UNWIND $rows AS row MERGE (n:Concept:Model {id: row.id}) SET n += row.props", 2),
        ("UNWIND $rows AS row MERGE (n:Concept:Task {id: row.id}) SET n += row.props", 1),
        (NODE_PAPER, 6),
        ("UNWIND $rows AS row MERGE (n:Repo {id: row.id}) SET n += row.props", 1),
        (rel("CITES", "Paper", "Paper"), 3),
        (rel("HAS_CODE", "Paper", "Repo"), 1),
        (rel("PROPOSES", "Paper", "Concept"), 2),
        (rel("USES", "Paper", "Concept"), 18),
    ]
    datasets = batches[0][1]
    assert [row["id"] for row in datasets] == sorted(row["id"] for row in datasets)
    assert datasets[1] == {
        "id": COCO,
        "props": {"name": "COCO", "kind": "Dataset", "aliases": ["MS-COCO"], "paper_count": 4},
    }
    survey = next(row for row in batches[4][1] if row["id"] == P5)
    assert survey["props"]["year"] is None  # a missing value is sent as null, so it is removed on reload
    assert survey["props"]["url"] is None
    assert "label" not in survey["props"] and "id" not in survey["props"]
    uses = batches[-1][1]
    assert uses[0] == {
        "src": P1,
        "dst": IMAGENET,
        "props": {
            "evidence": "InsertNeRF: Instilling Generalizability into NeRF mentions ImageNet.",
            "field": "abstract",
            "start": 0,
            "end": 8,
            "rule": "gazetteer",
            "confidence": 0.9,
            "mentions": 1,
        },
    }


def test_batch_size_splits_rows_in_order() -> None:
    batches = [(s, rows) for s, rows in load_batches(build_corpus_graph(), batch_size=4) if s == NODE_PAPER]
    assert [[row["id"] for row in rows] for _, rows in batches] == [
        ["arxiv:2401.00001", "arxiv:2401.00002", "arxiv:2401.00003", "arxiv:2401.00004"],
        ["arxiv:2401.00006", "doi:10.1000/survey"],
    ]
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        list(load_batches(build_corpus_graph(), batch_size=0))


def test_bad_graphs_are_reported() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("x", label="Person")
    with pytest.raises(ValueError, match=r"node 'x' has no known label \(label='Person'\)"):
        list(load_batches(graph))
    graph = build_corpus_graph()
    graph.add_edge(P1, P2, key="LIKES")
    with pytest.raises(ValueError, match=r"edge 'arxiv:2401.00001' -> 'arxiv:2401.00002' has no known type"):
        list(load_batches(graph))


def test_graph_counts() -> None:
    assert graph_counts(build_corpus_graph()) == (
        {"Concept": 8, "Paper": 6, "Repo": 1},
        {"CITES": 3, "HAS_CODE": 1, "PROPOSES": 2, "USES": 18},
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),
        (3, 3),
        (0.5, 0.5),
        ("x", "x"),
        (("a", "b"), ["a", "b"]),
        ({"b", "a"}, ["a", "b"]),
        ([1, "a"], ["1", "a"]),
        ([1, None, 2], [1, 2]),
        ({"k": 1}, '{"k": 1}'),
        ([{"k": 1}], '[{"k": 1}]'),
        ([[1, 2]], "[[1, 2]]"),
        (Path("p"), "p"),
    ],
)
def test_plain_value(value: object, expected: object) -> None:
    assert plain_value(value) == expected


def test_loading_twice_into_the_engine_is_idempotent(tmp_path: Path) -> None:
    graph = build_corpus_graph()
    graph.nodes[P1]["extra"] = {"nested": [1]}
    with EmbeddedBackend(tmp_path / "scratch", refresh=False) as engine:
        first = engine.load_graph(graph, batch_size=5)
        snapshot = engine.run(
            "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) "
            "RETURN n.id AS id, labels(n) AS labels, properties(n) AS props, type(r) AS rel, m.id AS dst "
            "ORDER BY id, rel, dst"
        ).rows
        second = engine.load_graph(graph, batch_size=5)
        again = engine.run(
            "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) "
            "RETURN n.id AS id, labels(n) AS labels, properties(n) AS props, type(r) AS rel, m.id AS dst "
            "ORDER BY id, rel, dst"
        ).rows
        assert first.nodes == second.nodes == {"Concept": 8, "Paper": 6, "Repo": 1}
        assert (
            first.relationships
            == second.relationships
            == {"CITES": 3, "HAS_CODE": 1, "PROPOSES": 2, "USES": 18}
        )
        assert first.rows_sent == second.rows_sent == 39
        assert snapshot == again
        assert engine.run("MATCH (c:Dataset) RETURN c.id AS id ORDER BY id").rows == [
            ["concept:dataset:ade20k"],
            [COCO],
            [IMAGENET],
        ]
        assert engine.run("MATCH (p:Paper {id: $id}) RETURN p.extra AS extra", {"id": P1}).rows == [
            [json.dumps({"nested": [1]})]
        ]
        # a schema property removed from the graph disappears from the engine on the next load
        del graph.nodes[P2]["year"]
        engine.load_graph(graph)
        assert engine.run(
            "MATCH (p:Paper) WHERE p.id IN $ids RETURN p.id AS id, p.year AS year ORDER BY id",
            {"ids": [P1, P2]},
        ).rows == [[P1, 2024], [P2, None]]


def test_load_into_empty_creates_the_same_nodes_and_relationships() -> None:
    graph = build_corpus_graph()
    graph.nodes[P1]["extra`key"] = "x"  # an attribute outside the schema, with a backtick in its name
    upserts = list(load_batches(graph))
    creates = list(load_batches(graph, into_empty=True))
    assert [rows for _, rows in creates] == [rows for _, rows in upserts]
    assert "MERGE" not in "".join(statement for statement, _ in creates)
    statements = [statement for statement, _ in creates]
    assert statements[4] == (
        "UNWIND $rows AS row CREATE (n:Paper {id: row.id, `title`: row.props.`title`, "
        "`abstract`: row.props.`abstract`, `year`: row.props.`year`, `url`: row.props.`url`, "
        "`arxiv_id`: row.props.`arxiv_id`, `doi`: row.props.`doi`, `authors`: row.props.`authors`, "
        "`source`: row.props.`source`, `unresolved_refs`: row.props.`unresolved_refs`, "
        "`extra``key`: row.props.`extra``key`})"
    )
    assert statements[6] == (
        "UNWIND $rows AS row MATCH (a:Paper {id: row.src}) MATCH (b:Paper {id: row.dst}) "
        "CREATE (a)-[r:CITES {`source`: row.props.`source`}]->(b)"
    )


def test_rebuilt_engine_equals_an_upserted_one(tmp_path: Path) -> None:
    from kg.graph.persistence import save_graph

    graph = build_corpus_graph()
    save_graph(graph, tmp_path / "built")
    query = (
        "MATCH (a)-[r]->(b) RETURN a.id AS a, labels(a) AS la, properties(a) AS pa, type(r) AS t, "
        "properties(r) AS p, b.id AS b, labels(b) AS lb, properties(b) AS pb ORDER BY a, t, b"
    )
    nodes = "MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id"
    with EmbeddedBackend(tmp_path / "built") as built:  # fresh database: nodes and relationships CREATEd
        assert built.rebuilt
        created = built.run(query).rows
        created_nodes = built.run(nodes).rows
    with EmbeddedBackend(tmp_path / "upserted", refresh=False) as upserted:
        upserted.load_graph(graph)
        merged = upserted.run(query).rows
        merged_nodes = upserted.run(nodes).rows
    assert created == merged
    assert created_nodes == merged_nodes
    assert len(created) == graph.number_of_edges()
    assert len(created_nodes) == graph.number_of_nodes()


def test_rebuild_stores_what_cypher_create_stores(tmp_path: Path) -> None:
    """The rebuild's bulk writes leave the very types, records and Java values ``CREATE`` leaves.

    Edges are compared without their record position, which the engine's bulk writer decides and no
    query sees (``test_streamed_rebuild_stores_what_cypher_create_stores`` also compares edge lists).
    """
    from kg.graph.persistence import save_graph

    graph = build_corpus_graph()
    graph.nodes[P1]["extra"] = {"nested": [1]}
    graph.nodes[P1]["score"] = 0.5
    save_graph(graph, tmp_path / "built")
    with EmbeddedBackend(tmp_path / "built") as built:
        assert built.rebuilt
        assert built.last_load.rows_sent == graph.number_of_nodes() + graph.number_of_edges()
        rebuilt = stored_content(built)
    by_cypher = content_made_by_cypher(graph, tmp_path / "created", batch_size=2)
    assert rebuilt[0] == by_cypher[0]
    assert rebuilt[1] == by_cypher[1]
    assert sorted((e[:1] + e[2:] for e in rebuilt[2]), key=repr) == sorted(
        (e[:1] + e[2:] for e in by_cypher[2]), key=repr
    )
    assert len(rebuilt[1]) == graph.number_of_nodes()
    assert len(rebuilt[2]) == graph.number_of_edges()
    assert ("Concept~Dataset", ["Concept", "Dataset"], "LocalVertexType") in rebuilt[0][0]
    paper = next(props for _, _, props in rebuilt[1] if props["id"][1] == P1)
    assert paper["year"][0] == "java.lang.Long"
    assert paper["score"] == ("java.lang.Double", "0.5")
    assert paper["authors"][0] == "java.util.ArrayList"
    assert paper["extra"] == ("java.lang.String", json.dumps({"nested": [1]}))


def test_create_plan_sends_list_rows_in_the_order_of_load_batches() -> None:
    graph = build_corpus_graph()
    graph.nodes[P1]["odd, `name"] = 3  # an extra attribute: quoted, and None on the other papers
    created = list(create_plan(graph, batch_size=4))
    merged = list(load_batches(graph, batch_size=4))
    assert [len(batch.rows) for batch in created] == [len(rows) for _, rows in merged]
    assert [batch.target[:2] for batch in created] == [
        *[("node", "Concept")] * 4,
        *[("node", "Paper")] * 2,
        ("node", "Repo"),
        *[("rel", rel_type) for rel_type in ("CITES", "HAS_CODE", "PROPOSES", *["USES"] * 5)],
    ]
    paper = created[4]
    keys = ["title", "abstract", "year", "url", "arxiv_id", "doi", "authors", "source", "unresolved_refs"]
    assert paper.create == (
        "UNWIND $rows AS row CREATE (n:Paper {id: row[0], "
        + ", ".join(f"`{key}`: row[{i}]" for i, key in enumerate(keys, 1))
        + ", `odd, ``name`: row[10]})"
    )
    assert paper.create_by_element == paper.create + " RETURN row[0] AS id, elementId(n) AS element"
    for row, maps in zip(paper.rows, merged[4][1], strict=True):
        assert row == [maps["id"], *(maps["props"].get(key) for key in [*keys, "odd, `name"])]
    assert paper.rows[0][0] == P1 and paper.rows[0][-1] == 3 and paper.rows[1][-1] is None
    cites = created[7]
    assert cites.create == (
        "UNWIND $rows AS row MATCH (a:Paper {id: row[0]}) MATCH (b:Paper {id: row[1]}) "
        "CREATE (a)-[r:CITES {`source`: row[2]}]->(b)"
    )
    assert cites.create_by_element == (
        "UNWIND $rows AS row MATCH (a:Paper) WHERE elementId(a) = row[0] "
        "MATCH (b:Paper) WHERE elementId(b) = row[1] CREATE (a)-[r:CITES {`source`: row[2]}]->(b)"
    )
    assert cites.rows == [[m["src"], m["dst"], m["props"]["source"]] for m in merged[7][1]]


def test_upsert_plan_updates_by_one_label_and_creates_the_rest() -> None:
    graph = build_corpus_graph()
    batches = list(upsert_plan(graph))
    assert [batch.rows for batch in batches] == [rows for _, rows in load_batches(graph)]
    dataset = batches[0]
    assert dataset.target == ("node", "Concept", "Dataset")
    assert dataset.update == (
        "UNWIND $rows AS row MATCH (n:Concept {id: row.id}) SET n += row.props RETURN count(n) AS matched"
    )
    assert dataset.create_missing == (
        "UNWIND $rows AS row OPTIONAL MATCH (m:Concept {id: row.id}) WITH row WHERE m IS NULL "
        "CREATE (n:Concept:Dataset {id: row.id, `name`: row.props.`name`, `kind`: row.props.`kind`, "
        "`aliases`: row.props.`aliases`, `paper_count`: row.props.`paper_count`})"
    )
    cites = next(batch for batch in batches if batch.target == ("rel", "CITES"))
    assert cites.update == (
        "UNWIND $rows AS row MATCH (a:Paper {id: row.src})-[r:CITES]->(b:Paper {id: row.dst}) "
        "SET r += row.props WITH row.src AS src, row.dst AS dst, count(r) AS found RETURN count(*) AS matched"
    )
    assert cites.create_missing == (
        "UNWIND $rows AS row MATCH (a:Paper {id: row.src}) MATCH (b:Paper {id: row.dst}) "
        "WHERE NOT (a)-[:CITES]->(b) CREATE (a)-[r:CITES {`source`: row.props.`source`}]->(b)"
    )
