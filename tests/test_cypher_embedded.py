"""The embedded engine: plain results, one-line errors, refresh from the saved graph, clean exit on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from kg.cypher import embedded, open_backend
from kg.cypher.backend import CypherBackend, CypherError
from kg.cypher.embedded import EmbeddedBackend
from kg.cypher.guard import WriteQueryError
from kg.cypher.load import graph_counts
from kg.graph import build_graph
from kg.graph.persistence import save_graph
from tests.cypher_fixtures import (
    IMAGENET,
    P1,
    P2,
    P4,
    TITLES,
    backend,  # noqa: F401  (fixture)
    build_corpus_graph,
    corpus_dir,  # noqa: F401  (fixture)
    edge_lists,
    made_by_cypher,
    stored_content,
)
from tests.graph_corpus import PAPERS, extractions, resign_graph_file


def test_implements_the_protocol(backend: EmbeddedBackend) -> None:  # noqa: F811
    assert isinstance(backend, CypherBackend)
    assert backend.dialect == "arcadedb"


def test_scalars_lists_and_parameters(backend: EmbeddedBackend) -> None:  # noqa: F811
    result = backend.run(
        "MATCH (p:Paper {id: $id}) RETURN p.title AS title, p.year AS year, p.authors AS authors, "
        "p.url AS url, $n + 1 AS n, $flags AS flags, {a: 1} AS map",
        {"id": P1, "n": 41, "flags": [True, False]},
    )
    assert result.columns == ["title", "year", "authors", "url", "n", "flags", "map"]
    assert result.rows == [[TITLES[P1], 2024, ["A. Author", "B. Author"], None, 42, [True, False], {"a": 1}]]
    assert result.records()[0]["year"] == 2024


def test_nodes_relationships_and_paths_are_plain_dicts(backend: EmbeddedBackend) -> None:  # noqa: F811
    node, rel = backend.run(
        "MATCH (p:Paper {id: $p})-[r:USES]->(c:Concept {id: $c}) RETURN c, r", {"p": P1, "c": IMAGENET}
    ).rows[0]
    assert node == {
        "_labels": ["Concept", "Dataset"],
        "aliases": ["ILSVRC", "ImageNet-1k"],
        "id": IMAGENET,
        "kind": "Dataset",
        "name": "ImageNet",
        "paper_count": 4,
    }
    assert rel == {
        "_type": "USES",
        "_start": P1,
        "_end": IMAGENET,
        "confidence": 0.9,
        "end": 8,
        "evidence": "InsertNeRF: Instilling Generalizability into NeRF mentions ImageNet.",
        "field": "abstract",
        "mentions": 1,
        "rule": "gazetteer",
        "start": 0,
    }
    [[path]] = backend.run("MATCH path = (a:Paper {id: $a})-[:CITES]->(b) RETURN path", {"a": P2}).rows
    assert [n["id"] for n in path["nodes"]] == [P2, P4]
    assert path["relationships"] == [{"_type": "CITES", "_start": P2, "_end": P4, "source": "metadata"}]


def test_empty_results_keep_their_columns(backend: EmbeddedBackend) -> None:  # noqa: F811
    result = backend.run("MATCH (p:Paper {id: 'none'}) RETURN p.id AS id, p.title, count(*) ORDER BY id")
    assert (result.columns, result.rows) == (["id", "p.title", "count(*)"], [])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("MATCH (n:Paper RETURN n", "Syntax error at line 1:15 - mismatched input 'RETURN' expecting"),
        ("RETURN nosuchfunction(1) AS x", "UnknownFunction: Unknown function 'nosuchfunction'"),
        ("RETURN 1 / 0 AS x", "arithmetic error: / by zero"),
    ],
)
def test_engine_errors_are_one_readable_line(backend: EmbeddedBackend, query: str, message: str) -> None:  # noqa: F811
    with pytest.raises(CypherError) as caught:
        backend.run(query)
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text and "com.arcadedb" not in text and "Exception" not in text


def test_writes_are_refused_unless_asked_for(backend: EmbeddedBackend) -> None:  # noqa: F811
    with pytest.raises(WriteQueryError, match=r"^refused: CREATE at line 1, column 1: queries are read-only"):
        backend.run("CREATE (:Paper {id: 'x'})")
    with pytest.raises(WriteQueryError, match=r"^refused: SET at line 1, column 29"):
        backend.run("MATCH (p:Paper {id: $id})   SET p.title = 'x'", {"id": P1})
    assert backend.run("MATCH (p:Paper) RETURN count(p) AS n").rows == [[6]]


def test_write_mode_and_run_many(tmp_path: Path) -> None:
    with EmbeddedBackend(tmp_path / "scratch", refresh=False) as engine:
        result = engine.run(
            "CREATE (p:Paper {id: $id, title: $t}) RETURN p.id AS id", {"id": "x", "t": "X"}, write=True
        )
        assert result.rows == [["x"]]
        engine.run_many([("CREATE (:Paper {id: 'y'})", {}), ("CREATE (:Paper {id: $id})", {"id": "z"})])
        assert engine.run("MATCH (p:Paper) RETURN p.id AS id ORDER BY id").rows == [["x"], ["y"], ["z"]]
        with pytest.raises(CypherError):  # one failing statement rolls the whole batch back
            engine.run_many([("CREATE (:Paper {id: 'w'})", {}), ("CREATE (:Paper {id: }", {})])
        assert engine.run("MATCH (p:Paper) RETURN count(p) AS n").rows == [[3]]
    with pytest.raises(CypherError, match="is closed"):
        engine.run("RETURN 1 AS x")


def test_refreshes_automatically_when_the_saved_graph_changes(tmp_path: Path) -> None:
    graph = build_corpus_graph()
    save_graph(graph, tmp_path / "g")
    with EmbeddedBackend(tmp_path / "g") as engine:
        assert engine.rebuilt and engine.last_load is not None
        assert engine.last_load.nodes == {"Concept": 8, "Paper": 6, "Repo": 1}
        assert engine.run("MATCH (p:Paper) RETURN count(p) AS n").rows == [[6]]
    fingerprint = (tmp_path / "g" / "engine" / "fingerprint").read_text()
    with EmbeddedBackend(tmp_path / "g") as engine:
        assert not engine.rebuilt  # unchanged graph: the database is reused as it is
    graph.add_node("arxiv:2401.00007", id="arxiv:2401.00007", label="Paper", title="A New Paper", year=2025)
    graph.add_edge("arxiv:2401.00007", IMAGENET, key="USES", type="USES")
    save_graph(graph, tmp_path / "g")
    with EmbeddedBackend(tmp_path / "g") as engine:
        assert engine.rebuilt
        assert engine.run("MATCH (p:Paper) RETURN count(p) AS n").rows == [[7]]
        assert engine.run(
            "MATCH (p:Paper {title: 'A New Paper'})-[:USES]->(c) RETURN c.name AS name"
        ).rows == [["ImageNet"]]
    assert (tmp_path / "g" / "engine" / "fingerprint").read_text() != fingerprint
    # (the log folder is made by the first engine of a process, and only one JVM runs per process)
    assert {p.name for p in (tmp_path / "g" / "engine").iterdir()} - {"arcadedb-log.properties", "log"} == {
        "db",
        "fingerprint",
        "rebuild.lock",
    }


def test_a_changed_graph_is_not_swapped_under_an_open_backend(tmp_path: Path) -> None:
    graph = build_corpus_graph()
    save_graph(graph, tmp_path / "g")
    with EmbeddedBackend(tmp_path / "g") as first:
        with EmbeddedBackend(tmp_path / "g") as second:  # same graph: shares the open database
            assert second.run("MATCH (p:Paper) RETURN count(p) AS n").rows == [[6]]
        assert first.run("MATCH (p:Paper) RETURN count(p) AS n").rows == [[6]]
        graph.remove_node(P1)
        save_graph(graph, tmp_path / "g")
        with pytest.raises(CypherError, match="changed while its engine is open in this process"):
            EmbeddedBackend(tmp_path / "g")
    with EmbeddedBackend(tmp_path / "g") as engine:
        assert engine.run("MATCH (p:Paper) RETURN count(p) AS n").rows == [[5]]


def test_leftovers_of_an_interrupted_rebuild_are_removed(tmp_path: Path) -> None:
    save_graph(build_corpus_graph(), tmp_path / "g")
    leftover = tmp_path / "g" / "engine" / "db.building-99999"
    leftover.mkdir(parents=True)
    (leftover / "junk").write_text("x")
    with EmbeddedBackend(tmp_path / "g") as engine:
        assert engine.run("MATCH (p:Paper) RETURN count(p) AS n").rows == [[6]]
    assert not leftover.exists()


def test_missing_graph_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CypherError, match=r"^no graph directory at .*nowhere \(build one with `kg build"):
        open_backend(tmp_path / "nowhere")


def test_open_backend_defaults_to_kg_graph(
    corpus_dir: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KG_GRAPH", str(corpus_dir))
    opened = open_backend()
    try:
        assert isinstance(opened, EmbeddedBackend) and opened.graph_dir == corpus_dir
    finally:
        opened.close()
    with pytest.raises(TypeError, match="Neo4j settings given without neo4j=True: uri"):
        open_backend(corpus_dir, uri="bolt://x")


CHILD = textwrap.dedent(
    """
    import sys
    from kg.cypher.embedded import EmbeddedBackend

    backend = EmbeddedBackend(sys.argv[1])
    print("ready", flush=True)
    while True:
        backend.run("MATCH (p:Paper)-[*1..4]-(x) RETURN count(x) AS n")
    """
)


@pytest.mark.slow
def test_ctrl_c_leaves_no_process_or_lock_behind(tmp_path: Path) -> None:
    save_graph(build_corpus_graph(), tmp_path / "g")
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path / "g")],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.5)
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode != 0
    assert "KeyboardInterrupt" in stderr
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)
    assert not (workdir / "log").exists()  # the engine's logs stay inside the graph directory
    assert list((tmp_path / "g" / "engine" / "log").glob("arcadedb.log*"))
    assert not list((tmp_path / "g" / "engine" / "log").glob("*.lck"))
    with EmbeddedBackend(tmp_path / "g") as engine:  # the database opens again: no stale lock
        assert not engine.rebuilt
        assert engine.run("MATCH (p:Paper) RETURN count(p) AS n").rows == [[6]]


def test_neo4j_backend_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "kg.cypher.neo4j_backend", None)  # makes the import fail
    with pytest.raises(CypherError, match=r"^the Neo4j backend is not available in this installation \("):
        open_backend(neo4j=True)


# -- the rebuild streams the saved graph ----------------------------------------------------------


def _built_graph() -> nx.MultiDiGraph:
    """The graph kg.graph.build makes of the test corpus, plus values of every shape the loader converts."""
    graph = build_graph(PAPERS, extractions())
    graph.add_node(P1, **build_corpus_graph().nodes[P1])  # a second paper id space, all properties
    first_paper = min(n for n, label in graph.nodes(data="label") if label == "Paper" and n != P1)
    graph.add_edge(P1, first_paper, key="CITES", type="CITES", source="metadata")
    graph.nodes[first_paper].update(extra={"nested": [1, None]}, score=0.25, flags=[True, False], gone=None)
    graph.nodes[first_paper]["odd`name"] = "x"
    return graph


@pytest.mark.parametrize("batch_size", [1, 3, 5000])
def test_streamed_rebuild_stores_what_cypher_create_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    """Whatever the batch sizes, the streamed rebuild leaves what the ``load_batches`` statements create.

    Exact on everything a query can see: every type and its supertypes, every index, every vertex
    (record id included: every vertex type gets its records in the order of the batches) and every
    edge with the Java class of every stored value, in both ends' edge lists. Not compared: where
    the engine's bulk writer puts edge records in their type's buckets, and the order of a vertex's
    edges, which no query result depends on without an ``ORDER BY``.
    """
    graph = _built_graph()
    save_graph(graph, tmp_path / "built")
    monkeypatch.setattr(embedded, "_REBUILD_BATCH", batch_size)
    monkeypatch.setattr(embedded, "_REBUILD_EDGE_BATCH", batch_size)
    with EmbeddedBackend(tmp_path / "built") as built:
        assert built.rebuilt and built.last_load is not None
        assert built.last_load.rows_sent == graph.number_of_nodes() + graph.number_of_edges()
        assert (built.last_load.nodes, built.last_load.relationships) == graph_counts(graph)
        streamed, streamed_edges = stored_content(built), edge_lists(built)
    by_cypher, cypher_edges = made_by_cypher(
        graph, tmp_path / "created", 4, lambda engine: (stored_content(engine), edge_lists(engine))
    )
    assert streamed[0] == by_cypher[0]
    assert streamed[1] == by_cypher[1]
    assert _without_positions(streamed[2]) == _without_positions(by_cypher[2])
    assert streamed_edges == cypher_edges
    assert len(streamed[1]) == graph.number_of_nodes() and len(streamed[2]) == graph.number_of_edges()
    assert sum(len(into) for _, into in streamed_edges.values()) == graph.number_of_edges()
    paper = next(props for _, _, props in streamed[1] if "score" in props)
    assert paper["score"] == ("java.lang.Double", "0.25")
    assert paper["flags"][0] == "java.util.ArrayList"
    assert paper["extra"] == ("java.lang.String", '{"nested": [1, null]}')
    assert paper["odd`name"] == ("java.lang.String", "x") and "gone" not in paper
    edge = next(props for *_, props in streamed[2] if "start" in props and "confidence" in props)
    assert edge["start"][0] == "java.lang.Long" and edge["confidence"][0] == "java.lang.Double"


def _without_positions(edges: list[object]) -> list[object]:
    """:func:`stored_content`'s edges without the record position (the bulk writer places the records)."""
    return sorted(((kind, *rest) for kind, _position, *rest in edges), key=repr)


