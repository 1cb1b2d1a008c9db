"""The Neo4j backend over the official driver against a real Bolt server (ArcadeDB, child process)."""

from __future__ import annotations

import threading
import time

import networkx as nx
import pytest

from benchmarks.bolt_server import BoltServer, free_port
from kg.cypher import neo4j_backend
from kg.cypher.backend import CypherBackend, CypherError
from kg.cypher.guard import WriteQueryError
from kg.cypher.load import graph_counts
from kg.cypher.neo4j_backend import (
    AFTER_SCHEMA,
    FIRST_BACKOFF,
    MAX_BACKOFF,
    Neo4jAuthError,
    Neo4jBackend,
    Neo4jConnectionError,
    node_labels,
    server_flavour,
)
from kg.cypher.neo4j_settings import Neo4jConfigError, Neo4jSettings
from tests.bolt_graph import SMALL_NODES, SMALL_RELS, small_graph

pytest_plugins = ["tests.bolt_fixtures"]

SMALL_RELS_ORDER = ("PROPOSES", "USES", "HAS_CODE", "CITES")
SMALL_NODES_ORDER = ("Paper", "Concept", "Repo")


def is_update(statement: str) -> bool:
    """A statement of the upsert path: matches and sets, creates and merges nothing."""
    words = set(statement.split())
    return " MATCH (" in statement and "SET" in words and not words & {"CREATE", "MERGE"}


# -- server flavour (no server needed) ------------------------------------------------------------


def test_flavour_from_agent_string() -> None:
    assert server_flavour("Neo4j/5.26.0") == "neo4j"
    assert server_flavour("Neo4j/2025.01.0") == "neo4j"
    assert server_flavour("Neo4j/5.26.0 compatible (ArcadeDB 26.10.2)") == "arcadedb"


def test_only_neo4j_waits_for_indexes() -> None:
    assert AFTER_SCHEMA["neo4j"] == ("CALL db.awaitIndexes(300)",)
    assert AFTER_SCHEMA["arcadedb"] == ()


def test_node_labels_put_the_project_label_first() -> None:
    assert node_labels(frozenset({"Dataset", "Concept"})) == ["Concept", "Dataset"]
    assert node_labels({"Zeta", "Alpha"}) == ["Alpha", "Zeta"]


# -- connecting -----------------------------------------------------------------------------------


@pytest.mark.bolt
def test_connects_and_reports_the_server(bolt_server: BoltServer) -> None:
    with Neo4jBackend.from_settings(
        bolt_server.uri, bolt_server.user, bolt_server.password, bolt_server.database
    ) as backend:
        assert isinstance(backend, CypherBackend)
        assert backend.dialect == "neo4j"
        assert backend.flavour == "arcadedb"
        assert "ArcadeDB" in backend.server_agent
        assert backend.run("RETURN 1 + 1 AS two").records() == [{"two": 2}]


@pytest.mark.bolt
def test_settings_come_from_the_environment(bolt_env: BoltServer) -> None:
    with Neo4jBackend.from_settings() as backend:
        assert backend.settings.uri == bolt_env.uri
        assert backend.settings.database == bolt_env.database
        assert backend.run("RETURN $x AS x", {"x": "from env"}).rows == [["from env"]]


@pytest.mark.bolt
def test_wrong_password_fails_at_once_with_one_clear_line(bolt_server: BoltServer) -> None:
    sleeps: list[float] = []
    settings = Neo4jSettings.from_env(
        bolt_server.uri, bolt_server.user, "not-the-password", bolt_server.database
    )
    with pytest.raises(Neo4jAuthError) as caught:
        Neo4jBackend.connect(settings, sleep=sleeps.append)
    message = str(caught.value)
    assert message.startswith(f"authentication failed for user 'root' at {bolt_server.uri}")
    assert "check NEO4J_USER and NEO4J_PASSWORD" in message
    assert "\n" not in message
    assert sleeps == []  # credentials are not retried


