"""Benchmark of the HTML views: page size, Python render time, and time to a settled picture in Chromium.

For each size (200, 1,000 and 5,000 nodes by default) an overview of a synthetic corpus-like graph
is rendered with ``kg.views`` and opened in Debian's headless Chromium (same flags as the browser
tests, network emulated offline). "Settled" is the page's own flag: set after vis-network's
bounded stabilisation finished and the next frame was drawn (physics views, up to 1,000 nodes) or
after the first frame (precomputed layout, physics off); the time is ``performance.now()`` at that
moment, i.e. measured from the start of navigation, so it includes parsing the inlined
vis-network bundle and the data.

Run from the repository root::

    python -m benchmarks.views            # 200, 1000, 5000 nodes; 5 runs each
    python -m benchmarks.views --sizes 1000 --runs 9
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.browser import Chromium, find_chromium
from benchmarks.view_graphs import synthetic_graph
from kg.views import overview_spec, write_view

SETTLED = "window.kgView && window.kgView.settled && window.kgView"


def measure(size: int, runs: int, browser: Chromium, workdir: Path) -> dict[str, float | int | bool]:
    """Render a *size*-node overview *runs* times and load it as often; return medians."""
    graph = synthetic_graph(size, size // 2)
    spec = overview_spec(graph, size)
    render_s: list[float] = []
    settle_ms: list[float] = []
    wall_s: list[float] = []
    result = None
    for run in range(runs):
        path = workdir / f"overview-{size}-{run}.html"
        start = time.perf_counter()
        result = write_view(graph, spec, path)
        render_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        browser.open(path)
        state = browser.wait_for(SETTLED, timeout=300)
        wall_s.append(time.perf_counter() - start)
        settle_ms.append(float(state["settleMs"]))
        if state["cspViolations"] or browser.console_errors():
            raise SystemExit(f"{path}: page errors {state['cspViolations']} {browser.console_errors()}")
    assert result is not None
    return {
        "nodes": result.nodes,
        "edges": result.edges,
        "physics": result.physics,
        "html_mib": result.size_bytes / 2**20,
        "render_s": statistics.median(render_s),
        "settle_s": statistics.median(settle_ms) / 1000,
        "wall_s": statistics.median(wall_s),
    }


def main(argv: list[str] | None = None) -> int:
    """Print one table row per view size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 5000], help="node budgets")
    parser.add_argument("--runs", type=int, default=5, help="runs per size (median reported)")
    args = parser.parse_args(argv)
    executable = find_chromium()
    if executable is None:
        print("chromium not found (apt-get install chromium, or set CHROMIUM)", file=sys.stderr)
        return 2
    header = (f"{'budget':>6} {'nodes':>6} {'edges':>6} {'physics':>7} {'HTML MiB':>8} "
              f"{'render s':>8} {'settled s':>9} {'wall s':>7}")
    print(f"overview views, median of {args.runs} runs; settled = page flag, from navigation start")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="kg-views-bench-") as tmp, Chromium(executable) as browser:
        for size in args.sizes:
            row = measure(size, args.runs, browser, Path(tmp))
            physics = "on" if row["physics"] else "off"
            print(
                f"{size:>6} {row['nodes']:>6} {row['edges']:>6} {physics:>7} {row['html_mib']:>8.2f} "
                f"{row['render_s']:>8.2f} {row['settle_s']:>9.2f} {row['wall_s']:>7.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
