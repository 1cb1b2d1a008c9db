"""The paper–concept–citation graph: building, citations, persistence and name resolution."""

from __future__ import annotations

from kg.graph.build import build_graph
from kg.graph.compare import GraphDiff, diff_saved, graph_diff, graphs_equal
from kg.graph.persistence import (
    GraphFileError,
    graph_fingerprint,
    iter_saved,
    load_graph,
    read_manifest,
    save_graph,
)
from kg.graph.resolve import (
    AmbiguousNameError,
    NameNotFoundError,
    ResolveError,
    resolve_concept,
    resolve_paper,
)

__all__ = [
    "AmbiguousNameError",
    "GraphDiff",
    "GraphFileError",
    "NameNotFoundError",
    "ResolveError",
    "build_graph",
    "diff_saved",
    "graph_diff",
    "graph_fingerprint",
    "graphs_equal",
    "iter_saved",
    "load_graph",
    "read_manifest",
    "resolve_concept",
    "resolve_paper",
    "save_graph",
]
