"""Neo4j loader throughput: rows/s of ``Neo4jBackend.load_graph`` over Bolt for a 100k-abstract graph.

The graph is either one built by ``kg build`` (``--graph DIR``) or, by default,
a synthetic graph (:data:`benchmarks.synthetic.LOAD_SHAPE`, fixed seed): the
shape of the sample corpus scaled to 100k abstracts, every paper property
filled (abstracts of ~1,100 characters, authors), ~5 PROPOSES/USES edges per
paper over a Zipf-like concept popularity, a code repository for a quarter of
the papers and citations for a third.

Each run starts a fresh local Bolt server (ArcadeDB's, in a child process:
:mod:`benchmarks.bolt_server`, the one the tests use), then times

* **first load** — schema statements and every batch into the empty database,
  counts read back (what ``kg neo4j load`` does the first time);
* **reload** — the same load again into the filled database (the idempotent
  re-run: every row is updated in place, nothing is created).

rows/s = rows sent (one row per node or relationship) / wall-clock seconds of
``load_graph``. The table shows the median over ``--runs``.

Run::

    /work/.venv/bin/python -m benchmarks.neo4j_load                  # 100k papers, batch 5000, 3 runs
    /work/.venv/bin/python -m benchmarks.neo4j_load --papers 10000 --runs 1
    /work/.venv/bin/python -m benchmarks.neo4j_load --batch-size 1000 --batch-size 5000 --batch-size 20000
    /work/.venv/bin/python -m benchmarks.neo4j_load --graph kg-out   # a graph built by `kg build`

Target: ≥ 20,000 rows/s for the first load with the default batch size.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import networkx as nx

from benchmarks.bolt_server import BoltServer
from benchmarks.synthetic import LOAD_SHAPE, synthetic_graph
from kg.cypher.neo4j_backend import Neo4jBackend

TARGET_ROWS_PER_S = 20_000


def statement_label(statement: str) -> str:
    """A short name for a load statement: ``Concept:Dataset nodes``, ``USES Paper→Concept``."""
    node = re.search(r"\((?:n):([\w:]+) \{id", statement)
    if node and "MATCH (a" not in statement:
        return f"{node.group(1)} nodes"
    rel = re.search(r"MATCH \(a:(\w+).*MATCH \(b:(\w+).*\[r:(\w+)", statement)
    if rel:
        return f"{rel.group(3)} {rel.group(1)}→{rel.group(2)}"
    # the reload's update: MATCH (a:Paper {id: row.src})-[r:USES]->(b:Concept {id: row.dst}) SET …
    rel = re.search(r"MATCH \(a:(\w+) \{id: row\.src\}\)-\[r:(\w+)\]->\(b:(\w+)", statement)
    return f"{rel.group(2)} {rel.group(1)}→{rel.group(3)}" if rel else statement[:40]


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process *pid* so far, all its threads (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class PhaseClock:
    """Wall-clock seconds and rows per statement kind, from the loader's per-batch callback."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def __call__(self, rows: int, statement: str) -> None:
        now = time.perf_counter()
        label = statement_label(statement)
        self.rows[label] = self.rows.get(label, 0) + rows
        self.seconds[label] = self.seconds.get(label, 0.0) + now - self._last
        self._last = now