@pytest.mark.bolt
def test_missing_database_is_a_clear_error(bolt_server: BoltServer) -> None:
    with pytest.raises(CypherError, match=r"^cannot use database 'no_such_db' at bolt://"):
        Neo4jBackend.from_settings(bolt_server.uri, bolt_server.user, bolt_server.password, "no_such_db")


def test_nothing_listening_fails_after_bounded_retries_with_back_off() -> None:
    port = free_port()
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(seconds)

    settings = Neo4jSettings.from_env(f"bolt://127.0.0.1:{port}", "neo4j", "secret-pw", connect_timeout=2.0)
    with pytest.raises(Neo4jConnectionError) as caught:
        Neo4jBackend.connect(settings, sleep=sleep)
    message = str(caught.value)
    assert message.startswith(f"cannot reach a Neo4j server at bolt://127.0.0.1:{port} (")
    assert "Connection refused" in message
    assert "docker compose up -d" in message
    assert "\n" not in message
    # exponential back-off from FIRST_BACKOFF, never beyond the time left or MAX_BACKOFF
    assert sleeps[:3] == [FIRST_BACKOFF, FIRST_BACKOFF * 2, FIRST_BACKOFF * 4]
    assert all(pause <= MAX_BACKOFF for pause in sleeps)
    assert sum(sleeps) <= 2.0 + 1e-6
    assert f"({len(sleeps) + 1} attempts in" in message


def test_zero_timeout_means_a_single_attempt() -> None:
    sleeps: list[float] = []
    settings = Neo4jSettings.from_env(f"bolt://127.0.0.1:{free_port()}", "neo4j", "pw", connect_timeout=0)
    with pytest.raises(Neo4jConnectionError, match=r"\(1 attempt in "):
        Neo4jBackend.connect(settings, sleep=sleeps.append)
    assert sleeps == []


def test_missing_password_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    with pytest.raises(
        Neo4jConfigError, match=r"^no password for neo4j@bolt://localhost:7687: set NEO4J_PASSWORD"
    ):
        Neo4jBackend.from_settings(uri="bolt://localhost:7687", user="neo4j")


@pytest.mark.bolt
@pytest.mark.slow
def test_retries_until_a_starting_server_is_up(tmp_path) -> None:
    server = BoltServer(tmp_path / "late-server")
    server.bolt_port = free_port()
    starter = threading.Timer(1.0, server.start)
    starter.start()
    try:
        settings = Neo4jSettings.from_env(server.uri, server.user, server.password, server.database, 90)
        sleeps: list[float] = []

        def sleep(seconds: float) -> None:
            sleeps.append(seconds)
            time.sleep(seconds)

        with Neo4jBackend.connect(settings, sleep=sleep) as backend:
            assert backend.run("RETURN 'up' AS state").rows == [["up"]]
        assert len(sleeps) >= 2  # it really waited for the server
    finally:
        starter.join()
        server.stop()


# -- loading --------------------------------------------------------------------------------------


@pytest.mark.bolt
@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_load_gives_exact_counts_and_is_idempotent(
    bolt_server: BoltServer, bolt_backend, scheme: str
) -> None:
    graph = small_graph()
    assert graph_counts(graph) == (SMALL_NODES, SMALL_RELS)
    uri = bolt_server.uri.replace("bolt://", f"{scheme}://")
    with Neo4jBackend.from_settings(
        uri, bolt_server.user, bolt_server.password, bolt_server.database
    ) as backend:
        batches: list[int] = []
        statements: list[str] = []

        def on_batch(rows: int, statement: str) -> None:
            batches.append(rows)
            statements.append(statement)

        first = backend.load_graph(graph, batch_size=3, on_batch=on_batch)
        expected_nodes = {**SMALL_NODES}
        expected_rels = {"PROPOSES": 1, "USES": 7, "HAS_CODE": 1, "CITES": 2}
        assert first.nodes == {"Paper": 4, "Concept": 5, "Repo": 1}
        assert first.relationships == expected_rels
        assert first.rows_sent == 10 + 11 == sum(batches)
        assert max(batches) == 3
        # into an empty database everything is created, afterwards updated in place
        assert {" CREATE (" in st and "MERGE" not in st for st in statements} == {True}
        statements.clear()
        second = backend.load_graph(graph, batch_size=5000, on_batch=on_batch)
        assert {is_update(st) for st in statements} == {True}
        assert second.nodes == expected_nodes
        assert second.relationships == expected_rels
        assert backend.counts() == (first.nodes, first.relationships)
        total = backend.run("MATCH (n) RETURN count(n) AS nodes").rows
        assert total == [[10]]


