"""Build time and peak memory of ``kg build`` at 10k and 100k abstracts.

For each size, a corpus is generated with :mod:`benchmarks.corpus` (cached in
``--workdir``) and built in a fresh Python process with
:func:`kg.pipeline.build` — read, extract, graph, save and the overview view,
each timed — then loaded back with :func:`kg.graph.load_graph`. Peak memory
is the child process's maximum resident set size. An update run (adding 1 %
new papers to the saved graph) is timed as well. Numbers are printed, never
asserted. Targets: 100k abstracts end to end < 2 min and < 2 GB.

Usage (from the project root)::

    python -m benchmarks.build_scale [--sizes 10000 100000] [--workdir /tmp/kg-bench] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main", "measure"]

STAGES = ("read", "extract", "graph", "save", "view")


def _peak_rss_mb() -> float:
    """Peak resident memory of this process in MB.

    ``VmHWM`` belongs to the process's own address space; ``ru_maxrss`` would
    also count the parent's memory at the time this process was forked.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(corpus: Path, out_dir: Path, update_corpus: Path | None) -> dict[str, object]:
    """Build *corpus* into *out_dir* in this process; return timings, counts and peak RSS.

    Loading the saved graph and updating it are measured in their own
    processes, so each peak RSS belongs to one operation.
    """
    from kg.pipeline import build

    start = time.perf_counter()
    result = build([corpus], out_dir, keep_graph=False)  # as `kg build` runs it
    total = time.perf_counter() - start
    counts = {"nodes": result.report.nodes, "edges": result.report.edges}
    stages = {stage: result.report.seconds.get(stage, 0.0) for stage in STAGES}
    cpu = {stage: result.report.cpu_seconds.get(stage, 0.0) for stage in STAGES}
    cpu["total"] = sum(cpu.values())
    del result
    load = _python("--load-child", out_dir)
    row: dict[str, object] = {
        "seconds": {**stages, "total": total, "load": load["seconds"]},
        "cpu_seconds": cpu,
        "rss_mb": _peak_rss_mb(),
        "load_rss_mb": load["rss_mb"],
        "load_cpu": load["cpu"],
        "counts": counts,
        "graph_mb": (out_dir / "graph.json").stat().st_size / 1e6,
    }
    if update_corpus is not None:
        row["update"] = _python("--update-child", out_dir, update_corpus)
    return row


def _load_child(out_dir: Path) -> dict[str, object]:
    from kg.graph import load_graph

    start, cpu = time.perf_counter(), time.process_time()
    load_graph(out_dir)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "rss_mb": _peak_rss_mb()}


def _update_child(out_dir: Path, update_corpus: Path) -> dict[str, object]:
    from kg.pipeline import build

    start = time.perf_counter()
    updated = build([update_corpus], out_dir, update=True, overview=False)
    return {
        "seconds": time.perf_counter() - start,
        "papers_new": updated.report.papers_new,
        "stages": updated.report.seconds,
        "cpu_stages": updated.report.cpu_seconds,
        "rss_mb": _peak_rss_mb(),
    }


def _python(*args: object) -> dict[str, object]:
    command = [sys.executable, "-m", "benchmarks.build_scale", *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{done.stderr}")
    return json.loads(done.stdout)


def _run_child(corpus: Path, out_dir: Path, update_corpus: Path | None) -> dict[str, object]:
    """Run :func:`measure` in a fresh interpreter so that peak RSS belongs to one build."""
    command = [sys.executable, "-m", "benchmarks.build_scale", "--child", str(corpus), str(out_dir)]
    if update_corpus is not None:
        command.append(str(update_corpus))
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{done.stderr}")
    return json.loads(done.stdout)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kg-bench"))
    parser.add_argument("--runs", type=int, default=1, help="Builds per size; medians are printed.")
    parser.add_argument("--no-update", action="store_true", help="Skip the update measurement.")
    parser.add_argument("--child", nargs="+", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--load-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--update-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_child:
        json.dump(_load_child(args.load_child), sys.stdout)
        return 0
    if args.update_child:
        json.dump(_update_child(*args.update_child), sys.stdout)
        return 0
    if args.child:
        corpus, out_dir, *update = args.child
        json.dump(measure(corpus, out_dir, update[0] if update else None), sys.stdout)
        return 0

    from benchmarks.corpus import load_material, write_corpus

    args.workdir.mkdir(parents=True, exist_ok=True)
    material = None
    print("kg build: wall-clock seconds per stage (median of runs), then CPU seconds of the build process;")
    print("peak RSS = VmHWM of the process doing the work")
    print(f"{'papers':>8} {'read':>6} {'extract':>8} {'graph':>6} {'save':>6} {'view':>6} {'total':>7} "
          f"{'peak RSS':>9} {'graph.json':>10} {'nodes':>8} {'edges':>9}")
    for size in args.sizes:
        corpus = args.workdir / f"corpus-{size}.jsonl"
        extra = args.workdir / f"corpus-{size}-extra.jsonl"
        if not corpus.exists() or not extra.exists():
            material = material or load_material()
            write_corpus(corpus, size, material, seed=7)
            write_corpus(extra, max(1, size // 100), material, seed=size + 1, id_offset=90_000)
        rows = []
        for run in range(args.runs):
            out_dir = args.workdir / f"graph-{size}-{run}"
            rows.append(_run_child(corpus, out_dir, None if args.no_update else extra))
        sec = {k: statistics.median(r["seconds"][k] for r in rows) for k in (*STAGES, "total", "load")}
        rss = statistics.median(r["rss_mb"] for r in rows)
        counts = rows[0]["counts"]
        nodes = sum(counts["nodes"].values())
        edges = sum(counts["edges"].values())
        print(f"{size:>8} {sec['read']:>6.1f} {sec['extract']:>8.1f} {sec['graph']:>6.1f} "
              f"{sec['save']:>6.1f} {sec['view']:>6.1f} {sec['total']:>7.1f} {rss:>6.0f} MB "
              f"{rows[0]['graph_mb']:>7.0f} MB {nodes:>8} {edges:>9}", flush=True)
        cpu = {k: statistics.median(r["cpu_seconds"][k] for r in rows) for k in (*STAGES, "total")}
        print(f"{'cpu s':>8} {cpu['read']:>6.1f} {cpu['extract']:>8.1f} {cpu['graph']:>6.1f} "
              f"{cpu['save']:>6.1f} {cpu['view']:>6.1f} {cpu['total']:>7.1f}")
        print(f"{'':>8} nodes {counts['nodes']}  edges {counts['edges']}")
        load_rss = statistics.median(r["load_rss_mb"] for r in rows)
        load_cpu = statistics.median(r["load_cpu"] for r in rows)
        print(f"{'':>8} load_graph: {sec['load']:.1f} s (cpu {load_cpu:.1f} s), peak RSS {load_rss:.0f} MB",
              flush=True)
        if not args.no_update:
            upd = rows[0]["update"]
            stages = ", ".join(f"{k} {v:.1f}" for k, v in upd["stages"].items())
            cpu_total = sum(upd["cpu_stages"].values())
            print(f"{'':>8} update +{upd['papers_new']} papers: {upd['seconds']:.1f} s ({stages}; "
                  f"cpu {cpu_total:.1f} s), peak RSS {upd['rss_mb']:.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
