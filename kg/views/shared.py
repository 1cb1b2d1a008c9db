"""Papers sharing benchmarks, methods, models or tasks with one paper, and what they share."""

from __future__ import annotations

import os

import networkx as nx

from kg.graph.resolve import resolve_paper
from kg.schema import ConceptKind
from kg.views.neighbours import concepts_of, display_name, papers_of, sharing_papers
from kg.views.page import RenderedView, write_view
from kg.views.spec import DEFAULT_MAX_NODES, ViewError, ViewSpec
from kg.views.style import short_label

__all__ = ["parse_kind", "render_shared", "shared_spec"]

_PLURAL = {
    ConceptKind.DATASET: "datasets",
    ConceptKind.MODEL: "models",
    ConceptKind.METHOD: "methods",
    ConceptKind.TASK: "tasks",
}


def parse_kind(kind: str | ConceptKind) -> ConceptKind:
    """``"dataset"``/``"Datasets"``/``ConceptKind.DATASET`` → :class:`~kg.schema.ConceptKind`.

    Raises
    ------
    ViewError
        For anything that is not a concept kind; the message lists the valid ones.
    """
    folded = str(kind).strip().casefold().removesuffix("s")
    for candidate in ConceptKind:
        if candidate.value.casefold() == folded:
            return candidate
    valid = ", ".join(k.value.lower() for k in ConceptKind)
    raise ViewError(f"unknown concept kind {str(kind)!r}; expected one of {valid}")


def shared_spec(
    graph: nx.MultiDiGraph, ref: str, kind: str | ConceptKind, max_nodes: int = DEFAULT_MAX_NODES
) -> ViewSpec:
    """Select the papers sharing concepts of one kind with a paper.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The paper graph.
    ref : str
        Paper id, title or unique title prefix.
    kind : str or ConceptKind
        ``dataset``, ``model``, ``method`` or ``task``.
    max_nodes : int
        Node budget: the paper and all its concepts of that kind first, then
        the other papers, most shared concepts first.

    Raises
    ------
    kg.graph.resolve.ResolveError
        If *ref* names no paper or several.
    ViewError
        If *kind* is not a concept kind or the paper has no concept of that kind.
    """
    wanted = parse_kind(kind)
    paper = resolve_paper(graph, ref)
    title = display_name(graph.nodes[paper], paper)
    plural = _PLURAL[wanted]
    own = concepts_of(graph, paper, wanted.value)
    if not own:
        raise ViewError(f"paper {paper} ({short_label(title, 80)!r}) has no {plural} in the graph")
    others = sharing_papers(graph, paper, own)
    room = max(max_nodes - 1 - len(own), 0)
    shown = others[:room]
    notes: dict[str, str] = {}
    for other, concepts in shown:
        names = ", ".join(display_name(graph.nodes[c], c) for c in concepts[:8])
        more = f" and {len(concepts) - 8} more" if len(concepts) > 8 else ""
        noun = plural if len(concepts) != 1 else wanted.value.lower()
        notes[other] = f"Shares {len(concepts)} {noun}: {names}{more}"
    shown_ids = {other for other, _ in shown}
    for concept, data in own.items():
        users = sum(1 for p in papers_of(graph, concept) if p in shown_ids)
        evidence = f"\nIn this paper: “{data['evidence']}”" if data.get("evidence") else ""
        notes[concept] = f"Shared with {users} of the papers shown{evidence}"
    unshared = sum(1 for concept in own if not any(concept in c for _, c in others))
    description = (
        f"{len(others)} papers share at least one of this paper's {len(own)} {plural}"
        f"{f' ({unshared} used by no other paper)' if unshared else ''}; "
        f"{'all shown' if len(shown) == len(others) else f'the {len(shown)} sharing the most are shown'}."
    )
    return ViewSpec(
        kind="shared",
        title=f"Papers sharing {plural} with: {short_label(title, 110)}",
        description=description,
        nodes=(paper, *sorted(own), *(other for other, _ in shown)),
        focus=frozenset({paper}),
        notes=notes,
    )


def render_shared(
    graph: nx.MultiDiGraph,
    ref: str,
    kind: str | ConceptKind,
    path: str | os.PathLike[str],
    max_nodes: int = DEFAULT_MAX_NODES,
) -> RenderedView:
    """Write the "papers sharing <kind> with <paper>" page to *path* (atomically).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The paper graph.
    ref : str
        Paper id, title or unique title prefix.
    kind : str or ConceptKind
        ``dataset``, ``model``, ``method`` or ``task``.
    path : str or PathLike
        Output HTML file.
    max_nodes : int
        Node budget (default 500).

    Returns
    -------
    RenderedView
        Path, title, node and edge counts, size.
    """
    return write_view(graph, shared_spec(graph, ref, kind, max_nodes), path)