@pytest.mark.bolt
def test_loaded_properties_and_labels_round_trip(bolt_backend: Neo4jBackend) -> None:
    graph = small_graph()
    bolt_backend.load_graph(graph)
    paper = bolt_backend.run(
        "MATCH (p:Paper {id: $id}) "
        "RETURN p.title AS title, p.year AS year, p.authors AS authors, p.doi AS doi",
        {"id": "title:an-older-paper"},
    ).records()
    assert paper == [
        {
            "title": "An older paper with 'quotes' and \"double quotes\"",
            "year": None,
            "authors": ["D. O'Brien"],
            "doi": None,
        }
    ]
    concept = bolt_backend.run(
        "MATCH (c:Concept:Method) RETURN c",
    ).rows
    assert concept == [
        [
            {
                "_labels": ["Concept", "Method"],
                "aliases": ["Low-Rank Adaptation"],
                "id": "concept:method:lora",
                "kind": "Method",
                "name": "LoRA",
                "paper_count": 1,
            }
        ]
    ]
    rel = bolt_backend.run(
        "MATCH (:Paper {id: 'arxiv:2401.00001'})-[r:PROPOSES]->() RETURN r.confidence AS confidence, r"
    ).rows
    assert rel == [
        [
            0.95,
            {
                "_type": "PROPOSES",
                "_start": "arxiv:2401.00001",
                "_end": "concept:model:clip-lite",
                "confidence": 0.95,
                "end": 8,
                "evidence": "… evidence …",
                "field": "abstract",
                "mentions": 1,
                "rule": "test",
                "start": 0,
            },
        ]
    ]


@pytest.mark.bolt
def test_a_changed_graph_updates_in_place(bolt_backend: Neo4jBackend) -> None:
    graph = small_graph()
    bolt_backend.load_graph(graph)
    graph.nodes["arxiv:2401.00002"]["title"] = "Robust Fine-Tuning on Waterbirds (v2)"
    stats = bolt_backend.load_graph(graph)
    assert stats.nodes == SMALL_NODES
    titles = bolt_backend.run("MATCH (p:Paper {id: 'arxiv:2401.00002'}) RETURN p.title AS t").rows
    assert titles == [["Robust Fine-Tuning on Waterbirds (v2)"]]


@pytest.mark.bolt
def test_loading_over_part_of_the_graph_merges_without_duplicates(bolt_backend: Neo4jBackend) -> None:
    graph = small_graph()
    part = graph.copy()
    part.remove_edges_from([(src, dst, key) for src, dst, key in graph.edges(keys=True) if key == "USES"][:4])
    assert bolt_backend.load_graph(part).relationships["USES"] == 3
    full = bolt_backend.load_graph(graph)  # relationships exist: merged, not created again
    assert (full.nodes, full.relationships) == (
        SMALL_NODES,
        {"PROPOSES": 1, "USES": 7, "HAS_CODE": 1, "CITES": 2},
    )


@pytest.mark.bolt
def test_into_empty_can_be_forced_off(bolt_backend: Neo4jBackend) -> None:
    statements: list[str] = []
    bolt_backend.load_graph(small_graph(), into_empty=False, on_batch=lambda _, st: statements.append(st))
    assert not any("CREATE" in st for st in statements)


