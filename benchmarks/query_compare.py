"""Two or more texts of a paper query on one engine: latency side by side, and whether their rows agree.

Used to decide a rewrite of a named query (``queries/*.cypher``): each text
runs on the same papers, drawn as the suite draws them
(:func:`benchmarks.suite.papers_with_datasets`, fixed seed), in an order that
rotates per paper so that neither text always runs first on a warm cache.
Every text gets ``$paper`` (a paper id) and ``$limit``. A text that fails (an
engine error such as running out of heap) is reported with the paper it failed
on and takes no further part.

Usage (from the project root)::

    python -m benchmarks.query_compare GRAPH_DIR OLD.cypher NEW.cypher [--papers 60] [--limit 20]
        [--engine-heap 2g]

``git show HEAD:queries/papers-sharing-datasets.cypher > /tmp/old.cypher``
gives the committed text to compare a working copy with.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.measure import percentile

if TYPE_CHECKING:
    from kg.cypher.backend import CypherBackend

__all__ = ["TextResult", "compare_texts", "main"]


@dataclass
class TextResult:
    """What one query text did over the drawn papers."""

    path: str
    latencies_ms: list[float] = field(default_factory=list)
    differs_from_first: int = 0
    failed_on: str | None = None
    error: str | None = None


def compare_texts(backend: CypherBackend, texts: dict[str, str], papers: Sequence[str], limit: int = 20,
                  warmup: int = 3) -> list[TextResult]:
    """Run every text on every paper (rotating the order per paper); the first *warmup* papers are not timed.

    Returns one :class:`TextResult` per text, in the order of *texts*; rows are
    compared with those of the first text on the same paper.
    """
    from kg.cypher.backend import CypherError

    names = list(texts)
    results = {name: TextResult(name) for name in names}
    for index, paper in enumerate(papers):
        rows = {}
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            result = results[name]
            if result.failed_on is not None:
                continue
            started = time.perf_counter()
            try:
                rows[name] = backend.run(texts[name], {"paper": paper, "limit": limit}).rows
            except CypherError as error:
                result.failed_on, result.error = paper, str(error)
                continue
            if index >= warmup:
                result.latencies_ms.append((time.perf_counter() - started) * 1000)
        first = rows.get(names[0])
        for name in names[1:]:
            if first is not None and name in rows and rows[name] != first:
                results[name].differs_from_first += 1
    return [results[name] for name in names]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", type=Path, help="a graph directory written by kg build")
    parser.add_argument("texts", type=Path, nargs="+", help="query files taking $paper and $limit")
    parser.add_argument("--papers", type=int, default=60, help="timed papers (3 more warm up)")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engine-heap", help="embedded engine Java heap (default: the engine default, 2g)")
    args = parser.parse_args(argv)
    if args.engine_heap:
        os.environ["KG_ENGINE_HEAP"] = args.engine_heap
    from benchmarks.suite import draw, papers_with_datasets
    from kg.cypher.embedded import EmbeddedBackend

    texts = {str(path): path.read_text(encoding="utf-8") for path in args.texts}
    backend = EmbeddedBackend(args.graph)
    try:
        papers = draw(random.Random(args.seed), papers_with_datasets(backend), args.papers + 3)
        results = compare_texts(backend, texts, papers, args.limit)
    finally:
        backend.close()
    print(f"{args.graph}: {args.papers} papers timed (+3 warm-up), limit {args.limit}")
    print(f"{'text':<48} {'p50 ms':>8} {'p95 ms':>8} {'runs':>5}  rows vs first")
    for result in results:
        lat = result.latencies_ms
        p50 = f"{percentile(lat, 0.5):.1f}" if lat else "-"
        p95 = f"{percentile(lat, 0.95):.1f}" if lat else "-"
        agree = "(first)" if result is results[0] else f"{result.differs_from_first} differ"
        print(f"{result.path:<48} {p50:>8} {p95:>8} {len(lat):>5}  {agree}")
        if result.failed_on:
            print(f"    failed on {result.failed_on}: {result.error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
