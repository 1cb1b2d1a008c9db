"""Compare two graphs: exact equality and the difference an update made."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["GraphDiff", "graph_diff", "graphs_equal"]


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