def test_record_args_are_the_loader_row_without_nulls(backend: EmbeddedBackend) -> None:  # noqa: F811
    """The rebuild's property list: ``row_properties`` minus ``null`` values, in its order, lists in Java."""
    from kg.cypher.load import STRUCTURAL_EDGE_ATTRS, STRUCTURAL_NODE_ATTRS, row_properties
    from kg.schema import NODE_PROPERTIES, REL_PROPERTIES

    graph = _built_graph()
    graph.nodes[P1].update(mixed=[1, "a", None], empty=[], tags={"b", "a"}, label="Paper")
    cases = [
        (attrs, NODE_PROPERTIES[attrs["label"]], STRUCTURAL_NODE_ATTRS) for _, attrs in graph.nodes(data=True)
    ]
    cases += [
        (attrs, REL_PROPERTIES[attrs["type"]], STRUCTURAL_EDGE_ATTRS) for *_, attrs in graph.edges(data=True)
    ]
    lists = 0
    for attrs, schema_props, structural in cases:
        expected = [
            item
            for name, value in row_properties(attrs, schema_props, structural).items()
            if value is not None
            for item in (name, value)
        ]
        args = embedded._record_args(attrs, embedded._property_spec(schema_props, structural))
        assert [name for name in args[::2]] == expected[::2]
        for value, want in zip(args[1::2], expected[1::2], strict=True):
            if isinstance(want, list):
                lists += 1
                assert str(value.getClass().getName()) == "java.util.ArrayList" and list(value) == want
            else:
                assert type(value) is type(want) and value == want
    assert lists > 3


