"""The benchmark suite at a tiny size: every stage measured for real, the table complete and sane.

No wall-clock thresholds: the numbers depend on the machine. What is checked is
that every stage ran on the real pipeline, engine and queries, and that the
figures are consistent with each other.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import suite
from benchmarks.measure import StageTimer, peak_rss_mb, percentile, reset_peak
from benchmarks.suite import (
    BUILD_STAGES,
    ENGINE_STAGES,
    QUERIES,
    corpus_file,
    main,
    papers_with_datasets,
    parse_size,
    size_label,
)

PAPERS = 50


@pytest.fixture(scope="module")
def suite_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str, Path]:
    cache = tmp_path_factory.mktemp("bench-cache")
    out = cache / "results.json"
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["--sizes", str(PAPERS), "--cache", str(cache), "--json", str(out), "--query-runs", "5",
                     "--engine-heap", "512m"])
    assert code == 0
    return json.loads(out.read_text(encoding="utf-8")), buffer.getvalue(), cache


def test_table_has_every_stage_row(suite_run: tuple[dict, str, Path]) -> None:
    _, table, _ = suite_run
    rows = [line for line in table.splitlines() if line.startswith(f"| {PAPERS} |")]
    stages = [row.split("|")[2].strip() for row in rows]
    assert stages == [*BUILD_STAGES, *ENGINE_STAGES, *(f"query {q}" for q in QUERIES),
                      "**end to end**", "**extract ÷ tokenizer**"]


def test_stage_figures_are_sane(suite_run: tuple[dict, str, Path]) -> None:
    results, _, _ = suite_run
    (entry,) = results["sizes"]
    assert entry["papers"] == PAPERS
    summary = entry["summary"]
    stages = summary["stages"]
    for name in (*BUILD_STAGES, *ENGINE_STAGES):
        stage = stages[name]
        assert stage["seconds"] > 0, name
        assert 30 < stage["peak_rss_mb"] < 16_000, name
    for name in ("read", "tokenizer", "extract", "build", "save", "view", "load"):
        assert stages[name]["docs"] == PAPERS, name
        assert stages[name]["docs_per_s"] == pytest.approx(PAPERS / stages[name]["seconds"])
    for query in QUERIES:
        stage = stages[f"query {query}"]
        assert stage["docs"] == 5
        assert 0 < stage["p50_ms"] <= stage["p95_ms"]
    # The Java VM of the embedded engine lives in the query process: it is the larger one.
    assert stages["load"]["peak_rss_mb"] > stages["read"]["peak_rss_mb"]
    assert summary["end_to_end_rss_mb"] == max(s["peak_rss_mb"] for s in stages.values())
    assert summary["end_to_end_s"] == pytest.approx(
        sum(stages[n]["seconds"] for n in ("read", "setup", "extract", "build", "save", "view", "load"))
    )
    expected_ratio = stages["extract"]["docs_per_s"] / stages["tokenizer"]["docs_per_s"]
    assert summary["extract_tokenizer_ratio"] == pytest.approx(expected_ratio)
    assert summary["counts"]["nodes"] > PAPERS
    assert summary["counts"]["edges"] > 0
    assert results["machine"]["cpus"] >= 1


def test_raw_runs_record_the_engine_load(suite_run: tuple[dict, str, Path]) -> None:
    results, _, _ = suite_run
    (run,) = results["sizes"][0]["runs"]
    load = run["engine"]["stages"][0]
    assert load["stage"] == "load"
    assert load["extra"]["rows"] > PAPERS  # nodes and relationships were sent to the engine
    assert 0 < load["extra"]["insert_seconds"] <= load["seconds"]


def test_engine_only_run_rebuilds_the_engine_of_an_existing_graph(
    suite_run: tuple[dict, str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, cache = suite_run
    graph_dir = cache / f"graph-{PAPERS}"
    out = cache / "engine-only.json"
    built = (graph_dir / "graph.json").read_bytes()
    assert (graph_dir / "engine" / "db").is_dir()  # left by the suite run: removed before this run
    code = main(["--graph", str(graph_dir), "--repeat", "2", "--query-runs", "3", "--engine-heap", "512m",
                 "--json", str(out)])
    assert code == 0
    table = capsys.readouterr().out
    assert [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ")][1:] == [
        "load", *(f"query {q}" for q in QUERIES)
    ]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert (results["repeat"], results["heap"], len(results["runs"])) == (2, "512m", 2)
    load = results["summary"]["stages"]["load"]
    assert load["docs"] == PAPERS and load["rows"] > PAPERS and load["cpu_seconds"] > 0
    peaks = [run["stages"][0]["peak_rss_mb"] for run in results["runs"]]
    assert load["peak_rss_mb"] == pytest.approx(sum(peaks) / 2)
    for run in results["runs"]:  # each run rebuilt the engine from the saved graph
        assert run["stages"][0]["extra"]["rows"] == load["rows"]
    assert (graph_dir / "graph.json").read_bytes() == built


def test_sampled_papers_are_the_sorted_distinct_papers_with_a_dataset(
    suite_run: tuple[dict, str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.cypher.embedded import EmbeddedBackend

    _, _, cache = suite_run
    monkeypatch.setenv("KG_ENGINE_HEAP", "512m")
    with EmbeddedBackend(cache / f"graph-{PAPERS}") as backend:
        everything = [row[0] for row in backend.run(
            "MATCH (p:Paper)-[:PROPOSES|USES]->(c:Concept) WHERE c.kind = 'Dataset' "
            "RETURN DISTINCT p.id AS id ORDER BY id"
        ).rows]
        assert everything and papers_with_datasets(backend) == everything  # fewer rows than the sample
        monkeypatch.setattr(suite, "SAMPLE_ROWS", 3)
        monkeypatch.setattr(suite, "SAMPLE_PAPERS", 2)
        first = papers_with_datasets(backend)
    assert len(first) == 2 and first == sorted(first) and set(first) <= set(everything)


def test_engine_only_run_needs_a_saved_graph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--graph", str(tmp_path / "nothing")]) == 1
    assert f"error: no saved graph in {tmp_path / 'nothing'}" in capsys.readouterr().err


def test_corpus_is_generated_once_and_deterministic(
    suite_run: tuple[dict, str, Path], tmp_path: Path
) -> None:
    _, _, cache = suite_run
    cached = corpus_file(cache, PAPERS, 7)
    before = cached.stat().st_mtime_ns
    assert corpus_file(cache, PAPERS, 7) == cached
    assert cached.stat().st_mtime_ns == before
    fresh = corpus_file(tmp_path, PAPERS, 7)
    assert fresh.read_bytes() == cached.read_bytes()
    lines = fresh.read_text(encoding="utf-8").splitlines()
    assert len(lines) == PAPERS
    assert all(json.loads(line)["abstract"] for line in lines)


@pytest.mark.parametrize(("text", "count"), [("1k", 1000), ("10K", 10_000), ("1m", 1_000_000), ("250", 250),
                                             ("1.5k", 1500), ("100_000", 100_000)])
def test_parse_size(text: str, count: int) -> None:
    assert parse_size(text) == count


@pytest.mark.parametrize("text", ["", "k", "-5", "0", "ten"])
def test_parse_size_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match="size"):
        parse_size(text)


def test_size_label() -> None:
    assert [size_label(n) for n in (50, 1000, 100_000, 1_000_000)] == ["50", "1k", "100k", "1M"]


def test_bad_size_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--sizes", "lots"])
    assert exit_info.value.code == 2
    assert "not a corpus size: 'lots'" in capsys.readouterr().err


def test_stage_peak_is_per_stage() -> None:
    timer = StageTimer()
    with timer.stage("big"):
        block = bytearray(200 * 2**20)
        block[:: 4096] = b"x" * len(block[:: 4096])  # touch every page so it is resident
        del block
    with timer.stage("small"):
        pass
    big, small = timer.results
    if timer.per_stage:
        assert big.peak_rss_mb - small.peak_rss_mb > 150
    else:  # no /proc/self/clear_refs: peaks are process-wide
        assert small.peak_rss_mb >= big.peak_rss_mb


def test_percentile_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 0.5) == 51.0
    assert percentile(samples, 0.95) == 95.0
    assert percentile([3.0], 0.95) == 3.0
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_reset_peak_lowers_the_mark() -> None:
    block = bytearray(100 * 2**20)
    block[:: 4096] = b"y" * len(block[:: 4096])
    high = peak_rss_mb()
    del block
    if reset_peak():
        assert peak_rss_mb() < high - 50


def test_build_with_worker_processes_records_them_and_writes_the_same_graph(tmp_path: Path) -> None:
    from benchmarks.suite import measure_build

    corpus = corpus_file(tmp_path, 60, 7)
    one = measure_build(corpus, tmp_path / "one", tokenizer_limit=60, jobs=1)
    two = measure_build(corpus, tmp_path / "two", tokenizer_limit=60, jobs=2)
    extract_one = next(s for s in one["stages"] if s["stage"] == "extract")
    extract_two = next(s for s in two["stages"] if s["stage"] == "extract")
    assert extract_one["extra"]["processes"] == 1 and "worker_peak_rss_mb" not in extract_one["extra"]
    assert extract_two["extra"]["processes"] == 2
    assert 30 < extract_two["extra"]["worker_peak_rss_mb"] < 16_000
    build_one = next(s for s in one["stages"] if s["stage"] == "build")
    build_two = next(s for s in two["stages"] if s["stage"] == "build")
    assert build_two["extra"]["edges"] == build_one["extra"]["edges"] > 0
    assert build_two["extra"]["nodes"] == build_one["extra"]["nodes"] > 60
    assert (tmp_path / "one" / "graph.json").read_bytes() == (tmp_path / "two" / "graph.json").read_bytes()
