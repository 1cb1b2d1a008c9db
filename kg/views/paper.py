"""One paper's neighbourhood: its concepts, code, citations both ways, and the papers most like it."""

from __future__ import annotations

import os

import networkx as nx

from kg.graph.resolve import resolve_paper
from kg.schema import Rel
from kg.views.neighbours import concepts_of, display_name, sharing_papers
from kg.views.page import RenderedView, write_view
from kg.views.spec import DEFAULT_MAX_NODES, ViewError, ViewSpec
from kg.views.style import short_label

__all__ = ["DEFAULT_RELATED", "paper_spec", "render_paper"]

#: How many papers sharing the most concepts are shown next to the paper.
DEFAULT_RELATED = 15


def _neighbours(graph: nx.MultiDiGraph, paper: str, rel: Rel, incoming: bool) -> list[str]:
    edges = graph.in_edges(paper, keys=True) if incoming else graph.out_edges(paper, keys=True)
    found = {(src if incoming else dst) for src, dst, key in edges if key == rel.value}
    found.discard(paper)
    return sorted(found, key=lambda n: (-graph.degree(n), n))


def paper_spec(
    graph: nx.MultiDiGraph, ref: str, max_nodes: int = DEFAULT_MAX_NODES, related: int = DEFAULT_RELATED
) -> ViewSpec:
    """Select a paper's neighbourhood.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The paper graph.
    ref : str
        Paper id, title or unique title prefix (see :func:`kg.graph.resolve.resolve_paper`).
    max_nodes : int
        Node budget; filled in the order paper, concepts, repos, cited papers,
        citing papers, related papers.
    related : int
        How many papers sharing the most concepts to add.

    Raises
    ------
    kg.graph.resolve.ResolveError
        If *ref* names no paper or several.
    """
    if max_nodes < 1:
        raise ViewError(f"max_nodes must be at least 1, got {max_nodes}")
    paper = resolve_paper(graph, ref)
    concepts = concepts_of(graph, paper)
    notes: dict[str, str] = {}
    for concept, data in concepts.items():
        role = "Proposed" if data["type"] == Rel.PROPOSES.value else "Used"
        evidence = f": “{data['evidence']}”" if data.get("evidence") else ""
        notes[concept] = f"{role} by this paper{evidence}"
    repos = _neighbours(graph, paper, Rel.HAS_CODE, incoming=False)
    cited = _neighbours(graph, paper, Rel.CITES, incoming=False)
    citing = _neighbours(graph, paper, Rel.CITES, incoming=True)
    for node in cited:
        notes[node] = "Cited by this paper"
    for node in citing:
        notes[node] = "Cites this paper" + (" (and is cited by it)" if node in cited else "")
    similar = [(other, shared) for other, shared in sharing_papers(graph, paper)][: max(related, 0)]
    for other, shared in similar:
        names = ", ".join(display_name(graph.nodes[c], c) for c in shared[:8])
        more = f" and {len(shared) - 8} more" if len(shared) > 8 else ""
        line = f"Shares {len(shared)} concept{'s' if len(shared) != 1 else ''} with this paper: {names}{more}"
        notes[other] = f"{notes[other]}\n{line}" if other in notes else line
    ordered = list(
        dict.fromkeys([paper, *sorted(concepts), *repos, *cited, *citing, *(o for o, _ in similar)])
    )
    nodes = tuple(ordered[:max_nodes])
    title = display_name(graph.nodes[paper], paper)
    dropped = len(ordered) - len(nodes)
    description = (
        f"{len(concepts)} concepts, {len(repos)} code repositor{'ies' if len(repos) != 1 else 'y'}, "
        f"cites {len(cited)}, cited by {len(citing)}, "
        f"and the {len(similar)} papers sharing the most concepts with it."
        + (f" {dropped} nodes left out to stay within {max_nodes}." if dropped else "")
    )
    return ViewSpec(
        kind="paper",
        title=f"Paper: {short_label(title, 120)}",
        description=description,
        nodes=nodes,
        focus=frozenset({paper}),
        notes={node: note for node, note in notes.items() if node in set(nodes)},
    )


def render_paper(
    graph: nx.MultiDiGraph, ref: str, path: str | os.PathLike[str], max_nodes: int = DEFAULT_MAX_NODES
) -> RenderedView:
    """Write the neighbourhood page of the paper named *ref* to *path* (atomically).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The paper graph.
    ref : str
        Paper id, title or unique title prefix.
    path : str or PathLike
        Output HTML file.
    max_nodes : int
        Node budget (default 500).

    Returns
    -------
    RenderedView
        Path, title, node and edge counts, size.
    """
    return write_view(graph, paper_spec(graph, ref, max_nodes), path)
