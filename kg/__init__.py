"""paper-kg: a citation/concept knowledge graph from paper abstracts.

The Python API mirrors the ``kg`` command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.cypher.api import run_named, run_query
from kg.graph.persistence import load_graph
from kg.records import Paper

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

    import networkx as nx

    from kg.sources import ReadReport

__all__ = ["Paper", "build", "load_graph", "read_papers", "run_named", "run_query"]
__version__ = "0.1.0"


def build(
    inputs: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str] = "kg-out",
    *,
    update: bool = False,
    jobs: int | None = None,
) -> nx.MultiDiGraph:
    """Read *inputs*, extract concepts, build the graph, save it in *out_dir* and return it.

    The same as ``kg build INPUT… -o OUT_DIR [--update] [--jobs N]``; for the build report
    (counts, skipped records, timings) use :func:`kg.pipeline.build`.
    """
    from kg.pipeline import build as run_build

    return run_build(inputs, out_dir, update=update, jobs=jobs).graph


def read_papers(paths: Iterable[str | os.PathLike[str]]) -> ReadReport:
    """Read paper files or directories; the same as ``kg stats`` (see :func:`kg.sources.read_papers`)."""
    from kg.sources import read_papers as read

    return read(paths)
