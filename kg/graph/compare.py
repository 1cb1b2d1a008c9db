"""Compare two graphs: exact equality and the difference an update made."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg.graph.persistence import iter_saved

__all__ = ["GraphDiff", "diff_saved", "graph_diff", "graphs_equal"]


@dataclass(slots=True)
class GraphDiff:
    """Nodes and edges (``(source, target, key)``) added, removed or with changed attributes."""

    added_nodes: list[str] = field(default_factory=list)
    removed_nodes: list[str] = field(default_factory=list)
    changed_nodes: list[str] = field(default_factory=list)
    added_edges: list[tuple[str, str, str]] = field(default_factory=list)
    removed_edges: list[tuple[str, str, str]] = field(default_factory=list)
    changed_edges: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when both graphs have the same nodes, edges and attributes."""
        return not any(
            (self.added_nodes, self.removed_nodes, self.changed_nodes,
             self.added_edges, self.removed_edges, self.changed_edges)
        )

    def added_by_label(self, graph: nx.MultiDiGraph) -> dict[str, int]:
        """Counts of added nodes per ``label`` (looked up in *graph*, the newer graph)."""
        return dict(sorted(Counter(str(graph.nodes[n].get("label")) for n in self.added_nodes).items()))

    def added_by_type(self) -> dict[str, int]:
        """Counts of added edges per key (relationship type)."""
        return dict(sorted(Counter(key for *_, key in self.added_edges).items()))


def graph_diff(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> GraphDiff:
    """What changed from *old* to *new*; every list is sorted.

    Parameters
    ----------
    old, new : networkx.MultiDiGraph

    Returns
    -------
    GraphDiff
    """
    old_nodes, new_nodes = set(old.nodes), set(new.nodes)
    old_edges, new_edges = set(old.edges(keys=True)), set(new.edges(keys=True))
    return GraphDiff(
        added_nodes=sorted(new_nodes - old_nodes),
        removed_nodes=sorted(old_nodes - new_nodes),
        changed_nodes=sorted(n for n in old_nodes & new_nodes if old.nodes[n] != new.nodes[n]),
        added_edges=sorted(new_edges - old_edges),
        removed_edges=sorted(old_edges - new_edges),
        changed_edges=sorted(e for e in old_edges & new_edges if old.edges[e] != new.edges[e]),
    )


def graphs_equal(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    """True when *a* and *b* have the same graph attributes, nodes, edges, keys and attributes."""
    return (
        a.is_directed() == b.is_directed()
        and a.is_multigraph() == b.is_multigraph()
        and a.graph == b.graph
        and graph_diff(a, b).empty
    )


def _merge_join(
    saved: Iterator[tuple[Any, dict[str, Any]]], current: list[Any], attrs_of: Any,
    added: list[Any], removed: list[Any], changed: list[Any],
) -> None:
    """Walk two key-sorted sequences side by side, filing each key as added, removed or changed."""
    position = 0
    for key, attrs in saved:
        while position < len(current) and current[position] < key:
            added.append(current[position])
            position += 1
        if position < len(current) and current[position] == key:
            if attrs_of(key) != attrs:
                changed.append(key)
            position += 1
        else:
            removed.append(key)
    added.extend(current[position:])


def diff_saved(directory: str | os.PathLike[str], new: nx.MultiDiGraph) -> GraphDiff:
    """What changed from the graph saved in *directory* to *new*, without loading the saved graph.

    The saved file is streamed (it is sorted) and merged with *new*'s sorted
    nodes and edges, so memory holds one graph, not two. The result equals
    ``graph_diff(load_graph(directory), new)``.

    Raises
    ------
    kg.graph.persistence.GraphFileError
        If the saved graph is missing or corrupt.
    """
    diff = GraphDiff()
    items = iter_saved(directory)
    pending: list[tuple[str, Any, dict[str, Any]]] = []

    def saved_nodes() -> Iterator[tuple[Any, dict[str, Any]]]:
        for kind, key, attrs in items:
            if kind == "node":
                yield key, attrs
            elif kind == "edge":
                pending.append((kind, key, attrs))
                return

    def saved_edges() -> Iterator[tuple[Any, dict[str, Any]]]:
        for _, key, attrs in pending:
            yield key, attrs
        for kind, key, attrs in items:
            if kind == "edge":
                yield key, attrs

    _merge_join(saved_nodes(), sorted(new.nodes), lambda n: new.nodes[n],
                diff.added_nodes, diff.removed_nodes, diff.changed_nodes)
    _merge_join(saved_edges(), sorted(new.edges(keys=True)), lambda e: new.edges[e],
                diff.added_edges, diff.removed_edges, diff.changed_edges)
    return diff