@pytest.mark.bolt
def test_into_empty_loads_exact_counts_and_a_second_load_merges(bolt_backend: Neo4jBackend) -> None:
    graph = small_graph()
    statements: list[str] = []
    first = bolt_backend.load_graph(
        graph, into_empty=True, batch_size=4, on_batch=lambda _, st: statements.append(st)
    )
    assert (first.nodes, first.relationships) == (SMALL_NODES, SMALL_RELS)
    assert first.rows_sent == 21
    assert statements and all(" CREATE (" in st and "MERGE" not in st for st in statements)
    statements.clear()
    second = bolt_backend.load_graph(graph, on_batch=lambda _, st: statements.append(st))
    assert (second.nodes, second.relationships) == (SMALL_NODES, SMALL_RELS)
    assert statements and all(is_update(st) for st in statements)
    assert bolt_backend.run("MATCH (n) RETURN count(n) AS n").rows == [[10]]
    assert bolt_backend.run("MATCH ()-[r]->() RETURN count(r) AS n").rows == [[11]]


@pytest.mark.bolt
def test_into_empty_is_refused_when_the_database_holds_project_data(bolt_backend: Neo4jBackend) -> None:
    graph = small_graph()
    one_repo = nx.MultiDiGraph()
    one_repo.add_nodes_from((node, data) for node, data in graph.nodes(data=True) if data["label"] == "Repo")
    bolt_backend.load_graph(one_repo)
    sent: list[int] = []
    uri = bolt_backend.settings.uri
    with pytest.raises(CypherError) as refused:
        bolt_backend.load_graph(graph, into_empty=True, on_batch=lambda rows, _: sent.append(rows))
    assert str(refused.value) == (
        f"cannot load into {uri} as into an empty database: it holds 1 Repo; "
        "load without into_empty (idempotent update) or wipe first"
    )
    assert sent == []  # refused before anything was written
    assert bolt_backend.counts()[0] == {"Paper": 0, "Concept": 0, "Repo": 1}
    bolt_backend.load_graph(graph)
    with pytest.raises(CypherError) as refused:
        bolt_backend.load_graph(graph, into_empty=True)
    assert str(refused.value) == (
        f"cannot load into {uri} as into an empty database: it holds 4 Paper, 5 Concept, 1 Repo, "
        "1 PROPOSES, 7 USES, 1 HAS_CODE, 2 CITES; load without into_empty (idempotent update) or wipe first"
    )
    assert bolt_backend.counts() == (SMALL_NODES, SMALL_RELS)  # loading twice left the same counts


def stored(backend: Neo4jBackend) -> tuple[list[list[object]], list[list[object]]]:
    """Every node (labels, properties) and relationship (ends, type, properties) on the server, sorted."""
    nodes = backend.run("MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props").rows
    rels = backend.run(
        "MATCH (a)-[r]->(b) RETURN a.id AS src, type(r) AS type, b.id AS dst, properties(r) AS props"
    ).rows
    nodes = [[node_id, sorted(labels), props] for node_id, labels, props in nodes]
    return sorted(nodes, key=repr), sorted(rels, key=repr)


def expected_content(graph: nx.MultiDiGraph) -> tuple[list[list[object]], list[list[object]]]:
    """What a load of *graph* stores: the graph's non-null attributes, concepts with their kind label."""
    nodes = []
    for node_id, attrs in graph.nodes(data=True):
        labels = [attrs["label"], *([attrs["kind"]] if attrs["label"] == "Concept" else [])]
        props = {key: value for key, value in attrs.items() if key != "label" and value is not None}
        nodes.append([node_id, sorted(labels), {"id": node_id, **props}])
    rels = [
        [src, key, dst, {k: v for k, v in attrs.items() if k not in {"type", "key"} and v is not None}]
        for src, dst, key, attrs in graph.edges(keys=True, data=True)
    ]
    return sorted(nodes, key=repr), sorted(rels, key=repr)


def changed_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """*graph* after a rebuild: a title and a confidence changed, a property gone, a concept and edges new."""
    changed = graph.copy()
    changed.nodes["arxiv:2401.00002"]["title"] = "Robust Fine-Tuning on Waterbirds (v2)"
    changed.nodes["arxiv:2401.00001"]["url"] = None  # removed from the stored node
    changed.add_node(
        "concept:dataset:cifar-10",
        label="Concept",
        name="CIFAR-10",
        kind="Dataset",
        aliases=[],
        paper_count=1,
    )
    changed.add_edge(
        "title:an-older-paper", "concept:dataset:cifar-10", key="USES", type="USES", evidence="e",
        field="abstract", start=1, end=2, rule="test", confidence=0.5, mentions=2,
    )
    changed.add_edge("title:an-older-paper", "arxiv:2401.00001", key="CITES", type="CITES", source="metadata")
    changed.edges["arxiv:2312.00003", "concept:method:lora", "USES"]["confidence"] = 0.25
    return changed