def test_rebuild_makes_no_networkx_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = build_corpus_graph()
    save_graph(graph, tmp_path / "g")

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the rebuild built a networkx graph")

    monkeypatch.setattr(nx.MultiDiGraph, "__init__", refuse)
    with EmbeddedBackend(tmp_path / "g") as engine:
        assert engine.rebuilt
        assert engine.run("MATCH (:Paper)-[r]->() RETURN count(r) AS n").rows == [[graph.number_of_edges()]]


@pytest.mark.parametrize(
    ("transform", "message"),
    [
        (
            lambda data: data.replace(f'"source":"{P2}"'.encode(), b'"source":"ghost"', 1),
            r"graph\.json is corrupt: an edge names a node that is not in the file$",
        ),
        (
            lambda data: data.replace(b'"label":"Repo"', b'"label":"Person"', 1),
            r"graph\.json: node 'repo:github\.com/example/insertnerf' has no known label \(label='Person'\)$",
        ),
        (
            lambda data: data.replace(b'"key":"HAS_CODE"', b'"key":"LIKES"', 1).replace(
                b'"type":"HAS_CODE"', b'"type":"LIKES"', 1
            ),
            r"graph\.json: edge 'arxiv:2401\.00001' -> 'repo:.*' has no known type \(type='LIKES'\)$",
        ),
        (
            lambda data: data.replace(b'"label":"Concept"', b'"label":Concept', 1),
            r"graph\.json:\d+ is corrupt: not JSON",
        ),
    ],
)
def test_a_corrupt_saved_graph_fails_the_rebuild_and_keeps_the_old_engine(
    tmp_path: Path, transform: Callable[[bytes], bytes], message: str
) -> None:
    save_graph(build_corpus_graph(), tmp_path / "g")
    with EmbeddedBackend(tmp_path / "g") as engine:
        assert engine.rebuilt
    fingerprint = (tmp_path / "g" / "engine" / "fingerprint").read_text()
    resign_graph_file(tmp_path / "g", transform)
    with pytest.raises(CypherError, match=message):
        EmbeddedBackend(tmp_path / "g")
    assert sorted(p.name for p in (tmp_path / "g" / "engine").glob("db*")) == ["db"]  # no half-built copy
    assert (tmp_path / "g" / "engine" / "fingerprint").read_text() == fingerprint
    with EmbeddedBackend(tmp_path / "g", refresh=False) as engine:  # the previous database is intact
        assert engine.run("MATCH (p:Paper) RETURN count(p) AS n").rows == [[6]]


