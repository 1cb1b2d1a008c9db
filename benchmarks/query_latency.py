"""Embedded engine: load time and query latency on a synthetic 100k-paper graph.

The graph is generated straight from :mod:`kg.schema` with a fixed seed
(:data:`benchmarks.synthetic.QUERY_SHAPE`): papers use concepts drawn from a
Zipf-like popularity curve (weight 1/rank^0.6:
a few hubs — at 100k papers the most used concept is in about 5% of the papers,
as GSM8K or CLIP are in the sample corpus — and a long tail), so the query work
looks like a real corpus's. The
engine database is built from the saved graph exactly as ``kg query`` would
build it (:class:`kg.cypher.embedded.EmbeddedBackend`), then each named query
runs many times with different papers; the table shows the median (p50) and
95th percentile (p95) of the wall-clock time of ``run_named`` (name resolution
included) and of the query alone.

Run::

    /work/.venv/bin/python -m benchmarks.query_latency                 # 100k papers
    /work/.venv/bin/python -m benchmarks.query_latency --papers 10000  # quicker

Target: papers-sharing-datasets p50 < 20 ms at 100k papers. On a machine shared
with other work, compare the CPU seconds printed for the build rather than the
wall-clock time.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import QUERY_SHAPE, synthetic_graph
from kg.cypher.embedded import EmbeddedBackend
from kg.cypher.named import run_named
from kg.graph.persistence import save_graph
from queries import get_query


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--concepts", type=int, default=50_000)
    parser.add_argument(
        "--per-paper", type=int, default=10, help="concept draws per paper (duplicates merged)"
    )
    parser.add_argument("--runs", type=int, default=50, help="timed runs per query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep the graph directory here instead of a temporary one")
    parser.add_argument("--engine-heap", help="embedded engine Java heap (default: the engine default, 2g)")
    args = parser.parse_args()
    if args.engine_heap:
        os.environ["KG_ENGINE_HEAP"] = args.engine_heap

    started = time.perf_counter()
    shape = QUERY_SHAPE.with_options(concepts=args.concepts, draws=args.per_paper)
    graph = synthetic_graph(args.papers, shape, args.seed)
    generated = time.perf_counter() - started
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    graph_dir = workdir / "graph"
    save_graph(graph, graph_dir)  # the same seed gives the same bytes: a kept engine database stays valid
    print(
        f"graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges "
        f"(generated in {generated:.1f} s, seed {args.seed})"
    )

    started, cpu_started = time.perf_counter(), time.process_time()
    backend = EmbeddedBackend(graph_dir)
    opened = time.perf_counter() - started
    opened_cpu = time.process_time() - cpu_started
    load = backend.last_load
    if load is None:
        print(f"engine database in {graph_dir} is up to date (built by an earlier run with --keep)")
    else:
        print(
            f"engine build from the saved graph: {opened:.1f} s in all ({opened_cpu:.1f} s CPU, JVM threads "
            f"included), {load.seconds:.1f} s loading {load.rows_sent:,} rows "
            f"({load.rows_sent / load.seconds:,.0f} rows/s)"
        )
    backend.close()
    started = time.perf_counter()
    backend = EmbeddedBackend(graph_dir)
    print(f"reopen, graph unchanged: {(time.perf_counter() - started) * 1000:.0f} ms")

    rng = random.Random(args.seed + 1)
    papers = [node for node, label in graph.nodes(data="label") if label == "Paper"]
    cases = {
        "papers-sharing-datasets": lambda: {"paper": rng.choice(papers)},
        "papers-sharing-methods": lambda: {"paper": rng.choice(papers)},
        "similar-papers": lambda: {"paper": rng.choice(papers)},
        "top-concepts": lambda: {"kind": rng.choice(["", "dataset", "method"])},
        "citations": lambda: {"paper": rng.choice(papers)},
    }
    print()
    print(f"{'query':<26} {'runs':>5} {'p50 ms':>8} {'p95 ms':>8} {'query-only p50':>15} {'rows p50':>9}")
    for name, make_params in cases.items():
        query = get_query(name)
        for _ in range(3):  # warm-up: plans and caches
            run_named(backend, name, make_params())
        totals, bare, counts = [], [], []
        for _ in range(args.runs):
            params = make_params()
            started = time.perf_counter()
            result = run_named(backend, name, params)
            totals.append((time.perf_counter() - started) * 1000)
            counts.append(len(result.rows))
            values = {p.name: params.get(p.name, p.default) for p in query.params}
            started = time.perf_counter()
            backend.run(query.text, values)
            bare.append((time.perf_counter() - started) * 1000)
        print(
            f"{name:<26} {args.runs:>5} {statistics.median(totals):>8.1f} {percentile(totals, 0.95):>8.1f} "
            f"{statistics.median(bare):>15.1f} {statistics.median(counts):>9.0f}"
        )
    backend.close()
    if args.keep is None:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
