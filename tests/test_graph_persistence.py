"""Saving and loading the graph: exact round trip, byte-identical output, clear errors."""

from __future__ import annotations

import hashlib
import json

import networkx as nx
import pytest

from kg.graph import GraphFileError, build_graph, graph_fingerprint, graphs_equal, load_graph, save_graph
from kg.graph.compare import diff_saved, graph_diff
from kg.graph.persistence import FORMAT_VERSION, iter_saved
from tests.graph_corpus import PAPERS, extractions, resign_graph_file


@pytest.fixture
def graph():
    return build_graph(PAPERS, extractions())


def test_round_trip_gives_an_equal_graph(graph, tmp_path):
    save_graph(graph, tmp_path / "g")
    loaded = load_graph(tmp_path / "g")
    assert graphs_equal(graph, loaded)
    assert sorted(loaded.edges(keys=True, data=True)) == sorted(graph.edges(keys=True, data=True))
    assert dict(loaded.nodes(data=True)) == dict(graph.nodes(data=True))
    assert isinstance(loaded, nx.MultiDiGraph)


def test_round_trip_keeps_unicode_floats_nested_values_and_graph_attributes(tmp_path):
    graph = nx.MultiDiGraph(name="t")
    graph.add_node("α", label="Paper", title="Résumé — 𝔼[x]", year=None, score=0.1 + 0.2, tags=["a", "b"])
    graph.add_node("b", label="Paper", nested={"k": [1, 2.5, None, True]})
    graph.add_edge("α", "b", key="CITES", type="CITES", source="metadata")
    graph.add_edge("α", "b", key="USES", type="USES", confidence=1e-300)
    save_graph(graph, tmp_path)
    loaded = load_graph(tmp_path)
    assert graphs_equal(graph, loaded)
    assert loaded.nodes["α"]["score"] == 0.1 + 0.2


