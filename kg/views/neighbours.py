"""Graph look-ups the views share: a paper's concepts, a concept's papers, papers sharing concepts.

All functions read a :class:`networkx.MultiDiGraph` laid out as in
:mod:`kg.schema` and return results in a deterministic order (ties broken by
node id), so a view of the same graph is always the same page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from kg.schema import Label, Rel

__all__ = [
    "ROLE_TYPES",
    "concepts_of",
    "display_name",
    "is_label",
    "papers_of",
    "sharing_papers",
]

#: Relationship types linking a paper to a concept.
ROLE_TYPES: frozenset[str] = frozenset({Rel.PROPOSES.value, Rel.USES.value})


def is_label(graph: nx.MultiDiGraph, node: str, label: Label) -> bool:
    """True when *node* carries the given label."""
    return graph.nodes[node].get("label") == label.value


def display_name(attrs: Mapping[str, Any], node: str) -> str:
    """The human name of a node: a paper's title, a concept's name, a repo's ``owner/name``."""
    label = attrs.get("label")
    if label == Label.PAPER.value:
        return str(attrs.get("title") or node)
    if label == Label.REPO.value:
        owner, name = attrs.get("owner"), attrs.get("name")
        return f"{owner}/{name}" if owner and name else str(attrs.get("url") or node)
    return str(attrs.get("name") or node)


def concepts_of(graph: nx.MultiDiGraph, paper: str, kind: str | None = None) -> dict[str, dict[str, Any]]:
    """The concepts a paper proposes or uses → the data of that edge (PROPOSES preferred).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The paper graph.
    paper : str
        A Paper node id.
    kind : str, optional
        Keep only concepts of this ``kind`` (``"Dataset"`` …).
    """
    found: dict[str, dict[str, Any]] = {}
    edges = sorted(graph.out_edges(paper, keys=True, data=True), key=lambda e: (e[1], e[2]))
    for _, concept, rel, data in edges:
        if rel not in ROLE_TYPES:
            continue
        if kind is not None and graph.nodes[concept].get("kind") != kind:
            continue
        if concept not in found or rel == Rel.PROPOSES.value:
            found[concept] = {**data, "type": rel}
    return found


def papers_of(graph: nx.MultiDiGraph, concept: str) -> dict[str, dict[str, Any]]:
    """The papers proposing or using a concept → the data of that edge (PROPOSES preferred)."""
    found: dict[str, dict[str, Any]] = {}
    edges = sorted(graph.in_edges(concept, keys=True, data=True), key=lambda e: (e[0], e[2]))
    for paper, _, rel, data in edges:
        if rel not in ROLE_TYPES:
            continue
        if paper not in found or rel == Rel.PROPOSES.value:
            found[paper] = {**data, "type": rel}
    return found


def sharing_papers(
    graph: nx.MultiDiGraph, paper: str, concepts: Iterable[str] | None = None
) -> list[tuple[str, list[str]]]:
    """Other papers linked to the paper's concepts, most shared concepts first.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The paper graph.
    paper : str
        The Paper node id to compare with.
    concepts : iterable of str, optional
        The concepts to consider (default: all of the paper's concepts).

    Returns
    -------
    list of (str, list of str)
        ``(other paper id, shared concept ids sorted)``, ordered by the number
        of shared concepts (descending), then by paper id.
    """
    pool = sorted(concepts_of(graph, paper) if concepts is None else set(concepts))
    shared: dict[str, list[str]] = {}
    for concept in pool:
        for other in papers_of(graph, concept):
            if other != paper:
                shared.setdefault(other, []).append(concept)
    counts = Counter({other: len(items) for other, items in shared.items()})
    return [(other, sorted(shared[other])) for other in sorted(counts, key=lambda p: (-counts[p], p))]
