"""Corpus-like paper graphs built by hand (per kg/schema.py), for the view benchmark and the view tests.

The builders add nodes and edges with the properties ``kg.graph.build`` writes;
:func:`synthetic_graph` makes a random graph of any size with Zipf-like
concept popularity and citations to earlier papers.
"""

from __future__ import annotations

import random

import networkx as nx

from kg.schema import ConceptKind, Label, Rel, concept_id

__all__ = ["add_concept", "add_paper", "cite", "link", "synthetic_graph"]


def add_paper(graph: nx.MultiDiGraph, pid: str, title: str, year: int | None = 2024, **extra: object) -> str:
    """Add a Paper node with the schema's properties."""
    graph.add_node(
        pid,
        label=Label.PAPER.value,
        id=pid,
        title=title,
        abstract=extra.pop("abstract", f"Abstract of {title}."),
        year=year,
        url=extra.pop("url", None),
        arxiv_id=extra.pop("arxiv_id", None),
        doi=None,
        authors=extra.pop("authors", ["A. Author", "B. Author"]),
        source="test",
        unresolved_refs=[],
    )
    return pid


def add_concept(
    graph: nx.MultiDiGraph, kind: ConceptKind, name: str, aliases: list[str] | None = None
) -> str:
    """Add a Concept node; its id comes from :func:`kg.schema.concept_id`."""
    cid = concept_id(kind, name)
    graph.add_node(cid, label=Label.CONCEPT.value, id=cid, name=name, kind=kind.value, aliases=aliases or [],
                   paper_count=0)
    return cid


def link(graph: nx.MultiDiGraph, paper: str, concept: str, rel: Rel = Rel.USES, evidence: str = "") -> None:
    """Add a PROPOSES/USES edge with evidence."""
    graph.add_edge(paper, concept, key=rel.value, type=rel.value, evidence=evidence or f"We use {concept}.",
                   field="abstract", start=0, end=1, rule="gazetteer", confidence=0.9, mentions=1)


def cite(graph: nx.MultiDiGraph, citing: str, cited: str) -> None:
    """Add a CITES edge."""
    graph.add_edge(citing, cited, key=Rel.CITES.value, type=Rel.CITES.value, source="metadata")


def synthetic_graph(papers: int, concepts: int, *, per_paper: int = 6, seed: int = 7) -> nx.MultiDiGraph:
    """A random corpus-like graph: concept popularity is Zipf-like, some papers cite earlier ones.

    Parameters
    ----------
    papers, concepts : int
        How many Paper and Concept nodes.
    per_paper : int
        Concepts linked per paper (drawn by popularity).
    seed : int
        Random seed; the same arguments give the same graph.
    """
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    kinds = list(ConceptKind)
    concept_ids = [add_concept(g, kinds[i % len(kinds)], f"Concept {i:05d}") for i in range(concepts)]
    weights = [1.0 / (rank + 1) for rank in range(concepts)]
    paper_ids = []
    for i in range(papers):
        title = f"Synthetic paper number {i} about things"
        pid = add_paper(g, f"arxiv:2400.{i:05d}", title, year=2000 + i % 25)
        for concept in set(rng.choices(concept_ids, weights=weights, k=per_paper)):
            link(g, pid, concept)
        if paper_ids and rng.random() < 0.5:
            cite(g, pid, rng.choice(paper_ids))
        paper_ids.append(pid)
    return g
