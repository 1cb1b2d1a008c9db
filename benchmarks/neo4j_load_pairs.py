"""First-load batches old and new, alternating on one Bolt server: server CPU and wall time per row.

On a machine shared with other jobs, whole loads on fresh servers vary by a
factor of two between identical runs, too much to see a 20–40 % change. Here
one server loads one graph, and consecutive batches alternate between

* **old** — the statements of :func:`kg.cypher.load.load_batches` with
  ``into_empty=True``: map rows, relationship ends found by the ``id`` index;
* **new** — :func:`kg.cypher.load.create_plan` as the loader sends it to
  ArcadeDB: list rows, relationship ends found by element id,

so both see the same server, heap and neighbours. Per relationship type (and
for all nodes together) it prints the server process's CPU milliseconds and
the wall milliseconds per row of each form. The element ids of the nodes
written by old batches are read back (untimed) before the first relationship.

Run::

    /work/.venv/bin/python -m benchmarks.neo4j_load_pairs              # 100k papers
    /work/.venv/bin/python -m benchmarks.neo4j_load_pairs --papers 20000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import neo4j

from benchmarks.bolt_server import BoltServer
from benchmarks.neo4j_load import process_cpu_seconds
from benchmarks.synthetic import LOAD_SHAPE, synthetic_graph
from kg.cypher.load import create_plan, load_batches, schema_statements
from kg.cypher.neo4j_backend import PROJECT_LABELS, Neo4jBackend


def _write(tx: neo4j.ManagedTransaction, statement: str, rows: list[Any]) -> None:
    tx.run(statement, {"rows": rows}).consume()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000, help="synthetic graph size (default 100000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--heap", default="4g", help="JVM heap of the local Bolt server")
    args = parser.parse_args(argv)

    graph = synthetic_graph(args.papers, LOAD_SHAPE, args.seed)
    totals: dict[tuple[str, str], list[float]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="kg-bolt-pairs-") as tmp,
        BoltServer(Path(tmp), heap=args.heap) as server,
        Neo4jBackend.from_settings(server.uri, server.user, server.password, server.database) as backend,
        backend._driver.session(database=server.database) as session,
    ):
        assert server.pid is not None
        for statement in schema_statements():
            session.run(statement).consume()
        elements: dict[str, str] = {}
        pairs = zip(
            create_plan(graph, args.batch_size),
            load_batches(graph, args.batch_size, into_empty=True),
            strict=True,
        )
        for number, (new, (old_statement, old_rows)) in enumerate(pairs):
            node = new.target[0] == "node"
            if not node and not elements:
                for label in PROJECT_LABELS:
                    query = f"MATCH (n:{label}) RETURN n.id AS id, elementId(n) AS element"
                    elements.update((r["id"], r["element"]) for r in session.run(query))
            form = "new" if number % 2 else "old"
            cpu, wall = process_cpu_seconds(server.pid), time.perf_counter()
            if form == "old":
                session.execute_write(_write, old_statement, old_rows)
            else:
                if not node:
                    for row in new.rows:
                        row[0], row[1] = elements[row[0]], elements[row[1]]
                session.execute_write(_write, new.create_by_element, new.rows)
            cpu, wall = process_cpu_seconds(server.pid) - cpu, time.perf_counter() - wall
            total = totals.setdefault(("nodes" if node else new.target[1], form), [0, 0.0, 0.0])
            total[0] += len(new.rows)
            total[1] += cpu
            total[2] += wall
        counts = backend.counts()
    print(f"{args.papers:,} papers, batch {args.batch_size:,}; server counts {counts}", file=sys.stderr)
    print("| rows of | form | rows | server CPU ms/row | wall ms/row |")
    print("|---|---|---:|---:|---:|")
    for (what, form), (rows, cpu, wall) in sorted(totals.items()):
        print(f"| {what} | {form} | {rows:,.0f} | {1e3 * cpu / rows:.3f} | {1e3 * wall / rows:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
