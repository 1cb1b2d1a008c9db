"""The benchmark suite: every stage of paper-kg at 1k / 10k / 100k (/ 1M) abstracts, in one table.

For each size a corpus is generated once with :mod:`benchmarks.corpus` (real
seed sentences recombined, fixed seed) into a cache directory, then each run
measures, in fresh interpreters so that memory belongs to one run:

``kg build`` process
    ``read`` (:func:`kg.sources.read_papers`), ``tokenizer`` (the bare
    ``spacy.blank("en")`` tokenizer over the very texts the extractor gets,
    via ``nlp.pipe`` — the physical bound for extraction), ``setup``
    (:func:`extractors.make_pipeline`), then the build exactly as ``kg
    build`` runs it (:func:`kg.pipeline.build_read`, no networkx graph kept):
    ``extract`` (the first extraction pass, worker processes included),
    ``build`` (the second pass and the compact graph rows), ``save``
    (``graph.json`` and the manifest) and ``view`` (the overview page).
``kg query`` process
    ``load``: opening :class:`kg.cypher.embedded.EmbeddedBackend` on the
    fresh graph, which starts the JVM, reads ``graph.json`` and bulk-loads the
    embedded engine; then ``papers-sharing-datasets`` and ``top-concepts``
    run many times through :func:`kg.cypher.named.run_named` (name
    resolution included) for their p50/p95 latency.

Each stage's peak RSS is its own (see :mod:`benchmarks.measure`); the
embedded engine's Java VM counts in the ``load`` and query rows. The
``end to end`` row is the sum of the stages a user waits for (``kg build``
then the first ``kg query``: everything but the tokenizer baseline and the
query repetitions) and the larger of the two processes' peaks. With
``--repeat N`` every figure is the median of N runs.

Usage (from the project root)::

    python -m benchmarks [--sizes 1k,10k,100k] [--with-1m] [--repeat N] [--json out.json]
    python -m benchmarks --graph DIR [--repeat N] [--engine-heap 1g]   # the query process only

``--graph`` measures only the ``kg query`` process on a graph directory that
``kg build`` (or an earlier run, in ``<cache>/graph-<size>``) already wrote:
its ``engine/`` folder is removed before every run, so each run rebuilds the
engine from the saved graph. That is how the engine load is compared between
versions or settings without building the graph again.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from benchmarks.measure import StageTimer, median, percentile

__all__ = [
    "BUILD_STAGES",
    "ENGINE_STAGES",
    "QUERIES",
    "draw",
    "format_engine_table",
    "format_table",
    "main",
    "papers_with_datasets",
    "parse_size",
    "run_engine_only",
    "run_suite",
]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "paper-kg-bench"
DEFAULT_SIZES = "1k,10k,100k"
#: Stages of the build process, in order.
BUILD_STAGES = ("read", "tokenizer", "setup", "extract", "build", "save", "view")
#: Stages of the query process, in order (the query rows come after them).
ENGINE_STAGES = ("load",)
#: Named queries timed, with how their parameters are drawn.
QUERIES = ("papers-sharing-datasets", "top-concepts")
#: Stages counted in the end-to-end time (the tokenizer is a baseline, not a stage of the product).
END_TO_END = ("read", "setup", "extract", "build", "save", "view", "load")
#: The tokenizer baseline runs over at most this many of the corpus's texts (all of them up to 100k).
TOKENIZER_LIMIT = 100_000


class SuiteError(RuntimeError):
    """A benchmark run that failed; the message carries the child process's error output."""


# ------------------------------------------------------------------------------------------ sizes


def parse_size(text: str) -> int:
    """``"1k"`` → 1000, ``"1m"`` → 1000000, ``"250"`` → 250.

    Raises
    ------
    ValueError
        Not a positive count.
    """
    value = text.strip().lower().replace("_", "")
    factor = 1
    if value[-1:] in ("k", "m"):
        factor = 1000 if value[-1] == "k" else 1_000_000
        value = value[:-1]
    try:
        count = int(float(value) * factor)
    except ValueError:
        raise ValueError(f"not a corpus size: {text!r} (expected e.g. 1000, 10k or 1m)") from None
    if count < 1:
        raise ValueError(f"corpus size must be positive, got {text!r}")
    return count


def size_label(count: int) -> str:
    """1000 → ``"1k"``, 1000000 → ``"1M"``, 50 → ``"50"``."""
    if count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    if count % 1000 == 0:
        return f"{count // 1000}k"
    return str(count)


