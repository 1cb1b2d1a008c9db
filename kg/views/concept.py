"""One concept: the papers proposing or using it, and the other concepts those papers share."""

from __future__ import annotations

import os
from collections import Counter

import networkx as nx

from kg.graph.resolve import resolve_concept
from kg.schema import Rel
from kg.views.neighbours import concepts_of, display_name, papers_of
from kg.views.page import RenderedView, write_view
from kg.views.spec import DEFAULT_MAX_NODES, ViewError, ViewSpec
from kg.views.style import short_label

__all__ = ["concept_spec", "render_concept"]


def concept_spec(graph: nx.MultiDiGraph, ref: str, max_nodes: int = DEFAULT_MAX_NODES) -> ViewSpec:
    """Select a concept's papers and the concepts they share.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The paper graph.
    ref : str
        Concept id, name, alias or unique prefix (see :func:`kg.graph.resolve.resolve_concept`).
    max_nodes : int
        Node budget. Papers come first (proposers, then by degree), up to two
        thirds of the budget; the rest goes to the concepts shared by at least
        two shown papers, most shared first.

    Raises
    ------
    kg.graph.resolve.ResolveError
        If *ref* names no concept or several.
    """
    if max_nodes < 1:
        raise ViewError(f"max_nodes must be at least 1, got {max_nodes}")
    concept = resolve_concept(graph, ref)
    attrs = graph.nodes[concept]
    users = papers_of(graph, concept)
    ranked = sorted(users, key=lambda p: (users[p]["type"] != Rel.PROPOSES.value, -graph.degree(p), p))
    room = max_nodes - 1
    papers = ranked[: max(room - room // 3, 0) if len(ranked) > room else room]
    shared: Counter[str] = Counter()
    for paper in papers:
        shared.update(other for other in concepts_of(graph, paper) if other != concept)
    others = sorted((c for c, n in shared.items() if n >= 2), key=lambda c: (-shared[c], c))
    others = others[: max(room - len(papers), 0)]
    notes: dict[str, str] = {}
    for paper in papers:
        data = users[paper]
        role = "Proposes" if data["type"] == Rel.PROPOSES.value else "Uses"
        evidence = f": “{data['evidence']}”" if data.get("evidence") else ""
        notes[paper] = f"{role} {display_name(attrs, concept)}{evidence}"
    for other in others:
        notes[other] = f"Also linked to {shared[other]} of the {len(papers)} papers shown"
    name = display_name(attrs, concept)
    left_out = len(users) - len(papers)
    description = (
        f"{attrs.get('kind') or 'Concept'} linked to {len(users)} paper{'s' if len(users) != 1 else ''}"
        f"{f' ({left_out} not shown, limit {max_nodes} nodes)' if left_out else ''}; "
        f"{len(others)} other concepts shared by at least two of them."
    )
    return ViewSpec(
        kind="concept",
        title=f"{attrs.get('kind') or 'Concept'}: {short_label(name, 120)}",
        description=description,
        nodes=(concept, *papers, *others),
        focus=frozenset({concept}),
        notes=notes,
    )


def render_concept(
    graph: nx.MultiDiGraph, ref: str, path: str | os.PathLike[str], max_nodes: int = DEFAULT_MAX_NODES
) -> RenderedView:
    """Write the page of the concept named *ref* to *path* (atomically).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The paper graph.
    ref : str
        Concept id, name, alias or unique prefix.
    path : str or PathLike
        Output HTML file.
    max_nodes : int
        Node budget (default 500).

    Returns
    -------
    RenderedView
        Path, title, node and edge counts, size.
    """
    return write_view(graph, concept_spec(graph, ref, max_nodes), path)