def measure(
    graph: nx.MultiDiGraph,
    batch_size: int,
    runs: int,
    heap: str,
    reload: bool,
    settings: dict[str, Any] | None = None,
    jvm_args: Sequence[str] = (),
) -> dict[str, Any]:
    """Time first loads (and reloads) of *graph* over Bolt, each run on a fresh local server.

    *settings* and *jvm_args* go to the server (:class:`benchmarks.bolt_server.BoltServer`).
    """
    first: list[float] = []
    again: list[float] = []
    cpu: dict[str, list[float]] = {
        f"{load}_{side}": [] for load in ("first", "reload") for side in ("server", "client")
    }
    phases: list[dict[str, tuple[int, float]]] = []
    reload_phases: list[dict[str, tuple[int, float]]] = []
    rows = 0
    agent = ""
    for run in range(runs):
        with (
            tempfile.TemporaryDirectory(prefix="kg-bolt-bench-") as tmp,
            BoltServer(
                Path(tmp), heap=heap, settings=dict(settings or {}), jvm_args=tuple(jvm_args)
            ) as server,
        ):
            backend = Neo4jBackend.from_settings(server.uri, server.user, server.password, server.database)
            with backend:
                agent = backend.server_agent
                clock = PhaseClock()
                server_cpu, client_cpu = process_cpu_seconds(server.pid), time.process_time()
                stats = backend.load_graph(graph, batch_size=batch_size, on_batch=clock)
                cpu["first_server"].append(process_cpu_seconds(server.pid) - server_cpu)
                cpu["first_client"].append(time.process_time() - client_cpu)
                rows = stats.rows_sent
                first.append(stats.seconds)
                check_counts(graph, stats.nodes, stats.relationships)
                phases.append({label: (clock.rows[label], clock.seconds[label]) for label in clock.rows})
                if reload:
                    clock = PhaseClock()
                    server_cpu, client_cpu = process_cpu_seconds(server.pid), time.process_time()
                    stats = backend.load_graph(graph, batch_size=batch_size, on_batch=clock)
                    cpu["reload_server"].append(process_cpu_seconds(server.pid) - server_cpu)
                    cpu["reload_client"].append(time.process_time() - client_cpu)
                    again.append(stats.seconds)
                    check_counts(graph, stats.nodes, stats.relationships)
                    reload_phases.append(
                        {label: (clock.rows[label], clock.seconds[label]) for label in clock.rows}
                    )
        reload_text = (
            f", reload {rows / again[-1]:>9,.0f} rows/s (server CPU {cpu['reload_server'][-1]:.1f} s)"
            if reload
            else ""
        )
        print(
            f"  batch {batch_size:>6,}  run {run + 1}/{runs}: first load {rows / first[-1]:>9,.0f} rows/s "
            f"(server CPU {cpu['first_server'][-1]:.1f} s)" + reload_text,
            file=sys.stderr,
        )
    return {
        "batch_size": batch_size,
        "rows": rows,
        "server": agent,
        "first_load_s": first,
        "reload_s": again,
        "cpu_s": cpu,
        "first_load_rows_per_s": rows / statistics.median(first),
        "reload_rows_per_s": rows / statistics.median(again) if again else None,
        "phases_first_run": phases[0],
        "reload_phases_first_run": reload_phases[0] if reload_phases else {},
    }


def check_counts(graph: nx.MultiDiGraph, nodes: dict[str, int], rels: dict[str, int]) -> None:
    """Refuse a measurement whose server counts differ from the graph's (a load that lost rows)."""
    from kg.cypher.load import graph_counts

    want_nodes, want_rels = graph_counts(graph)
    got_nodes = {k: v for k, v in nodes.items() if v}
    got_rels = {k: v for k, v in rels.items() if v}
    if (got_nodes, got_rels) != (want_nodes, want_rels):
        raise SystemExit(
            f"server counts {got_nodes} {got_rels} differ from the graph's {want_nodes} {want_rels}"
        )


def driver_codec() -> str:
    """``"Rust extension"`` when the driver packs with ``neo4j-rust-ext``, else ``"pure Python"``."""
    try:
        import neo4j._rust  # noqa: F401  (present only with the neo4j-rust-ext package)
    except ImportError:
        return "pure Python"
    return "Rust extension"