# ----------------------------------------------------------------------------------------- corpus


def _corpus_version(seed: int) -> str:
    """A short hash of the generator's source, the seed papers and *seed*: a changed one makes a new file."""
    from benchmarks import corpus

    digest = hashlib.sha256(Path(corpus.__file__).read_bytes())
    digest.update(str(seed).encode())
    for path in sorted(p for p in corpus.DEFAULT_SEEDS.rglob("*") if p.is_file()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def corpus_file(cache: Path, size: int, seed: int) -> Path:
    """The cached corpus of *size* papers, generated on first use (deterministic for a given *seed*)."""
    from benchmarks.corpus import load_material, write_corpus

    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"corpus-{size}-seed{seed}-{_corpus_version(seed)}.jsonl"
    if not path.exists():
        _log(f"generating {size:,} papers into {path}")
        write_corpus(path, size, load_material(), seed=seed)
    return path


# ------------------------------------------------------------------------------- child processes


def measure_build(corpus: Path, graph_dir: Path, tokenizer_limit: int = TOKENIZER_LIMIT,
                  jobs: int | None = None) -> dict[str, Any]:
    """Run ``kg build`` over *corpus* into *graph_dir* in this process, stage by stage; return the stages.

    The build is :func:`kg.pipeline.build_read` exactly as ``kg build`` runs it
    (compact rows, no networkx graph kept); its progress calls mark where one
    stage ends and the next begins. ``extract`` is the first extraction pass;
    ``build`` the second pass and the graph rows (the pipeline's ``graph``
    stage). *jobs*: extraction processes, as ``kg build --jobs`` (``None``: the
    same automatic choice). The extract stage records the processes used and
    the largest worker's peak RSS.
    """
    import spacy

    import extractors
    from extractors import paper_text
    from extractors.workers import auto_processes
    from kg.pipeline import build_read

    timer = StageTimer()
    with timer.stage("read") as stage:
        from kg.sources import read_papers

        report = read_papers([corpus])
        stage.docs = len(report.papers)
    if not report.papers:
        raise SuiteError(f"{corpus}: no papers read")
    count = len(report.papers)

    texts = [paper_text(p.title, p.abstract) for p in islice(report.papers, tokenizer_limit)]
    blank = spacy.blank("en")
    for _ in blank.pipe(texts[:50]):  # warm-up, as the extractor's first batch is not timed apart either
        pass
    with timer.stage("tokenizer", docs=len(texts)) as stage:
        stage.extra["tokens"] = sum(len(doc) for doc in blank.pipe(texts))
    del texts, blank

    with timer.stage("setup"):
        nlp = extractors.make_pipeline()
    processes = auto_processes(count) if jobs is None else jobs
    stages = _ProgressStages(timer, count, {"graph": "build"})
    stages.enter("extract")
    try:
        result = build_read(report, graph_dir, inputs=[str(corpus)], nlp=nlp, jobs=processes,
                            keep_graph=False, progress=stages)
    finally:
        stages.close()
    by_name = {r.stage: r for r in timer.results}
    by_name["extract"].extra["processes"] = processes
    if processes > 1:  # workers are children: their memory is not in this process's RSS
        by_name["extract"].extra["worker_peak_rss_mb"] = round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    by_name["build"].extra["nodes"] = sum(result.report.nodes.values())
    by_name["build"].extra["edges"] = sum(result.report.edges.values())
    by_name["save"].extra["graph_mb"] = round(result.paths["graph"].stat().st_size / 2**20, 1)
    return {"stages": [r.to_dict() for r in timer.results], "per_stage_rss": timer.per_stage}


class _ProgressStages:
    """A build progress callback that times each pipeline stage as a stage of *timer*.

    A stage starts with the first progress call that names it (``renames``
    maps pipeline stage names to the suite's) and ends when the next starts
    or :meth:`close` is called.
    """

    def __init__(self, timer: StageTimer, docs: int, renames: dict[str, str]) -> None:
        self._timer = timer
        self._docs = docs
        self._renames = renames
        self._name: str | None = None
        self._open: contextlib.AbstractContextManager[Any] | None = None

    def enter(self, name: str) -> None:
        """End the running stage and start *name*."""
        self.close()
        self._open = self._timer.stage(name, docs=self._docs)
        self._open.__enter__()
        self._name = name

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        name = self._renames.get(stage, stage)
        if name != self._name:
            self.enter(name)

    def close(self) -> None:
        """End the running stage, if any."""
        if self._open is not None:
            self._open.__exit__(None, None, None)
            self._open = None
            self._name = None


def draw(rng: random.Random, population: Sequence[str], count: int) -> list[str]:
    """*count* values drawn from *population* with replacement: the parameters the queries are timed on."""
    return [rng.choice(population) for _ in range(count)]


#: Paper–dataset rows read to pick the papers the sharing query is timed on, and papers kept of them.
SAMPLE_ROWS, SAMPLE_PAPERS = 50_000, 5_000


def papers_with_datasets(backend: Any) -> list[str]:
    """Up to :data:`SAMPLE_PAPERS` ids of papers that use or propose a dataset, sorted.

    The first :data:`SAMPLE_ROWS` paper–dataset rows the engine streams, de-duplicated and sorted
    here: a ``DISTINCT … ORDER BY`` in the query would hold every such pair of the graph at once
    (at 1M papers that ran the engine's default 2 GB heap out of memory). The rows come in the
    engine's storage order, the same for every build of the same corpus.
    """
    rows = backend.run(
        "MATCH (p:Paper)-[:PROPOSES|USES]->(c:Concept) WHERE c.kind = 'Dataset' "
        "RETURN p.id AS id LIMIT $rows",
        {"rows": SAMPLE_ROWS},
    ).rows
    return sorted({row[0] for row in rows})[:SAMPLE_PAPERS]


def measure_engine(graph_dir: Path, runs: int = 50, seed: int = 7) -> dict[str, Any]:
    """Open the embedded engine on *graph_dir* (a fresh bulk load) and time the named queries."""
    from kg.cypher.embedded import EmbeddedBackend
    from kg.cypher.named import run_named

    timer = StageTimer()
    with timer.stage("load") as stage:
        backend = EmbeddedBackend(graph_dir)
        load = backend.last_load
        if load is None:
            raise SuiteError(f"the engine database of {graph_dir} was not rebuilt; remove {graph_dir}/engine")
        stage.docs = load.nodes.get("Paper", 0)
        stage.extra["insert_seconds"] = round(load.seconds, 2)
        stage.extra["rows"] = load.rows_sent
    try:
        rng = random.Random(seed)
        with_datasets = papers_with_datasets(backend)
        if not with_datasets:
            raise SuiteError(f"no paper of {graph_dir} uses a dataset; nothing to time")
        draws = {
            "papers-sharing-datasets": [{"paper": p} for p in draw(rng, with_datasets, runs + 3)],
            "top-concepts": [{"kind": k} for k in draw(rng, ["", "Dataset", "Method", "Model"], runs + 3)],
        }
        for name in QUERIES:
            params = draws[name]
            with timer.stage(f"query {name}") as stage:
                for warm in params[:3]:  # plans and caches, as any long-lived user session has them
                    run_named(backend, name, warm)
                latencies, rows = [], []
                for values in params[3:]:
                    started = time.perf_counter()
                    result = run_named(backend, name, values)
                    latencies.append((time.perf_counter() - started) * 1000)
                    rows.append(len(result.rows))
                stage.docs = len(latencies)
                stage.extra.update(p50_ms=percentile(latencies, 0.5), p95_ms=percentile(latencies, 0.95),
                                   rows_p50=percentile(rows, 0.5))
    finally:
        backend.close()
    return {"stages": [r.to_dict() for r in timer.results], "per_stage_rss": timer.per_stage}


def _run_child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run ``python -m benchmarks.suite --child …`` in a fresh interpreter and return its JSON result."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.suite", "--child", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SuiteError(f"benchmark child {' '.join(args[:1])} failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------------------- runs


def run_size(size: int, cache: Path, *, repeat: int, seed: int, query_runs: int, heap: str | None,
             tokenizer_limit: int, jobs: int | None = None) -> dict[str, Any]:
    """Every run of one corpus size: raw stage results per run and their medians."""
    corpus = corpus_file(cache, size, seed)
    env = _child_env(heap)
    runs = []
    for index in range(repeat):
        graph_dir = cache / f"graph-{size}"
        shutil.rmtree(graph_dir, ignore_errors=True)  # a fresh build and a fresh engine load every run
        _log(f"{size_label(size)}: run {index + 1}/{repeat}: build")
        built = _run_child(["build", str(corpus), str(graph_dir), str(tokenizer_limit), str(jobs or 0)], env)
        _log(f"{size_label(size)}: run {index + 1}/{repeat}: engine load and queries")
        engine = _run_child(["engine", str(graph_dir), str(query_runs), str(seed)], env)
        runs.append({"build": built, "engine": engine})
    return {"papers": size, "corpus": str(corpus), "runs": runs, "summary": summarise(runs)}


def _child_env(heap: str | None) -> dict[str, str]:
    """This environment with the project on ``PYTHONPATH`` and the engine heap, for a child interpreter."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    if heap:
        env["KG_ENGINE_HEAP"] = heap
    return env


def run_engine_only(graph_dir: Path, *, repeat: int = 1, seed: int = 7, query_runs: int = 50,
                    heap: str | None = None) -> dict[str, Any]:
    """Run the query process *repeat* times on an existing graph directory, rebuilding its engine each time.

    Returns the machine, the raw runs and, per stage, the medians of seconds,
    CPU seconds and peak RSS (plus p50/p95 for the queries).

    Raises
    ------
    SuiteError
        *graph_dir* holds no saved graph, or a run failed.
    """
    if repeat < 1:
        raise ValueError(f"--repeat must be at least 1, got {repeat}")
    if not (graph_dir / "manifest.json").is_file():
        raise SuiteError(f"no saved graph in {graph_dir} (build one with `kg build` or a benchmark run)")
    env = _child_env(heap)
    runs = []
    for index in range(repeat):
        shutil.rmtree(graph_dir / "engine", ignore_errors=True)  # every run rebuilds the engine
        _log(f"{graph_dir}: run {index + 1}/{repeat}: engine load and queries")
        runs.append(_run_child(["engine", str(graph_dir), str(query_runs), str(seed)], env))
    stages: dict[str, Any] = {}
    for name in [stage["stage"] for stage in runs[0]["stages"]]:
        rows = [next(s for s in run["stages"] if s["stage"] == name) for run in runs]
        entry = {
            "seconds": median([r["seconds"] for r in rows]),
            "cpu_seconds": median([r.get("cpu_seconds", 0.0) for r in rows]),
            "peak_rss_mb": median([r["peak_rss_mb"] for r in rows]),
            "docs": rows[0]["docs"],
        }
        for key in ("p50_ms", "p95_ms", "rows"):
            if key in rows[0]["extra"]:
                entry[key] = median([r["extra"][key] for r in rows])
        stages[name] = entry
    return {"machine": machine(), "graph": str(graph_dir), "repeat": repeat, "query_runs": query_runs,
            "heap": heap or os.environ.get("KG_ENGINE_HEAP") or "default", "runs": runs,
            "summary": {"stages": stages}}


def summarise(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Medians over *runs* of every stage's seconds, docs/s and peak RSS, plus the derived rows."""
    per_run = []
    for run in runs:
        stages = {s["stage"]: s for s in (*run["build"]["stages"], *run["engine"]["stages"])}
        build_peak = max(s["peak_rss_mb"] for s in run["build"]["stages"])
        engine_peak = max(s["peak_rss_mb"] for s in run["engine"]["stages"])
        tok, ext = stages["tokenizer"], stages["extract"]
        per_run.append({
            "stages": stages,
            "end_to_end_s": sum(stages[name]["seconds"] for name in END_TO_END),
            "end_to_end_cpu_s": sum(stages[name].get("cpu_seconds", 0.0) for name in END_TO_END),
            "end_to_end_rss_mb": max(build_peak, engine_peak),
            "ratio": (ext["docs"] / ext["seconds"]) / (tok["docs"] / tok["seconds"]),
        })
    names = list(per_run[0]["stages"])
    summary: dict[str, Any] = {"stages": {}}
    for name in names:
        rows = [run["stages"][name] for run in per_run]
        entry = {
            "seconds": median([r["seconds"] for r in rows]),
            "cpu_seconds": median([r.get("cpu_seconds", 0.0) for r in rows]),
            "docs_per_s": median([r["docs"] / r["seconds"] if r["seconds"] else 0.0 for r in rows]),
            "peak_rss_mb": median([r["peak_rss_mb"] for r in rows]),
            "docs": rows[0]["docs"],
        }
        for key in ("p50_ms", "p95_ms"):
            if key in rows[0]["extra"]:
                entry[key] = median([r["extra"][key] for r in rows])
        summary["stages"][name] = entry
    summary["end_to_end_s"] = median([r["end_to_end_s"] for r in per_run])
    summary["end_to_end_cpu_s"] = median([r["end_to_end_cpu_s"] for r in per_run])
    summary["end_to_end_rss_mb"] = median([r["end_to_end_rss_mb"] for r in per_run])
    summary["extract_tokenizer_ratio"] = median([r["ratio"] for r in per_run])
    summary["extract_processes"] = per_run[0]["stages"]["extract"]["extra"].get("processes", 1)
    summary["counts"] = {key: runs[0]["build"]["stages"][BUILD_STAGES.index("build")]["extra"][key]
                         for key in ("nodes", "edges")}
    summary["graph_mb"] = runs[0]["build"]["stages"][BUILD_STAGES.index("save")]["extra"]["graph_mb"]
    return summary


def run_suite(sizes: Sequence[int], cache: Path = DEFAULT_CACHE, *, repeat: int = 1, seed: int = 7,
              query_runs: int = 50, heap: str | None = None,
              tokenizer_limit: int = TOKENIZER_LIMIT, jobs: int | None = None) -> dict[str, Any]:
    """Run every size; return the machine description and, per size, the raw runs and medians.

    *jobs*: extraction processes per build (``None``: as ``kg build`` chooses).
    """
    if repeat < 1:
        raise ValueError(f"--repeat must be at least 1, got {repeat}")
    results = {
        "machine": machine(),
        "repeat": repeat,
        "seed": seed,
        "query_runs": query_runs,
        "jobs": jobs,
        "sizes": [],
    }
    for size in sizes:
        results["sizes"].append(run_size(size, cache, repeat=repeat, seed=seed, query_runs=query_runs,
                                         heap=heap, tokenizer_limit=tokenizer_limit, jobs=jobs))
    return results


def machine() -> dict[str, Any]:
    """CPU count, memory, Python and platform of this machine, for the record."""
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "memory_gib": memory, "python": platform.python_version(),
            "platform": platform.platform(),
            "load_avg": os.getloadavg() if hasattr(os, "getloadavg") else None}


# ---------------------------------------------------------------------------------------- output


def format_table(results: dict[str, Any]) -> str:
    """A Markdown table of the medians: one row per size and stage, then end to end and the ratio."""
    lines = [
        "| papers | stage | seconds | CPU s | docs/s | peak RSS MiB | notes |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for entry in results["sizes"]:
        label = size_label(entry["papers"])
        summary = entry["summary"]
        for name, stage in summary["stages"].items():
            notes = ""
            if "p50_ms" in stage:
                notes = f"p50 {stage['p50_ms']:.1f} ms, p95 {stage['p95_ms']:.1f} ms ({stage['docs']} runs)"
                docs = ""
            else:
                docs = f"{stage['docs_per_s']:,.0f}" if stage["docs"] else ""
            if name == "tokenizer":
                notes = f"baseline over {stage['docs']:,} texts"
            elif name == "build":
                counts = summary["counts"]
                notes = f"{counts['nodes']:,} nodes, {counts['edges']:,} edges"
            elif name == "save":
                notes = f"graph.json {summary['graph_mb']:,.1f} MiB"
            lines.append(f"| {label} | {name} | {stage['seconds']:.2f} | {stage['cpu_seconds']:.2f} | {docs} "
                         f"| {stage['peak_rss_mb']:,.0f} | {notes} |")
        e2e = summary["end_to_end_s"]
        lines.append(f"| {label} | **end to end** | **{e2e:.1f}** | {summary['end_to_end_cpu_s']:.1f} "
                     f"| {entry['papers'] / e2e:,.0f} "
                     f"| **{summary['end_to_end_rss_mb']:,.0f}** | {' + '.join(END_TO_END)} |")
        ratio = summary["extract_tokenizer_ratio"]
        processes = summary.get("extract_processes", 1)
        per = "one process" if processes == 1 else f"{processes} extraction processes vs one tokenizer"
        lines.append(f"| {label} | **extract ÷ tokenizer** | | | **{ratio:.2f}** | "
                     f"| docs/s ratio, same texts, same run ({per}) |")
    lines.append("")
    lines.append(f"{_machine_line(results['machine'])}; "
                 f"medians of {results['repeat']} run(s); {results['query_runs']} timed runs per query.")
    return "\n".join(lines)


def format_engine_table(results: dict[str, Any]) -> str:
    """A Markdown table of :func:`run_engine_only`'s medians: the engine load, then the queries."""
    lines = [
        "| stage | seconds | CPU s | peak RSS MiB | notes |",
        "|---|---:|---:|---:|---|",
    ]
    for name, stage in results["summary"]["stages"].items():
        if "p50_ms" in stage:
            notes = f"p50 {stage['p50_ms']:.1f} ms, p95 {stage['p95_ms']:.1f} ms ({stage['docs']} runs)"
        else:
            notes = f"{stage['docs']:,} papers, {stage.get('rows', 0):,} rows"
        lines.append(f"| {name} | {stage['seconds']:.2f} | {stage['cpu_seconds']:.2f} "
                     f"| {stage['peak_rss_mb']:,.0f} | {notes} |")
    lines.append("")
    lines.append(f"{results['graph']}; engine heap {results['heap']}; {_machine_line(results['machine'])}; "
                 f"medians of {results['repeat']} run(s).")
    return "\n".join(lines)


def _machine_line(machine_info: dict[str, Any]) -> str:
    """"2 CPUs, 23.5 GiB, Python 3.11.7": the machine under a results table."""
    return f"{machine_info['cpus']} CPUs, {machine_info['memory_gib']} GiB, Python {machine_info['python']}"


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------- CLI


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"Comma-separated corpus sizes, e.g. 1k,10k,100k (default {DEFAULT_SIZES}).")
    parser.add_argument("--with-1m", action="store_true", help="Also run one million abstracts (long).")
    parser.add_argument("--repeat", type=int, default=1, help="Runs per size; the table shows medians.")
    parser.add_argument("--json", type=Path, help="Also write every raw measurement to this JSON file.")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help=f"Where corpora and graphs go (default {DEFAULT_CACHE}).")
    parser.add_argument("--seed", type=int, default=7, help="Corpus generator seed (default 7).")
    parser.add_argument("--query-runs", type=int, default=50, help="Timed runs per query (default 50).")
    parser.add_argument("--engine-heap", help="Java heap of the embedded engine (sets KG_ENGINE_HEAP).")
    parser.add_argument("--tokenizer-limit", type=int, default=TOKENIZER_LIMIT,
                        help=f"Texts for the tokenizer baseline (default {TOKENIZER_LIMIT:,}).")
    parser.add_argument("--jobs", type=int, default=None,
                        help="Extraction processes, as kg build --jobs (default: kg build's automatic "
                             "choice; 1 for the one-core extract ÷ tokenizer ratio).")
    parser.add_argument("--graph", type=Path,
                        help="Measure only the query process (engine rebuild + queries) on this existing "
                             "graph directory; its engine/ folder is removed before every run.")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "build":
            jobs = int(rest[3]) if len(rest) > 3 and int(rest[3]) > 0 else None
            result = measure_build(Path(rest[0]), Path(rest[1]), int(rest[2]), jobs)
        elif kind == "engine":
            result = measure_engine(Path(rest[0]), int(rest[1]), int(rest[2]))
        else:
            parser.error(f"unknown child {kind!r}")
        print(json.dumps(result))
        return 0
    if args.graph is not None:
        try:
            results = run_engine_only(args.graph, repeat=args.repeat, seed=args.seed,
                                      query_runs=args.query_runs, heap=args.engine_heap)
        except (SuiteError, ValueError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        _write_json(args.json, results)
        print(format_engine_table(results))
        return 0
    try:
        sizes = [parse_size(part) for part in args.sizes.split(",") if part.strip()]
    except ValueError as error:
        parser.error(str(error))
    if args.with_1m and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    try:
        results = run_suite(sizes, args.cache, repeat=args.repeat, seed=args.seed, query_runs=args.query_runs,
                            heap=args.engine_heap, tokenizer_limit=args.tokenizer_limit, jobs=args.jobs)
    except (SuiteError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    _write_json(args.json, results)
    print(format_table(results))
    return 0


def _write_json(path: Path | None, results: dict[str, Any]) -> None:
    """Write *results* to *path* (if given) through a temporary file and a rename."""
    if path:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)


if __name__ == "__main__":
    raise SystemExit(main())