@pytest.mark.bolt
def test_first_load_and_reload_store_exactly_the_graph(bolt_backend: Neo4jBackend) -> None:
    graph = small_graph()
    statements: list[str] = []
    bolt_backend.load_graph(graph, batch_size=4, on_batch=lambda _, st: statements.append(st))
    assert statements and all(" CREATE (" in st for st in statements)  # the first-load path
    created = stored(bolt_backend)
    assert created == expected_content(graph)
    statements.clear()
    again = bolt_backend.load_graph(graph, batch_size=4, on_batch=lambda _, st: statements.append(st))
    assert statements and all(is_update(st) for st in statements)  # the reload path
    assert (again.nodes, again.relationships) == (SMALL_NODES, SMALL_RELS)
    assert stored(bolt_backend) == created
    bolt_backend.wipe()
    bolt_backend.load_graph(graph, into_empty=False, batch_size=4)  # every row created by the reload path
    assert stored(bolt_backend) == created


@pytest.mark.bolt
def test_first_load_by_element_id_equals_first_load_by_id_index(
    bolt_backend: Neo4jBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = small_graph()
    assert bolt_backend.flavour in neo4j_backend.ELEMENT_IDS_LAST
    statements: list[str] = []
    bolt_backend.load_graph(graph, batch_size=3, on_batch=lambda _, st: statements.append(st))
    rel_statements = [st for st in statements if "-[r:" in st]
    assert len(rel_statements) == 6  # CITES, HAS_CODE, PROPOSES: one batch each; USES (7 rows): three
    assert all("WHERE elementId(a) = row[0]" in st and "{id: row[0]}" not in st for st in rel_statements)
    by_element = stored(bolt_backend)
    assert by_element == expected_content(graph)
    bolt_backend.wipe()
    monkeypatch.setattr(neo4j_backend, "ELEMENT_IDS_LAST", frozenset())  # what Neo4j gets
    statements.clear()
    bolt_backend.load_graph(graph, batch_size=3, on_batch=lambda _, st: statements.append(st))
    assert not any("elementId" in st for st in statements)
    assert stored(bolt_backend) == by_element


@pytest.mark.bolt
def test_a_reload_after_a_rebuild_equals_a_first_load_of_the_new_graph(bolt_backend: Neo4jBackend) -> None:
    changed = changed_copy(small_graph())
    bolt_backend.load_graph(changed)
    fresh = stored(bolt_backend)
    assert fresh == expected_content(changed)
    bolt_backend.wipe()
    bolt_backend.load_graph(small_graph())
    stats = bolt_backend.load_graph(changed, batch_size=3)  # updates, and creates what is new
    assert (stats.nodes, stats.relationships) == (
        {**SMALL_NODES, "Concept": 6},
        {**SMALL_RELS, "USES": 8, "CITES": 3},
    )
    assert stored(bolt_backend) == fresh
    labels = bolt_backend.run("MATCH (c:Concept:Dataset {id: 'concept:dataset:cifar-10'}) RETURN c.name").rows
    assert labels == [["CIFAR-10"]]


@pytest.mark.bolt
def test_a_partly_loaded_database_is_completed_by_the_reload_path(bolt_backend: Neo4jBackend) -> None:
    # e.g. a load interrupted halfway: some nodes and some relationships of each kind are there
    graph = small_graph()
    part = nx.MultiDiGraph()
    part.add_nodes_from(list(graph.nodes(data=True))[::2])
    part.add_edges_from(
        (src, dst, key, attrs)
        for src, dst, key, attrs in list(graph.edges(keys=True, data=True))[::2]
        if src in part and dst in part
    )
    bolt_backend.load_graph(part)
    assert 0 < sum(bolt_backend.counts()[0].values()) < 10
    statements: list[str] = []
    stats = bolt_backend.load_graph(graph, batch_size=2, on_batch=lambda _, st: statements.append(st))
    assert statements and all(is_update(st) for st in statements)
    assert (stats.nodes, stats.relationships) == (SMALL_NODES, SMALL_RELS)
    assert stored(bolt_backend) == expected_content(graph)


@pytest.mark.bolt
def test_a_relationship_held_twice_does_not_hide_a_missing_one(bolt_backend: Neo4jBackend) -> None:
    graph = small_graph()
    bolt_backend.load_graph(graph)
    # a second USES between one pair (written by someone else), and another pair's USES deleted
    bolt_backend.run(
        "MATCH (a:Paper {id: $a}), (b:Concept {id: $b}) CREATE (a)-[:USES {rule: 'manual'}]->(b)",
        {"a": "arxiv:2401.00001", "b": "concept:dataset:imagenet"},
        write=True,
    )
    bolt_backend.run(
        "MATCH (:Paper {id: $a})-[r:USES]->(:Concept {id: $b}) DELETE r",
        {"a": "arxiv:2401.00002", "b": "concept:dataset:imagenet"},
        write=True,
    )
    assert bolt_backend.counts()[1]["USES"] == 7
    stats = bolt_backend.load_graph(graph)  # both pairs in one batch: 7 rows, 7 matched relationships
    assert stats.relationships["USES"] == 8
    restored = bolt_backend.run(
        "MATCH (:Paper {id: $a})-[r:USES]->(:Concept {id: $b}) RETURN r.confidence",
        {"a": "arxiv:2401.00002", "b": "concept:dataset:imagenet"},
    ).rows
    assert restored == [[0.8]]
    twice = bolt_backend.run(
        "MATCH (:Paper {id: $a})-[r:USES]->(:Concept {id: $b}) RETURN r.rule, r.confidence ORDER BY r.rule",
        {"a": "arxiv:2401.00001", "b": "concept:dataset:imagenet"},
    ).rows
    assert twice == [["test", 0.9], ["test", 0.9]]  # both updated from the graph's row


@pytest.mark.bolt
def test_a_node_without_a_label_fails_before_anything_is_written(bolt_backend: Neo4jBackend) -> None:
    graph = small_graph()
    graph.add_node("mystery", title="no label")
    with pytest.raises(ValueError, match="node 'mystery' has no known label"):
        bolt_backend.load_graph(graph)
    assert bolt_backend.counts() == (dict.fromkeys(SMALL_NODES_ORDER, 0), dict.fromkeys(SMALL_RELS_ORDER, 0))


@pytest.mark.bolt
def test_project_nodes_without_relationships_mean_merge(bolt_backend: Neo4jBackend) -> None:
    # e.g. a load interrupted after the nodes: creating them again would break the id constraint
    graph = small_graph()
    nodes_only = nx.MultiDiGraph()
    nodes_only.add_nodes_from(graph.nodes(data=True))
    assert bolt_backend.load_graph(nodes_only).relationships == dict.fromkeys(SMALL_RELS_ORDER, 0)
    statements: list[str] = []
    stats = bolt_backend.load_graph(graph, on_batch=lambda _, st: statements.append(st))
    assert not any("CREATE" in st for st in statements)
    assert (stats.nodes, stats.relationships) == (
        SMALL_NODES,
        {"PROPOSES": 1, "USES": 7, "HAS_CODE": 1, "CITES": 2},
    )


# -- queries and writes ---------------------------------------------------------------------------


@pytest.mark.bolt
def test_read_queries_refuse_writes_before_sending(bolt_backend: Neo4jBackend) -> None:
    with pytest.raises(WriteQueryError):
        bolt_backend.run("CREATE (:Paper {id: 'sneaky'})")
    with pytest.raises(WriteQueryError):
        bolt_backend.run("MATCH (n) DETACH DELETE n")
    assert bolt_backend.run("MATCH (p:Paper {id: 'sneaky'}) RETURN count(p) AS c").rows == [[0]]
    written = bolt_backend.run("CREATE (p:Paper {id: $id}) RETURN p.id AS id", {"id": "allowed"}, write=True)
    assert written.rows == [["allowed"]]


@pytest.mark.bolt
def test_engine_errors_are_one_line_cypher_errors(bolt_backend: Neo4jBackend) -> None:
    with pytest.raises(CypherError) as caught:
        bolt_backend.run("MATCH (n RETURN n")
    message = str(caught.value)
    assert message.startswith("Neo.ClientError.Statement.SyntaxError: ")
    assert message.endswith("(in: MATCH (n RETURN n)")
    assert "\n" not in message


@pytest.mark.bolt
def test_run_many_is_all_or_nothing(bolt_backend: Neo4jBackend) -> None:
    bolt_backend.run_many(
        [("CREATE (:Paper {id: $id})", {"id": "a"}), ("CREATE (:Paper {id: $id})", {"id": "b"})]
    )
    assert bolt_backend.counts()[0]["Paper"] == 2
    with pytest.raises(CypherError):
        bolt_backend.run_many([("CREATE (:Paper {id: 'c'})", {}), ("THIS IS NOT CYPHER", {})])
    ids = bolt_backend.run("MATCH (p:Paper) RETURN p.id AS id ORDER BY id").rows
    assert ids == [["a"], ["b"]]


@pytest.mark.bolt
def test_paths_and_relationships_without_their_nodes_are_plain_values(bolt_backend: Neo4jBackend) -> None:
    bolt_backend.load_graph(small_graph())
    rels = bolt_backend.run("MATCH (:Paper)-[r:CITES]->(:Paper) RETURN r ORDER BY r.source").rows
    assert rels == [
        [
            {
                "_type": "CITES",
                "_start": "arxiv:2401.00002",
                "_end": "title:an-older-paper",
                "source": "inferred:concept:model:clip-lite",
            }
        ],
        [{"_type": "CITES", "_start": "arxiv:2312.00003", "_end": "arxiv:2401.00001", "source": "metadata"}],
    ]
    path = bolt_backend.run(
        "MATCH p = (:Paper {id: 'arxiv:2312.00003'})-[:CITES]->(:Paper)-[:HAS_CODE]->(:Repo) RETURN p"
    ).rows
    assert len(path) == 1
    value = path[0][0]
    assert [node["id"] for node in value["nodes"]] == [
        "arxiv:2312.00003",
        "arxiv:2401.00001",
        "repo:github.com/example/clip-lite",
    ]
    assert [(r["_type"], r["_start"], r["_end"]) for r in value["relationships"]] == [
        ("CITES", "arxiv:2312.00003", "arxiv:2401.00001"),
        ("HAS_CODE", "arxiv:2401.00001", "repo:github.com/example/clip-lite"),
    ]


# -- wipe -----------------------------------------------------------------------------------------


@pytest.mark.bolt
def test_wipe_removes_only_the_project_labels(bolt_backend: Neo4jBackend) -> None:
    bolt_backend.load_graph(small_graph())
    bolt_backend.run_many(
        [("CREATE (:UserNote {text: 'keep me'})-[:ABOUT]->(:UserTopic {name: 'mine'})", {})]
    )
    deleted = bolt_backend.wipe(batch_size=3)
    assert deleted == {"Paper": 4, "Concept": 5, "Repo": 1}
    assert bolt_backend.counts() == (
        {"Paper": 0, "Concept": 0, "Repo": 0},
        {"PROPOSES": 0, "USES": 0, "HAS_CODE": 0, "CITES": 0},
    )
    kept = bolt_backend.run(
        "MATCH (n:UserNote)-[r:ABOUT]->(t:UserTopic) RETURN n.text AS text, type(r) AS rel, t.name AS topic"
    ).records()
    assert kept == [{"text": "keep me", "rel": "ABOUT", "topic": "mine"}]
    bolt_backend.run("MATCH (n) WHERE n:UserNote OR n:UserTopic DETACH DELETE n", write=True)