def parse_setting(text: str) -> tuple[str, Any]:
    """``KEY=VALUE``, the value read as JSON (``txWAL=false``) or else as a string (``profile=low-ram``)."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def format_table(
    graph: nx.MultiDiGraph,
    results: Sequence[dict[str, Any]],
    runs: int,
    settings: dict[str, Any] | None = None,
    jvm_args: Sequence[str] = (),
) -> str:
    from kg.cypher.load import graph_counts

    nodes, rels = graph_counts(graph)
    server_options = ", ".join([*(f"{k}={json.dumps(v)}" for k, v in (settings or {}).items()), *jvm_args])
    lines = [
        f"Neo4j loader over Bolt — server: {results[0]['server']}, neo4j driver {version('neo4j')} "
        f"({driver_codec()}); server options: {server_options or 'engine defaults'}",
        "graph: "
        + ", ".join(f"{n:,} {label}" for label, n in nodes.items())
        + "; "
        + ", ".join(f"{n:,} {rel}" for rel, n in rels.items())
        + f"  = {results[0]['rows']:,} rows",
        f"median of {runs} run{'s' if runs != 1 else ''} (each on a fresh server); "
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end",
        "",
        "CPU s: server process / this process (client), medians; the machine's other jobs do not count",
        "",
        "| batch size | first load (s) | first load rows/s | CPU s | reload (s) | reload rows/s | CPU s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def cpu_text(result: dict[str, Any], load: str) -> str:
        server, client = result["cpu_s"][f"{load}_server"], result["cpu_s"][f"{load}_client"]
        return f"{statistics.median(server):.1f} / {statistics.median(client):.1f}" if server else "–"

    for result in results:
        reload_s = f"{statistics.median(result['reload_s']):.1f}" if result["reload_s"] else "–"
        reload_rate = f"{result['reload_rows_per_s']:,.0f}" if result["reload_rows_per_s"] else "–"
        lines.append(
            f"| {result['batch_size']:,} | {statistics.median(result['first_load_s']):.1f} "
            f"| {result['first_load_rows_per_s']:,.0f} | {cpu_text(result, 'first')} "
            f"| {reload_s} | {reload_rate} | {cpu_text(result, 'reload')} |"
        )
    default = [result for result in results if result["batch_size"] == 5000] or results[:1]
    rate = default[0]["first_load_rows_per_s"]
    verdict = "met" if rate >= TARGET_ROWS_PER_S else "NOT met"
    lines += [
        "",
        f"target ≥ {TARGET_ROWS_PER_S:,} rows/s (first load, batch {default[0]['batch_size']:,}): {verdict}",
    ]
    lines += [
        "",
        f"first load by statement (batch {default[0]['batch_size']:,}, first run):",
        "",
        "| statement | rows | seconds | rows/s |",
        "|---|---:|---:|---:|",
    ]
    for label, (count, seconds) in default[0]["phases_first_run"].items():
        lines.append(f"| {label} | {count:,} | {seconds:.1f} | {count / seconds:,.0f} |")
    if default[0]["reload_phases_first_run"]:
        lines += [
            "",
            f"reload by statement (batch {default[0]['batch_size']:,}, first run):",
            "",
            "| statement | rows | seconds | rows/s |",
            "|---|---:|---:|---:|",
        ]
        for label, (count, seconds) in default[0]["reload_phases_first_run"].items():
            lines.append(f"| {label} | {count:,} | {seconds:.1f} | {count / seconds:,.0f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000, help="synthetic graph size (default 100000)")
    parser.add_argument("--graph", type=Path, help="load this graph directory (from `kg build`) instead")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, action="append", help="repeatable; default 5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-reload", action="store_true", help="time first loads only")
    parser.add_argument("--heap", default="4g", help="JVM heap of the local Bolt server")
    parser.add_argument(
        "--server-setting",
        type=parse_setting,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="ArcadeDB server setting, repeatable (txWAL=false sets arcadedb.txWAL)",
    )
    parser.add_argument("--jvm-arg", action="append", default=[], help="JVM flag of the server, repeatable")
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    if args.graph:
        from kg.graph.persistence import load_graph

        graph = load_graph(args.graph)
    else:
        graph = synthetic_graph(args.papers, LOAD_SHAPE, args.seed)
    print(
        f"graph ready in {time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores",
        file=sys.stderr,
    )
    settings = dict(args.server_setting)
    results = [
        measure(graph, size, args.runs, args.heap, not args.no_reload, settings, args.jvm_arg)
        for size in args.batch_size or [5000]
    ]
    print(format_table(graph, results, args.runs, settings, args.jvm_arg))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
