"""The compact graph behind ``kg build``: the same graph, files and overview page as the networkx graph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import extractors
from extractors.streaming import SpilledExtraction
from kg.graph import graphs_equal, load_graph, save_graph
from kg.graph.build import build_graph
from kg.graph.compact import CompactGraph
from kg.pipeline import OVERVIEW_FILE, build
from kg.sources import read_papers
from kg.views import overview_spec, render_overview
from tests.graph_corpus import PAPERS, extractions

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture(scope="module")
def nlp():
    return extractors.make_pipeline()


@pytest.fixture(scope="module")
def sample(nlp):
    """The sample corpus' papers and their extractions (the real extractor)."""
    papers = read_papers([SAMPLE]).papers
    return papers, extractors.extract_corpus(papers, nlp=nlp)


def _files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.is_file()}


@pytest.mark.parametrize("corpus", ["hand-written", "sample"])
def test_compact_graph_is_the_networkx_graph_and_writes_the_same_bytes(corpus, sample, tmp_path):
    papers, found = (PAPERS, extractions()) if corpus == "hand-written" else sample
    compact = CompactGraph.build(papers, iter(found))
    graph = build_graph(papers, found)
    assert graphs_equal(compact.to_networkx(), graph)
    assert list(compact.to_networkx().edges(keys=True)) == list(graph.edges(keys=True))
    compact.save(tmp_path / "compact", inputs=["in.jsonl"])
    save_graph(graph, tmp_path / "networkx", inputs=["in.jsonl"])
    assert _files(tmp_path / "compact") == _files(tmp_path / "networkx")
    assert graphs_equal(load_graph(tmp_path / "compact"), graph)


@pytest.mark.parametrize("max_nodes", [2, 3, 5, 8, 13, 40, 500])
@pytest.mark.parametrize("corpus", ["hand-written", "sample"])
def test_overview_from_the_compact_graph_is_the_same_page(corpus, max_nodes, sample, tmp_path):
    papers, found = (PAPERS, extractions()) if corpus == "hand-written" else sample
    compact = CompactGraph.build(papers, iter(found))
    graph = build_graph(papers, found)
    small, spec = compact.overview(max_nodes)
    assert spec == overview_spec(graph, max_nodes)
    assert small.number_of_nodes() < graph.number_of_nodes() or max_nodes >= graph.number_of_nodes()
    compact.render_overview(tmp_path / "compact.html", max_nodes)
    render_overview(graph, tmp_path / "networkx.html", max_nodes)
    assert (tmp_path / "compact.html").read_bytes() == (tmp_path / "networkx.html").read_bytes()


def test_a_graph_without_concepts_shows_its_most_connected_papers(tmp_path):
    compact = CompactGraph.build(PAPERS, [])
    graph = build_graph(PAPERS, [])
    assert compact.overview(3)[1] == overview_spec(graph, 3)
    compact.render_overview(tmp_path / "compact.html", 3)
    render_overview(graph, tmp_path / "networkx.html", 3)
    assert (tmp_path / "compact.html").read_bytes() == (tmp_path / "networkx.html").read_bytes()


def test_an_extraction_for_an_unknown_paper_is_refused():
    found = extractions()
    found[0].id = "arxiv:0000.00000"
    with pytest.raises(ValueError, match=re.escape("unknown paper id 'arxiv:0000.00000'")):
        CompactGraph.build(PAPERS, found)


def test_the_streamed_extraction_gives_what_extract_corpus_gives(sample, nlp):
    papers, found = sample
    extraction = SpilledExtraction(papers, nlp, n_process=1)
    extraction.first_pass()
    streamed = [concepts.to_json() for concepts in extraction]
    assert streamed == [concepts.to_json() for concepts in found]
    with pytest.raises(RuntimeError, match="first_pass"):
        next(iter(extraction))


def test_the_command_path_writes_the_files_of_the_python_api(tmp_path, nlp):
    kept = build([SAMPLE], tmp_path / "api", nlp=nlp)
    written = build([SAMPLE], tmp_path / "cli", nlp=nlp, keep_graph=False)
    assert written.graph is None
    assert kept.graph is not None
    assert sorted(written.paths) == ["graph", "manifest", "overview"]
    assert written.paths["overview"] == tmp_path / "cli" / OVERVIEW_FILE
    assert _files(tmp_path / "cli") == _files(tmp_path / "api")
    assert (written.report.nodes, written.report.edges, written.report.concepts_by_kind) == (
        kept.report.nodes, kept.report.edges, kept.report.concepts_by_kind
    )
    assert written.report.papers_total == kept.report.papers_total
