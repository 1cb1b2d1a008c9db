"""Build the paper–concept–citation graph from paper records and their extractions.

The result is a :class:`networkx.MultiDiGraph` laid out exactly as
:mod:`kg.schema` describes: node keys are ids, every node has ``label``, every
edge has ``key == type``. Building is deterministic — papers, concepts, repos
and edges are inserted in sorted order — so the same input always gives the
same graph (and, through :mod:`kg.graph.persistence`, the same bytes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from kg.gc_tuning import gc_paused
from kg.graph.citations import add_inferred_citations, add_metadata_citations, find_author_year_citations
from kg.graph.repos import RepoRef, parse_repo_url
from kg.records import Paper
from kg.schema import ENTITY_TYPE_TO_KIND, ROLE_RELS, Label, Rel

if TYPE_CHECKING:  # importing the extractors package loads spaCy; the graph needs only the shapes
    from extractors.types import Entity, PaperConcepts

__all__ = ["build_graph", "paper_attributes"]


def paper_attributes(paper: Paper, unresolved_refs: list[str]) -> dict[str, object]:
    """The properties of a Paper node (see :data:`kg.schema.NODE_PROPERTIES`).

    Unknown values are ``None``; sequences are lists so that a graph loaded
    back from JSON compares equal.
    """
    return {
        "id": paper.id,
        "label": Label.PAPER.value,
        "title": paper.title,
        "abstract": paper.abstract,
        "year": paper.year,
        "url": paper.url,
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
        "authors": list(paper.authors),
        "source": paper.source,
        "unresolved_refs": unresolved_refs,
    }


@dataclass(slots=True)
class _ConceptAcc:
    """What the corpus says about one concept, gathered paper by paper."""

    kind: str
    names: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    papers: set[str] = field(default_factory=set)


def _role_edge(entity: Entity, rel: str) -> dict[str, object]:
    return {
        "type": rel,
        "evidence": entity.sentence,
        "field": entity.field,
        "start": entity.start,
        "end": entity.end,
        "rule": entity.rule,
        "confidence": float(entity.confidence),
        "mentions": max(1, len(entity.mentions)),
    }


def _paper_entities(concepts: PaperConcepts) -> list[tuple[str, Entity]]:
    """One (role, entity) per concept of a paper: PROPOSES wins over USES, then the best confidence."""
    best: dict[str, Entity] = {}
    for entity in concepts.entities:
        current = best.get(entity.concept_id)
        if current is None:
            best[entity.concept_id] = entity
            continue
        rank = (entity.role == "PROPOSES", entity.confidence, len(entity.mentions))
        if rank > (current.role == "PROPOSES", current.confidence, len(current.mentions)):
            best[entity.concept_id] = entity
    return [(best[cid].role, best[cid]) for cid in sorted(best)]


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
    with gc_paused():
        return _build(papers, extractions, infer_citations)


def _build(
    papers: Iterable[Paper], extractions: Iterable[PaperConcepts], infer_citations: bool
) -> nx.MultiDiGraph:
    by_id: dict[str, Paper] = {}
    for paper in papers:
        by_id[paper.id] = by_id[paper.id].merged_with(paper) if paper.id in by_id else paper
    corpus = [by_id[pid] for pid in sorted(by_id)]

    per_paper: dict[str, PaperConcepts] = {}
    for item in extractions:
        if item.id not in by_id:
            raise ValueError(f"extraction for unknown paper id {item.id!r} ({item.title!r})")
        per_paper[item.id] = item

    graph = nx.MultiDiGraph()
    for paper in corpus:
        graph.add_node(paper.id, **paper_attributes(paper, []))

    concepts: dict[str, _ConceptAcc] = {}
    repos: dict[str, RepoRef] = {}
    role_edges: list[tuple[str, str, str, dict[str, object]]] = []
    code_edges: list[tuple[str, str, dict[str, object]]] = []
    for paper in corpus:
        extraction = per_paper.pop(paper.id, None)  # dropped once used: its mentions are not kept
        if extraction is None:
            continue
        for role, entity in _paper_entities(extraction):
            if entity.type == "REPO":
                ref = parse_repo_url(entity.name) or parse_repo_url(entity.text)
                if ref is None:
                    continue
                repos.setdefault(ref.id, ref)
                code_edges.append(
                    (paper.id, ref.id, {"evidence": entity.sentence, "field": entity.field,
                                        "start": entity.start, "end": entity.end})
                )
                continue
            kind = ENTITY_TYPE_TO_KIND.get(entity.type)
            if kind is None:
                continue
            acc = concepts.get(entity.concept_id)
            if acc is None:
                acc = concepts[entity.concept_id] = _ConceptAcc(kind=kind.value)
            acc.names[entity.name] += 1
            acc.aliases.update(entity.aliases)
            acc.aliases.update(m.text for m in entity.mentions)
            acc.aliases.add(entity.text)
            acc.papers.add(paper.id)
            rel = ROLE_RELS[role].value
            role_edges.append((paper.id, entity.concept_id, rel, _role_edge(entity, rel)))

    for cid in sorted(concepts):
        acc = concepts[cid]
        # The extractor gives one corpus-wide name; should it not, the most used (then smallest) wins.
        name = min(acc.names.items(), key=lambda item: (-item[1], item[0]))[0]
        graph.add_node(
            cid,
            id=cid,
            label=Label.CONCEPT.value,
            name=name,
            kind=acc.kind,
            aliases=sorted(a for a in acc.aliases if a and a != name),
            paper_count=len(acc.papers),
        )
    for rid in sorted(repos):
        ref = repos[rid]
        graph.add_node(
            rid, id=rid, label=Label.REPO.value, url=ref.url, host=ref.host, owner=ref.owner, name=ref.name
        )

    graph.add_edges_from(role_edges)
    del role_edges
    seen_code: set[tuple[str, str]] = set()
    for source, target, attrs in code_edges:
        if (source, target) not in seen_code:
            seen_code.add((source, target))
            graph.add_edge(source, target, key=Rel.HAS_CODE.value, type=Rel.HAS_CODE.value, **attrs)

    unresolved = add_metadata_citations(graph, corpus)
    for paper in corpus:
        refs = unresolved.get(paper.id, []) + find_author_year_citations(paper.abstract)
        graph.nodes[paper.id]["unresolved_refs"] = list(dict.fromkeys(refs))
    if infer_citations:
        add_inferred_citations(graph)
    return graph

