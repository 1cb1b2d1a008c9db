"""``kg build`` end to end: real readers, the real spaCy extractor, saving, updating, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import extractors
import kg
from kg.cli import app
from kg.graph import graph_diff, graphs_equal, load_graph
from kg.pipeline import BuildError, build, build_read, papers_from_graph, papers_from_saved

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
FIRST = [SAMPLE / "000_0654834f319178aa.txt"]
REST = [
    SAMPLE / "002_9964d31bbc2f217b.txt",
    SAMPLE / "003_840482bb62c9917b.txt",
    SAMPLE / "grokking_and_emergence.bib",
    SAMPLE / "papers_with_references.jsonl",
]
RECORDS = [
    {
        "title": "InsertNeRF: Instilling Generalizability into NeRF with HyperNet Modules",
        "abstract": "Generalizing Neural Radiance Fields (NeRF) to new scenes is a significant challenge. "
        "We present InsertNeRF, a method for INStilling gEneRalizabiliTy into NeRF. Experiments on "
        "the LLFF dataset show state-of-the-art results. Code is available at "
        "https://github.com/bbbbby-99/InsertNeRF.",
        "arxiv_id": "2308.13897",
        "year": 2023,
    },
    {
        "title": "Editing Radiance Fields with Language",
        "abstract": "We build on InsertNeRF and use CLIP to edit scenes, following diversification methods "
        "(Lee et al., 2023). We evaluate on LLFF.",
        "year": 2024,
        "references": ["arXiv:2308.13897", "arXiv:2401.99999"],
    },
    {
        "title": "Fast Scene Rendering",
        "abstract": "We compare our renderer against InsertNeRF on the LLFF dataset and report PSNR.",
        "year": 2024,
    },
]
INSERT, EDIT, FAST = "arxiv:2308.13897", "title:eefe3a58adb479ef", "title:1a7793f3f4c69ec4"


@pytest.fixture(scope="module")
def nlp():
    return extractors.make_pipeline()


@pytest.fixture
def corpus(tmp_path) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def edges(graph, rel):
    return sorted((u, v) for u, v, k in graph.edges(keys=True) if k == rel)


def test_build_small_corpus_through_the_real_extractor(corpus, tmp_path, nlp):
    result = build([corpus], tmp_path / "out", nlp=nlp, overview=False)
    graph = result.graph
    assert result.report.papers_total == 3
    papers = sorted(n for n, label in graph.nodes(data="label") if label == "Paper")
    assert papers == sorted([INSERT, EDIT, FAST])
    assert edges(graph, "PROPOSES") == [(INSERT, "concept:method:insertnerf")]
    assert edges(graph, "HAS_CODE") == [(INSERT, "repo:github.com/bbbbby-99/insertnerf")]
    assert set(edges(graph, "USES")) >= {
        (INSERT, "concept:dataset:llff"),
        (EDIT, "concept:method:insertnerf"),
        (EDIT, "concept:model:clip"),
        (EDIT, "concept:dataset:llff"),
        (FAST, "concept:method:insertnerf"),
        (FAST, "concept:dataset:llff"),
    }
    cites = sorted((u, v, d) for u, v, k, d in graph.edges(keys=True, data="source") if k == "CITES")
    assert cites == [
        (FAST, INSERT, "inferred:concept:method:insertnerf"),
        (EDIT, INSERT, "metadata"),
    ]
    assert graph.nodes[EDIT]["unresolved_refs"] == ["arxiv:2401.99999", "Lee et al., 2023"]
    proposes = graph.edges[INSERT, "concept:method:insertnerf", "PROPOSES"]
    assert (proposes["field"], proposes["start"], proposes["end"]) == ("title", 0, 10)
    assert graph.nodes["concept:method:insertnerf"]["paper_count"] == 3
    assert graph.nodes["repo:github.com/bbbbby-99/insertnerf"]["url"] == "https://github.com/bbbbby-99/InsertNeRF"
    assert graphs_equal(load_graph(tmp_path / "out"), graph)
    assert sorted(result.paths) == ["graph", "manifest"]


def test_sample_corpus_round_trip_and_byte_identical_rebuild(tmp_path, nlp):
    first = build([SAMPLE], tmp_path / "a", nlp=nlp)
    build([SAMPLE], tmp_path / "b", nlp=nlp)
    assert first.report.papers_total == 244
    assert first.report.read.raw_count == 314
    assert first.report.read.skipped == []
    assert graphs_equal(load_graph(tmp_path / "a"), first.graph)
    for name in ("graph.json", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["counts"]["nodes"] == first.report.nodes
    assert manifest["counts"]["edges"] == first.report.edges
    assert manifest["inputs"] == [str(SAMPLE)]
    assert set(first.report.seconds) >= {"read", "extract", "graph", "save"}


def test_update_adds_only_new_papers_and_equals_a_full_build(tmp_path, nlp):
    full = build([*FIRST, *REST], tmp_path / "full", nlp=nlp, overview=False)
    start = build(FIRST, tmp_path / "up", nlp=nlp, overview=False)
    old = load_graph(tmp_path / "up")
    updated = build(REST, tmp_path / "up", update=True, nlp=nlp, overview=False)
    report = updated.report
    assert report.updated
    assert report.papers_new + start.report.papers_total == full.report.papers_total == 244
    assert report.papers_new == 180
    assert report.papers_already_present == len(report.read.papers) - 180
    # Every old paper is still there; the new ones were added.
    old_papers = {n for n, label in old.nodes(data="label") if label == "Paper"}
    new_papers = {n for n, label in updated.graph.nodes(data="label") if label == "Paper"}
    assert len(new_papers - old_papers) == 181  # 180 new + one old paper whose id became its arXiv id
    assert old_papers - new_papers == {"title:e237947f6ef148ec"}
    assert report.diff == graph_diff(old, updated.graph)
    # Same graph as building everything at once: canonicalisation is corpus-wide either way.
    assert graphs_equal(updated.graph, full.graph)
    assert (tmp_path / "up" / "graph.json").read_bytes() == (tmp_path / "full" / "graph.json").read_bytes()
    manifest = json.loads((tmp_path / "up" / "manifest.json").read_text())
    assert manifest["inputs"] == [str(p) for p in [*FIRST, *REST]]


def test_updating_with_the_same_input_adds_and_writes_nothing(corpus, tmp_path, nlp):
    out = tmp_path / "out"
    build([corpus], out, nlp=nlp, overview=False)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    again = build([corpus], out, update=True, nlp=nlp, overview=False)
    report = again.report
    assert (report.papers_new, report.papers_already_present, report.papers_enriched) == (0, 3, 0)
    assert again.report.diff is not None and again.report.diff.empty
    assert not again.report.changed
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()} == before


def test_update_with_one_new_paper(corpus, tmp_path, nlp):
    out = tmp_path / "out"
    build([corpus], out, nlp=nlp, overview=False)
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({
        "title": "InsertNeRF for Robots",
        "abstract": "We apply InsertNeRF to robot scenes from LLFF.",
        "year": 2025,
    }) + "\n", encoding="utf-8")
    result = build([extra], out, update=True, nlp=nlp, overview=False)
    diff = result.report.diff
    new_id = result.report.read.papers[0].id
    assert result.report.papers_new == 1
    assert diff.added_nodes == [new_id]
    assert diff.removed_nodes == diff.removed_edges == diff.changed_edges == []
    assert diff.changed_nodes == ["concept:dataset:llff", "concept:method:insertnerf"]  # paper_count + 1
    assert (new_id, INSERT, "CITES") in diff.added_edges
    assert result.graph.edges[new_id, INSERT, "CITES"]["source"] == "inferred:concept:method:insertnerf"


def test_update_without_a_graph_is_a_fresh_build_and_a_corrupt_graph_is_refused(corpus, tmp_path, nlp):
    fresh = build([corpus], tmp_path / "new", update=True, nlp=nlp, overview=False)
    assert not fresh.report.updated and fresh.report.papers_total == 3
    (tmp_path / "new" / "graph.json").write_text("{}", encoding="utf-8")
    expected = r"cannot update the graph in .*graph\.json does not match its manifest"
    with pytest.raises(BuildError, match=expected):
        build([corpus], tmp_path / "new", update=True, nlp=nlp, overview=False)


def test_build_read_writes_what_build_writes_for_the_same_papers(tmp_path, nlp):
    from kg.sources import read_papers

    built = build([SAMPLE], tmp_path / "a", nlp=nlp, keep_graph=False)
    stages: list[str] = []
    result = build_read(
        read_papers([SAMPLE]), tmp_path / "b", inputs=[SAMPLE], nlp=nlp, keep_graph=False,
        progress=lambda stage, done, total: stages.append(stage),
    )
    assert built.graph is None and result.graph is None
    for name in ("graph.json", "manifest.json", "overview.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert result.report.papers_new == result.report.papers_total == 244
    assert list(dict.fromkeys(stages)) == ["extract", "graph", "save", "view"]
    assert set(result.report.seconds) == {"extract", "graph", "save", "view"}
    with pytest.raises(BuildError, match="no papers could be read"):
        build_read(read_papers([]), tmp_path / "c", nlp=nlp)
    assert not (tmp_path / "c").exists()


def test_no_readable_paper_is_an_error(tmp_path, nlp):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("not json\n", encoding="utf-8")
    with pytest.raises(BuildError, match="no papers could be read from the inputs"):
        build([empty], tmp_path / "out", nlp=nlp)
    assert not (tmp_path / "out").exists()


def test_papers_from_graph_gives_back_the_records(corpus, tmp_path, nlp):
    result = build([corpus], tmp_path / "out", nlp=nlp, overview=False)
    records = {p.id: p for p in papers_from_graph(result.graph)}
    originals = {p.id: p for p in result.report.read.papers}
    assert records.keys() == originals.keys()
    for pid, paper in originals.items():
        assert records[pid].title == paper.title and records[pid].abstract == paper.abstract
        assert set(records[pid].references) == set(paper.references)
    assert papers_from_saved(tmp_path / "out") == papers_from_graph(result.graph)


def test_python_api(corpus, tmp_path):
    graph = kg.build([corpus], tmp_path / "out")
    assert graphs_equal(kg.load_graph(tmp_path / "out"), graph)
    assert len(kg.read_papers([corpus]).papers) == 3


def test_cli_build_and_update(corpus, tmp_path):
    runner = CliRunner()
    out = tmp_path / "graph"
    result = runner.invoke(app, ["build", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Graph built" in result.output
    for row in ("papers", "PROPOSES edges", "CITES edges", "skipped records", "wrote graph"):
        assert row in result.output
    assert (out / "graph.json").is_file() and (out / "manifest.json").is_file()
    again = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--update"])
    assert again.exit_code == 0, again.output
    assert "Graph updated" in again.output and "nothing: no new papers" in again.output
    missing = runner.invoke(app, ["build", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "x")])
    assert missing.exit_code == 1
    assert "no papers could be read from the inputs" in missing.output


def test_cli_build_keeps_other_files_in_the_graph_directory(corpus, tmp_path):
    out = tmp_path / "graph"
    (out / "engine").mkdir(parents=True)
    (out / "engine" / "marker").write_text("x")
    assert CliRunner().invoke(app, ["build", str(corpus), "-o", str(out)]).exit_code == 0
    assert (out / "engine" / "marker").read_text() == "x"
    shutil.rmtree(out)


def test_update_merges_by_the_readers_rules(corpus, tmp_path, nlp):
    out = tmp_path / "out"
    build([corpus], out, nlp=nlp, overview=False)
    extra = tmp_path / "extra.jsonl"
    records = [
        # Same title, another arXiv id: another paper (as when reading both in one build).
        {**RECORDS[0], "arxiv_id": "2309.00001"},
        # Same title as a paper known only by title, now with an arXiv id and authors: the same paper.
        {**RECORDS[2], "arxiv_id": "2405.00003", "authors": ["A. Author"]},
    ]
    extra.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = build([extra], out, update=True, nlp=nlp, overview=False)
    report = result.report
    assert (report.papers_new, report.papers_already_present, report.papers_enriched) == (1, 1, 1)
    papers = sorted(n for n, label in result.graph.nodes(data="label") if label == "Paper")
    assert papers == sorted([INSERT, "arxiv:2309.00001", "arxiv:2405.00003", EDIT])
    assert result.graph.nodes["arxiv:2405.00003"]["authors"] == ["A. Author"]
    assert report.diff.removed_nodes == [FAST]
    full = build([corpus, extra], tmp_path / "full", nlp=nlp, overview=False)
    assert graphs_equal(full.graph, result.graph)


def test_build_with_worker_processes_writes_the_same_graph(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert CliRunner().invoke(app, ["build", str(SAMPLE), "-o", str(one), "--jobs", "1"]).exit_code == 0
    result = CliRunner().invoke(app, ["build", str(SAMPLE), "-o", str(two), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert (one / "graph.json").read_bytes() == (two / "graph.json").read_bytes()
    assert CliRunner().invoke(app, ["build", str(SAMPLE), "-o", str(two), "-j", "0"]).exit_code != 0