def test_a_graph_file_that_does_not_match_its_manifest_fails_the_rebuild(tmp_path: Path) -> None:
    save_graph(build_corpus_graph(), tmp_path / "g")
    path = tmp_path / "g" / "graph.json"
    path.write_bytes(path.read_bytes().replace(b"Isolated Paper", b"Isolated Paper!"))
    with pytest.raises(CypherError, match=r"graph\.json does not match its manifest"):
        EmbeddedBackend(tmp_path / "g")
    assert not list((tmp_path / "g" / "engine").glob("db*"))


def test_an_interrupted_rebuild_keeps_the_old_engine_and_releases_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C half way through the edges: old database and fingerprint kept, nothing left open or behind."""
    save_graph(build_corpus_graph(), tmp_path / "g")
    with EmbeddedBackend(tmp_path / "g") as engine:
        assert engine.rebuilt
    fingerprint = (tmp_path / "g" / "engine" / "fingerprint").read_text()
    changed = build_corpus_graph()
    changed.nodes[P1]["title"] = "Changed"
    save_graph(changed, tmp_path / "g")
    write_edge = embedded._SavedGraphWriter.edge
    edges: list[object] = []

    def interrupted(self: object, *args: object) -> None:
        edges.append(args)
        if len(edges) == 12:
            raise KeyboardInterrupt
        write_edge(self, *args)

    monkeypatch.setattr(embedded._SavedGraphWriter, "edge", interrupted)
    monkeypatch.setattr(embedded, "_REBUILD_EDGE_BATCH", 2)  # some edges already written by the bulk writer
    with pytest.raises(KeyboardInterrupt):
        EmbeddedBackend(tmp_path / "g")
    assert sorted(p.name for p in (tmp_path / "g" / "engine").glob("db*")) == ["db"]
    assert (tmp_path / "g" / "engine" / "fingerprint").read_text() == fingerprint
    monkeypatch.undo()
    with EmbeddedBackend(tmp_path / "g") as engine:  # the same process rebuilds: no batch or lock left held
        assert engine.rebuilt
        assert engine.run("MATCH (p:Paper {id: $id}) RETURN p.title AS t", {"id": P1}).rows == [["Changed"]]