def test_the_same_graph_gives_byte_identical_files(graph, tmp_path):
    save_graph(graph, tmp_path / "a")
    rebuilt = build_graph(list(reversed(PAPERS)), extractions())
    save_graph(rebuilt, tmp_path / "b")
    for name in ("graph.json", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_file_format_is_documented_json(graph, tmp_path):
    paths = save_graph(graph, tmp_path, inputs=["corpus.jsonl"])
    document = json.loads(paths["graph"].read_text(encoding="utf-8"))
    assert (document["format"], document["version"], document["directed"], document["multigraph"]) == (
        "paper-kg-graph", FORMAT_VERSION, True, True,
    )
    assert [n["id"] for n in document["nodes"]] == sorted(graph.nodes)
    assert [(e["source"], e["target"], e["key"]) for e in document["edges"]] == sorted(graph.edges(keys=True))
    assert document["edges"][0] == {
        "source": "arxiv:2301.00001",
        "target": "concept:dataset:llff",
        "key": "USES",
        "attrs": dict(graph.edges["arxiv:2301.00001", "concept:dataset:llff", "USES"]),
    }
    manifest = json.loads(paths["manifest"].read_text(encoding="utf-8"))
    assert manifest == {
        "bytes": paths["graph"].stat().st_size,
        "counts": {
            "edges": {"CITES": 3, "HAS_CODE": 1, "PROPOSES": 3, "USES": 8},
            "nodes": {"Concept": 5, "Paper": 5, "Repo": 1},
            "total_edges": 15,
            "total_nodes": 11,
        },
        "fingerprint": hashlib.sha256(paths["graph"].read_bytes()).hexdigest(),
        "format": "paper-kg-manifest",
        "graph_file": "graph.json",
        "inputs": ["corpus.jsonl"],
        "version": FORMAT_VERSION,
    }
    assert graph_fingerprint(tmp_path) == manifest["fingerprint"]


def test_saving_replaces_files_atomically_and_keeps_other_content(graph, tmp_path):
    (tmp_path / "engine").mkdir()
    (tmp_path / "engine" / "db.bin").write_bytes(b"engine data")
    (tmp_path / "overview.html").write_text("<html></html>")
    save_graph(nx.MultiDiGraph(), tmp_path)
    first = graph_fingerprint(tmp_path)
    save_graph(graph, tmp_path)
    assert graph_fingerprint(tmp_path) != first
    assert (tmp_path / "engine" / "db.bin").read_bytes() == b"engine data"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["engine", "graph.json", "manifest.json", "overview.html"]


def test_a_failed_save_leaves_the_previous_graph_and_no_temporary_file(graph, tmp_path):
    save_graph(graph, tmp_path)
    before = (tmp_path / "graph.json").read_bytes()
    broken = graph.copy()
    broken.add_node("bad", label="Paper", value={1, 2})
    with pytest.raises(TypeError):
        save_graph(broken, tmp_path)
    assert (tmp_path / "graph.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json", "manifest.json"]
    assert graphs_equal(load_graph(tmp_path), graph)


@pytest.mark.parametrize(("value", "why"), [
    (2**64, "Integer exceeds 64-bit range"),
    ({1: "one"}, "Dict key must be str"),
])
def test_values_that_would_not_read_back_exactly_are_refused_naming_the_edge(graph, tmp_path, value, why):
    broken = graph.copy()
    broken.add_edge("arxiv:2301.00001", "arxiv:2301.00002", key="CITES", type="CITES", extra=value)
    with pytest.raises(TypeError, match=rf"edge 'arxiv:2301.00001' -> 'arxiv:2301.00002' \('CITES'\) "
                                        rf"cannot be saved as JSON: {why}"):
        save_graph(broken, tmp_path)
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_the_largest_integers_that_are_saved_read_back_exactly(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="Paper", low=-(2**63), high=2**64 - 1, tiny=5e-324, big=1.7976931348623157e308)
    save_graph(graph, tmp_path)
    assert dict(load_graph(tmp_path).nodes["a"]) == dict(graph.nodes["a"])
    assert type(load_graph(tmp_path).nodes["a"]["high"]) is int


def test_a_graph_without_edges_or_nodes_reads_back(tmp_path):
    lonely = nx.MultiDiGraph()
    lonely.add_node("a", label="Paper", title="No concepts here")
    for name, graph in (("lonely", lonely), ("empty", nx.MultiDiGraph())):
        paths = save_graph(graph, tmp_path / name)
        assert b"\n\n" not in paths["graph"].read_bytes()  # one element per line, no blank line
        assert graphs_equal(load_graph(tmp_path / name), graph)
    # the layout earlier versions wrote for an empty section (a blank line) still reads
    def legacy(data: bytes) -> bytes:
        changed = data.replace(b'[\n],"edges":[\n]}', b'[\n\n],"edges":[\n\n]}')
        assert changed != data
        return changed

    resign_graph_file(tmp_path / "empty", legacy)
    assert graphs_equal(load_graph(tmp_path / "empty"), nx.MultiDiGraph())


def test_missing_graph_errors(tmp_path):
    with pytest.raises(GraphFileError, match=r"no graph directory at .*nowhere.*kg build"):
        load_graph(tmp_path / "nowhere")
    with pytest.raises(GraphFileError, match=r"no graph in .*kg build"):
        load_graph(tmp_path)
    with pytest.raises(GraphFileError, match="no graph in"):
        graph_fingerprint(tmp_path)


def test_corrupt_graph_errors(graph, tmp_path):
    paths = save_graph(graph, tmp_path)
    data = paths["graph"].read_bytes()
    paths["graph"].write_bytes(data[: len(data) // 2])
    with pytest.raises(GraphFileError, match=r"graph\.json does not match its manifest"):
        load_graph(tmp_path)
    paths["manifest"].write_text("{not json", encoding="utf-8")
    with pytest.raises(GraphFileError, match=r"manifest\.json is corrupt"):
        load_graph(tmp_path)
    paths["manifest"].unlink()
    with pytest.raises(GraphFileError, match=r"manifest\.json is missing: the graph in .* is incomplete"):
        load_graph(tmp_path)


def test_graph_file_that_is_valid_json_but_not_a_graph(tmp_path):
    save_graph(nx.MultiDiGraph(), tmp_path)
    bad = b'{"format": "something-else"}'
    (tmp_path / "graph.json").write_bytes(bad)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["fingerprint"] = hashlib.sha256(bad).hexdigest()
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(GraphFileError, match=r"graph\.json is not a paper-kg graph file"):
        load_graph(tmp_path)


def test_foreign_format_version_is_refused(graph, tmp_path):
    paths = save_graph(graph, tmp_path)
    manifest = json.loads(paths["manifest"].read_text())
    manifest["version"] = FORMAT_VERSION + 1
    paths["manifest"].write_text(json.dumps(manifest))
    expected = rf"format version {FORMAT_VERSION + 1}; this paper-kg reads version"
    with pytest.raises(GraphFileError, match=expected):
        load_graph(tmp_path)


def test_a_broken_line_is_reported_with_its_number(graph, tmp_path):
    save_graph(graph, tmp_path)
    resign_graph_file(tmp_path, lambda data: data.replace(b'"label":"Concept"', b'"label":Concept', 1))
    with pytest.raises(GraphFileError, match=r"graph\.json:4 is corrupt: not JSON"):
        load_graph(tmp_path)


def test_a_malformed_edge_or_dangling_endpoint_is_reported(graph, tmp_path):
    save_graph(graph, tmp_path)
    resign_graph_file(tmp_path, lambda data: data.replace(b'"source":"arxiv:2301.00001"', b'"from":"x"', 1))
    with pytest.raises(GraphFileError, match=r"graph\.json:\d+ is corrupt: malformed edge"):
        load_graph(tmp_path)
    save_graph(graph, tmp_path)
    resign_graph_file(
        tmp_path, lambda data: data.replace(b'"source":"arxiv:2301.00001"', b'"source":"ghost"', 1))
    with pytest.raises(GraphFileError, match="an edge names a node that is not in the file"):
        load_graph(tmp_path)
    save_graph(graph, tmp_path)
    resign_graph_file(tmp_path, lambda data: data[: data.rindex(b"]}")])
    with pytest.raises(GraphFileError, match="it ends before the end of the graph"):
        load_graph(tmp_path)


def test_diff_against_the_saved_graph_equals_the_in_memory_diff(graph, tmp_path):
    save_graph(graph, tmp_path)
    changed = graph.copy()
    changed.remove_node("arxiv:2301.00001")
    changed.nodes["concept:model:clip"]["paper_count"] = 7
    changed.add_node("a:new", label="Paper")
    changed.add_edge("a:new", "concept:model:clip", key="USES", type="USES")
    changed.edges["arxiv:2402.00002", "concept:dataset:llff", "USES"]["confidence"] = 0.1
    diff = diff_saved(tmp_path, changed)
    assert diff == graph_diff(graph, changed)
    assert diff.added_nodes == ["a:new"] and diff.removed_nodes == ["arxiv:2301.00001"]
    assert diff.changed_nodes == ["concept:model:clip"]
    assert diff.changed_edges == [("arxiv:2402.00002", "concept:dataset:llff", "USES")]
    assert diff.added_edges == [("a:new", "concept:model:clip", "USES")]
    assert len(diff.removed_edges) == 5
    assert diff_saved(tmp_path, graph).empty
    assert diff_saved(tmp_path, nx.MultiDiGraph()) == graph_diff(graph, nx.MultiDiGraph())


def test_streamed_elements_are_the_same_with_or_without_shared_values(graph, tmp_path):
    save_graph(graph, tmp_path)
    shared = list(iter_saved(tmp_path))
    plain = list(iter_saved(tmp_path, share_values=False))
    assert plain == shared
    assert len(shared) == 1 + graph.number_of_nodes() + graph.number_of_edges()  # the header first
    first, second = [attrs for kind, _, attrs in shared if kind == "edge"][:2]
    common = sorted(set(first) & set(second))
    assert common
    # shared: every element's attribute names are the very same string objects
    assert all(next(k for k in first if k == name) is next(k for k in second if k == name) for name in common)
