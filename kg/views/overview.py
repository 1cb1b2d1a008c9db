"""The overview: the most used concepts of every kind and the papers that connect them.

The whole graph of a few hundred papers is already an unreadable hairball, so
the overview is a bounded selection:

1. concepts ranked per kind by the number of papers linked to them; a third of
   the node budget goes to concepts, taken round-robin across the kinds so
   that datasets, models, methods and tasks are all represented;
2. papers ranked by how many of the chosen concepts they link (a paper linking
   two chosen concepts is what connects the picture), then by degree; they
   fill the rest of the budget;
3. concepts left without a shown paper are dropped.
"""

from __future__ import annotations

import os
from collections import Counter

import networkx as nx

from kg.schema import ConceptKind, Label
from kg.views.neighbours import ROLE_TYPES, papers_of
from kg.views.page import RenderedView, write_view
from kg.views.spec import DEFAULT_MAX_NODES, ViewError, ViewSpec

__all__ = ["DEFAULT_MAX_NODES", "overview_spec", "render_overview"]


def _ranked_concepts(graph: nx.MultiDiGraph) -> dict[str, list[tuple[str, int]]]:
    """Per kind: ``(concept id, paper count)``, most papers first, then by id."""
    by_kind: dict[str, list[tuple[str, int]]] = {kind.value: [] for kind in ConceptKind}
    for node, attrs in graph.nodes(data=True):
        if attrs.get("label") != Label.CONCEPT.value:
            continue
        papers = len(papers_of(graph, node))
        if papers:
            by_kind.setdefault(str(attrs.get("kind")), []).append((node, papers))
    return {kind: sorted(items, key=lambda item: (-item[1], item[0])) for kind, items in by_kind.items()}


def _round_robin(ranked: dict[str, list[tuple[str, int]]], budget: int) -> list[str]:
    chosen: list[str] = []
    queues = [list(items) for _, items in sorted(ranked.items()) if items]
    while len(chosen) < budget and any(queues):
        for queue in queues:
            if queue and len(chosen) < budget:
                chosen.append(queue.pop(0)[0])
    return chosen


def overview_spec(graph: nx.MultiDiGraph, max_nodes: int = DEFAULT_MAX_NODES) -> ViewSpec:
    """Select the overview's nodes.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The paper graph.
    max_nodes : int
        Node budget (at least 2).

    Returns
    -------
    ViewSpec
        At most *max_nodes* nodes: top concepts per kind and the papers linking them.
    """
    if max_nodes < 2:
        raise ViewError(f"max_nodes must be at least 2, got {max_nodes}")
    ranked = _ranked_concepts(graph)
    concepts = _round_robin(ranked, max(1, max_nodes // 3))
    links: Counter[str] = Counter()
    for concept in concepts:
        for paper in papers_of(graph, concept):
            links[paper] += 1
    papers = sorted(links, key=lambda p: (-links[p], -graph.degree(p), p))[: max_nodes - len(concepts)]
    shown_papers = set(papers)
    concepts = [
        c for c in concepts
        if any(src in shown_papers for src, _, rel in graph.in_edges(c, keys=True) if rel in ROLE_TYPES)
    ]
    if not papers:
        papers = sorted(
            (n for n, label in graph.nodes(data="label") if label == Label.PAPER.value),
            key=lambda p: (-graph.degree(p), p),
        )[:max_nodes]
    kinds = Counter(str(graph.nodes[c].get("kind")) for c in concepts)
    total_papers = sum(1 for _, label in graph.nodes(data="label") if label == Label.PAPER.value)
    total_concepts = sum(1 for _, label in graph.nodes(data="label") if label == Label.CONCEPT.value)
    return overview_spec_of(concepts, papers, kinds, total_papers, total_concepts, max_nodes)


def overview_spec_of(
    concepts: list[str],
    papers: list[str],
    kinds: Counter[str],
    total_papers: int,
    total_concepts: int,
    max_nodes: int,
) -> ViewSpec:
    """The overview's spec once its nodes are chosen: the one wording of its title and description.

    Shared by :func:`overview_spec` and the compact graph of ``kg build``
    (:meth:`kg.graph.compact.CompactGraph.overview`), whose pages must be
    byte-identical.

    Parameters
    ----------
    concepts, papers : list of str
        The node ids shown, in page order (concepts first).
    kinds : Counter
        Shown concepts per kind value (``"Dataset"`` …).
    total_papers, total_concepts : int
        Papers and concepts in the whole graph.
    max_nodes : int
        The node budget the page was limited to.
    """
    per_kind = ", ".join(
        f"{kinds[k.value]} {k.value.lower()}{'s' if kinds[k.value] != 1 else ''}"
        for k in ConceptKind
        if kinds[k.value]
    )
    description = (
        f"{len(papers)} of {total_papers} papers and {len(concepts)} of {total_concepts} concepts"
        f"{f' ({per_kind})' if per_kind else ''}: the concepts linked to the most papers, per kind,"
        f" and the papers linking the most of them. Limited to {max_nodes} nodes."
    )
    return ViewSpec(
        kind="overview",
        title="Paper graph overview: top concepts and the papers linking them",
        description=description,
        nodes=tuple(concepts + papers),
    )


def render_overview(
    graph: nx.MultiDiGraph, path: str | os.PathLike[str], max_nodes: int = DEFAULT_MAX_NODES
) -> RenderedView:
    """Write the overview page of *graph* to *path* (atomically).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The paper graph.
    path : str or PathLike
        Output HTML file.
    max_nodes : int
        Node budget (default 500).

    Returns
    -------
    RenderedView
        Path, title, node and edge counts, size.
    """
    return write_view(graph, overview_spec(graph, max_nodes), path)
