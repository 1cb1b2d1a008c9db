"""Build the paper–concept–citation graph from paper records and their extractions.

The result is a :class:`networkx.MultiDiGraph` laid out exactly as
:mod:`kg.schema` describes: node keys are ids, every node has ``label``, every
edge has ``key == type``. Building is deterministic — papers, concepts, repos
and edges are inserted in sorted order — so the same input always gives the
same graph (and, through :mod:`kg.graph.persistence`, the same bytes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx

from kg.graph.compact import CompactGraph, paper_attributes
from kg.records import Paper

if TYPE_CHECKING:  # importing the extractors package loads spaCy; the graph needs only the shapes
    from extractors.types import PaperConcepts

__all__ = ["build_graph", "paper_attributes"]


def build_graph(
    papers: Iterable[Paper],
    extractions: Iterable[PaperConcepts],
    *,
    infer_citations: bool = True,
) -> nx.MultiDiGraph:
    """Build the knowledge graph of a corpus.

    Parameters
    ----------
    papers : iterable of Paper
        The corpus. Two records with the same id are merged
        (:meth:`kg.records.Paper.merged_with`).
    extractions : iterable of PaperConcepts
        Concepts per paper (matched to papers by ``id``); papers without an
        extraction simply have no concept edges. An extraction for an unknown
        paper id is an error. Each extraction is released once turned into
        edges, so an iterator that does not keep them (rather than a list)
        keeps peak memory down on large corpora.
    infer_citations : bool, default True
        Add CITES edges inferred from mentions of proposed artifacts
        (:func:`kg.graph.citations.add_inferred_citations`).

    Returns
    -------
    networkx.MultiDiGraph
        Paper, Concept and Repo nodes; PROPOSES, USES, HAS_CODE and CITES
        edges, with the properties of :mod:`kg.schema`. Concepts carry
        ``paper_count`` (papers with a PROPOSES or USES edge to them) and
        ``aliases`` (every alias and surface form, sorted, without the name).

    Raises
    ------
    ValueError
        If an extraction names a paper that is not in *papers*.
    """
    return CompactGraph.build(papers, extractions, infer_citations=infer_citations).to_networkx()
