"""The paper graph as compact rows: built from a stream of extractions, written without networkx.

:func:`kg.graph.build.build_graph` returns a :class:`networkx.MultiDiGraph`,
whose every edge is a dict of eight properties held in two adjacency dicts.
At a million abstracts those dicts alone outgrow the machine, while ``kg
build`` only needs to *write* the graph. :class:`CompactGraph` holds the same
graph as tuples — per paper, its concept edges, code edges and citations —
and

* writes ``graph.json`` + ``manifest.json`` straight from them
  (:meth:`CompactGraph.save`), byte for byte what
  :func:`kg.graph.persistence.save_graph` writes for the networkx graph;
* turns into that networkx graph on demand (:meth:`CompactGraph.to_networkx`,
  which is what :func:`~kg.graph.build.build_graph` returns): one set of
  building rules for both;
* renders the overview page from a small graph of the shown nodes and their
  edges (:meth:`CompactGraph.render_overview`), the same page
  :func:`kg.views.render_overview` draws from the whole graph.

Extractions are consumed one at a time and reduced to rows as they come, so a
generator of extractions (rather than a list) never has the whole corpus'
mentions in memory.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx

from kg.gc_tuning import gc_paused
from kg.graph.citations import (
    METADATA,
    CitingPaper,
    choose_proposers,
    find_author_year_citations,
    infer_citations,
    inferred_source,
    is_artifact,
    resolve_references,
)
from kg.graph.persistence import graph_lines, write_graph_files
from kg.graph.repos import RepoRef, parse_repo_url
from kg.records import Paper
from kg.schema import ENTITY_TYPE_TO_KIND, ROLE_RELS, Label, Rel

if TYPE_CHECKING:  # importing the extractors package loads spaCy; the graph needs only the shapes
    from extractors.types import Entity, PaperConcepts

__all__ = ["CompactGraph", "paper_attributes"]

_PROPOSES, _USES, _CITES, _HAS_CODE = Rel.PROPOSES.value, Rel.USES.value, Rel.CITES.value, Rel.HAS_CODE.value
_PAPER, _CONCEPT, _REPO = Label.PAPER.value, Label.CONCEPT.value, Label.REPO.value


def paper_attributes(paper: Paper, unresolved_refs: list[str]) -> dict[str, object]:
    """The properties of a Paper node (see :data:`kg.schema.NODE_PROPERTIES`).

    Unknown values are ``None``; sequences are lists so that a graph loaded
    back from JSON compares equal.
    """
    return {
        "id": paper.id,
        "label": _PAPER,
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


class _Role(NamedTuple):
    """One PROPOSES/USES edge of a paper, with what its concept node needs from the entity."""

    concept: str
    rel: str
    kind: str
    name: str
    aliases: tuple[str, ...]  # shared between the rows of one concept
    texts: tuple[str, ...]  # mention surfaces (and the best one) not among *aliases*
    evidence: str | int  # see _evidence_ref
    field: str
    start: int
    end: int
    rule: str
    confidence: float
    mentions: int


class _Edge(NamedTuple):
    """A PROPOSES/USES edge once its concept has been accounted for (a :class:`_Role` without the concept's
    names)."""

    concept: str
    rel: str
    evidence: str | int  # see _evidence_ref
    field: str
    start: int
    end: int
    rule: str
    confidence: float
    mentions: int


class _Code(NamedTuple):
    """One HAS_CODE edge of a paper."""

    repo: RepoRef
    evidence: str | int  # see _evidence_ref
    field: str
    start: int
    end: int


class _Links(NamedTuple):
    """Every edge leaving one paper, and its unresolved references (tuples: the empty one is shared)."""

    roles: tuple[_Edge, ...]
    code: tuple[_Code, ...]
    cites: tuple[str, ...]  # metadata, sorted
    inferred: tuple[tuple[str, str], ...]  # (target, CITES source), in insertion order
    unresolved: tuple[str, ...]


@dataclass(slots=True)
class _ConceptAcc:
    """What the corpus says about one concept, gathered paper by paper."""

    kind: str
    names: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    papers: int = 0


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


_LENGTH_BITS = 20


def _field_text(paper: Paper, name: str) -> str | None:
    return paper.abstract if name == "abstract" else paper.title if name == "title" else None


def _evidence_ref(sentence: str, field_name: str, paper: Paper) -> str | int:
    """An evidence sentence as its place in the paper's *field_name* text, else the sentence itself.

    Evidence sentences are cut from the title or abstract, which the graph
    keeps anyway: ``offset << 20 | length`` takes one small int instead of a
    copy of the sentence (:func:`_evidence` gives the text back).
    """
    text = _field_text(paper, field_name)
    if text is not None and len(sentence) < 1 << _LENGTH_BITS:
        at = text.find(sentence)
        if at >= 0:
            return at << _LENGTH_BITS | len(sentence)
    return sentence


def _evidence(value: str | int, field_name: str, paper: Paper) -> str:
    """The sentence :func:`_evidence_ref` stood for."""
    if isinstance(value, str):
        return value
    at, length = value >> _LENGTH_BITS, value & ((1 << _LENGTH_BITS) - 1)
    return _field_text(paper, field_name)[at : at + length]  # type: ignore[index]


class _Rows:
    """Turns extractions into rows, sharing what repeats between rows (alias tuples, rule names, scores)."""

    def __init__(self) -> None:
        self._aliases: dict[tuple[str, ...], tuple[tuple[str, ...], frozenset[str]]] = {}
        self._strings: dict[str, str] = {}
        self._floats: dict[float, float] = {}

    def of(self, extraction: PaperConcepts, paper: Paper) -> tuple[list[_Role], list[_Code]]:
        roles: list[_Role] = []
        code: list[_Code] = []
        text, number = self._strings.setdefault, self._floats.setdefault
        for role, entity in _paper_entities(extraction):
            evidence = _evidence_ref(entity.sentence, entity.field, paper)
            if entity.type == "REPO":
                ref = parse_repo_url(entity.name) or parse_repo_url(entity.text)
                if ref is not None:
                    field_name = text(entity.field, entity.field)
                    code.append(_Code(ref, evidence, field_name, entity.start, entity.end))
                continue
            kind = ENTITY_TYPE_TO_KIND.get(entity.type)
            if kind is None:
                continue
            aliases, known = self._shared(tuple(entity.aliases))
            texts = tuple(dict.fromkeys(t for t in (*(m.text for m in entity.mentions), entity.text)
                                        if t not in known))
            rel = ROLE_RELS[role].value
            confidence = float(entity.confidence)
            roles.append(_Role(
                entity.concept_id, rel, kind.value, entity.name, aliases, texts, evidence,
                text(entity.field, entity.field), entity.start, entity.end, text(entity.rule, entity.rule),
                number(confidence, confidence) if confidence else confidence, max(1, len(entity.mentions)),
            ))
        return roles, code

    def _shared(self, aliases: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str]]:
        found = self._aliases.get(aliases)
        if found is None:
            found = self._aliases[aliases] = (aliases, frozenset(aliases))
        return found


def _role_attrs(row: _Edge, paper: Paper) -> dict[str, object]:
    return {
        "type": row.rel,
        "evidence": _evidence(row.evidence, row.field, paper),
        "field": row.field,
        "start": row.start,
        "end": row.end,
        "rule": row.rule,
        "confidence": row.confidence,
        "mentions": row.mentions,
    }


def _code_attrs(row: _Code, paper: Paper) -> dict[str, object]:
    return {
        "type": _HAS_CODE, "evidence": _evidence(row.evidence, row.field, paper), "field": row.field,
        "start": row.start, "end": row.end,
    }


def _cite_attrs(source: str) -> dict[str, object]:
    return {"type": _CITES, "source": source}


class _Neighbourhood(nx.MultiDiGraph):
    """The overview's nodes and their edges, with the edges a shown concept receives from papers not shown
    kept aside as ``(paper, type)`` (a top concept can have a large share of the corpus' papers).

    Those edges only count — in the concept's degree and its number of papers — so :meth:`degree`
    and :meth:`in_edges` include them without a node or an attribute dict for each.
    """

    def __init__(self) -> None:
        super().__init__()
        self.hidden_in: dict[str, list[tuple[str, str]]] = {}

    def degree(self, node: str) -> int:  # type: ignore[override]
        """Edges in and out of *node* (a multigraph counts every key)."""
        out = sum(len(keys) for keys in self._succ[node].values())
        return out + sum(len(keys) for keys in self._pred[node].values()) + len(self.hidden_in.get(node, ()))

    def in_edges(self, node: str, data: bool = False, keys: bool = False) -> list[tuple]:  # type: ignore[override]
        """The edges into *node*, those kept aside included (with empty data)."""
        found = [(source, node, key, attrs) for source, by_key in self._pred[node].items()
                 for key, attrs in by_key.items()]
        found += [(source, node, key, {}) for source, key in self.hidden_in.get(node, ())]
        return [(s, t, *((k,) if keys else ()), *((d,) if data else ())) for s, t, k, d in found]


class CompactGraph:
    """The knowledge graph of a corpus, held as rows (see the module docstring).

    Build one with :meth:`build`; the rules are those documented on
    :func:`kg.graph.build.build_graph`.
    """

    def __init__(self) -> None:
        self.papers: list[Paper] = []  # sorted by id, duplicates merged
        self.links: list[_Links] = []  # parallel to papers
        self.concepts: dict[str, dict[str, object]] = {}  # id -> node attributes, sorted by id
        self.repos: dict[str, RepoRef] = {}  # sorted by id

    # -- building -------------------------------------------------------------------------------
    @classmethod
    def build(
        cls, papers: Iterable[Paper], extractions: Iterable[PaperConcepts], *, infer_citations: bool = True
    ) -> CompactGraph:
        """Build the graph of *papers* from their *extractions* (consumed one at a time).

        Raises
        ------
        ValueError
            If an extraction names a paper that is not in *papers*.
        """
        with gc_paused():
            graph = cls()
            graph._build(papers, extractions, infer_citations)
            return graph

    def _build(self, papers: Iterable[Paper], extractions: Iterable[PaperConcepts], infer: bool) -> None:
        by_id: dict[str, Paper] = {}
        for paper in papers:
            by_id[paper.id] = by_id[paper.id].merged_with(paper) if paper.id in by_id else paper
        self.papers = [by_id[pid] for pid in sorted(by_id)]

        rows = _Rows()
        per_paper: dict[str, tuple[list[_Role], list[_Code]]] = {}
        for item in extractions:
            if item.id not in by_id:
                raise ValueError(f"extraction for unknown paper id {item.id!r} ({item.title!r})")
            per_paper[item.id] = rows.of(item, by_id[item.id])  # the extraction itself is not kept
        del by_id, rows

        concepts: dict[str, _ConceptAcc] = {}
        repos: dict[str, RepoRef] = {}
        roles_of: list[tuple[_Edge, ...]] = []
        code_of: list[tuple[_Code, ...]] = []
        for paper in self.papers:
            roles, code = per_paper.pop(paper.id, ((), ()))
            edges: list[_Edge] = []
            for row in roles:
                acc = concepts.get(row.concept)
                if acc is None:
                    acc = concepts[row.concept] = _ConceptAcc(kind=row.kind)
                acc.names[row.name] += 1
                acc.aliases.update(row.aliases)
                acc.aliases.update(row.texts)
                acc.papers += 1  # one row per concept per paper
                edges.append(_Edge(row.concept, row.rel, *row[6:]))
            kept: list[_Code] = []
            seen: set[str] = set()
            for code_row in code:
                repos.setdefault(code_row.repo.id, code_row.repo)
                if code_row.repo.id not in seen:  # one HAS_CODE edge per repo: the first one
                    seen.add(code_row.repo.id)
                    kept.append(code_row)
            roles_of.append(tuple(edges))
            code_of.append(tuple(kept))
        del per_paper

        for cid in sorted(concepts):
            acc = concepts.pop(cid)
            # The extractor gives one corpus-wide name; should it not, the most used (then smallest) wins.
            name = min(acc.names.items(), key=lambda item: (-item[1], item[0]))[0]
            self.concepts[cid] = {
                "id": cid,
                "label": _CONCEPT,
                "name": name,
                "kind": acc.kind,
                "aliases": sorted(a for a in acc.aliases if a and a != name),
                "paper_count": acc.papers,
            }
        self.repos = {rid: repos[rid] for rid in sorted(repos)}

        links: list[_Links] = []
        for paper, roles, code, (cites, missing) in zip(
            self.papers, roles_of, code_of, resolve_references(self.papers), strict=True
        ):
            refs = missing + find_author_year_citations(paper.abstract)
            links.append(_Links(roles, code, tuple(cites), (), tuple(dict.fromkeys(refs))))
        self.links = links
        if infer:
            self._infer_citations()

    def _infer_citations(self) -> None:
        concepts = self.concepts
        proposers: dict[str, set[str]] = {}
        for paper, links in zip(self.papers, self.links, strict=True):
            for row in links.roles:
                if row.rel == _PROPOSES and is_artifact(concepts[row.concept]["kind"]):  # type: ignore[arg-type]
                    proposers.setdefault(row.concept, set()).add(paper.id)
        year_of = {paper.id: paper.year for paper in self.papers}

        def names(concept: str) -> list[str]:
            data = concepts[concept]
            return [data["name"], *data["aliases"]]  # type: ignore[list-item,misc]

        cited = choose_proposers(proposers, names, year_of.__getitem__)
        citing = (
            CitingPaper(paper.id, paper.title or "", paper.abstract or "", paper.year,
                        [row.concept for row in links.roles if row.rel == _USES], links.cites)
            for paper, links in zip(self.papers, self.links, strict=True)
        )
        index = {paper.id: i for i, paper in enumerate(self.papers)}
        found: dict[int, list[tuple[str, str]]] = {}
        for paper, target, concept in infer_citations(citing, cited, proposers, names, year_of.__getitem__):
            found.setdefault(index[paper], []).append((target, inferred_source(concept)))
        for number, inferred in found.items():
            self.links[number] = self.links[number]._replace(inferred=tuple(inferred))

    # -- reading --------------------------------------------------------------------------------
    def nodes(self) -> Iterator[tuple[str, dict[str, object]]]:
        """``(id, attributes)`` of every node, sorted by id (attribute dicts are made on the fly)."""
        papers = ((paper.id, index) for index, paper in enumerate(self.papers))
        concepts = ((cid, -1) for cid in self.concepts)
        repos = ((rid, -2) for rid in self.repos)
        for node, where in sorted((*papers, *concepts, *repos)):
            yield node, self._attrs(node, where)

    def _attrs(self, node: str, where: int) -> dict[str, object]:
        if where >= 0:
            return paper_attributes(self.papers[where], list(self.links[where].unresolved))
        if where == -1:
            return self.concepts[node]
        ref = self.repos[node]
        return {"id": node, "label": _REPO, "url": ref.url, "host": ref.host, "owner": ref.owner,
                "name": ref.name}

    def out_edges(self, index: int) -> list[tuple[str, str, dict[str, object]]]:
        """``(target, key, attributes)`` of the edges leaving paper number *index*, by (target, key)."""
        links, paper = self.links[index], self.papers[index]
        edges = [(row.concept, row.rel, _role_attrs(row, paper)) for row in links.roles]
        edges += [(row.repo.id, _HAS_CODE, _code_attrs(row, paper)) for row in links.code]
        edges += [(target, _CITES, _cite_attrs(METADATA)) for target in links.cites]
        edges += [(target, _CITES, _cite_attrs(source)) for target, source in links.inferred]
        edges.sort(key=lambda edge: (edge[0], edge[1]))
        return edges

    def edges(self) -> Iterator[tuple[str, str, str, dict[str, object]]]:
        """``(source, target, key, attributes)`` of every edge, sorted by (source, target, key)."""
        for index, paper in enumerate(self.papers):  # every edge leaves a paper
            for target, key, attrs in self.out_edges(index):
                yield paper.id, target, key, attrs

    def counts(self) -> tuple[Counter[str], Counter[str]]:
        """Nodes per label and edges per type."""
        nodes: Counter[str] = Counter({_PAPER: len(self.papers)})
        if self.concepts:
            nodes[_CONCEPT] = len(self.concepts)
        if self.repos:
            nodes[_REPO] = len(self.repos)
        edges: Counter[str] = Counter()
        for links in self.links:
            for row in links.roles:
                edges[row.rel] += 1
            edges[_HAS_CODE] += len(links.code)
            edges[_CITES] += len(links.cites) + len(links.inferred)
        return +nodes, +edges

    def concept_kinds(self) -> Counter[str]:
        """Concepts per kind."""
        return Counter(str(data["kind"]) for data in self.concepts.values())

    # -- output ---------------------------------------------------------------------------------
    def save(self, directory: str | os.PathLike[str], *, inputs: Sequence[str] = ()) -> dict[str, Path]:
        """Write ``graph.json`` + ``manifest.json``, exactly as :func:`~kg.graph.persistence.save_graph`
        writes :meth:`to_networkx` (nodes and edges are serialised one at a time)."""
        nodes, edges = self.counts()
        return write_graph_files(
            directory, graph_lines({}, self.nodes(), self.edges()), node_counts=nodes, edge_counts=edges,
            inputs=inputs,
        )

    def to_networkx(self) -> nx.MultiDiGraph:
        """The same graph as a :class:`networkx.MultiDiGraph` (nodes and edges in building order)."""
        with gc_paused():
            graph = nx.MultiDiGraph()
            graph.add_nodes_from(
                (paper.id, paper_attributes(paper, list(links.unresolved)))
                for paper, links in zip(self.papers, self.links, strict=True)
            )
            graph.add_nodes_from(
                (cid, {**data, "aliases": list(data["aliases"])})  # type: ignore[call-overload]
                for cid, data in self.concepts.items()
            )
            graph.add_nodes_from((rid, self._attrs(rid, -2)) for rid in self.repos)
            pairs = list(zip(self.papers, self.links, strict=True))
            graph.add_edges_from(
                (paper.id, row.concept, row.rel, _role_attrs(row, paper))
                for paper, links in pairs for row in links.roles
            )
            graph.add_edges_from(
                (paper.id, row.repo.id, _HAS_CODE, _code_attrs(row, paper))
                for paper, links in pairs for row in links.code
            )
            graph.add_edges_from(
                (paper.id, target, _CITES, _cite_attrs(METADATA))
                for paper, links in pairs for target in links.cites
            )
            graph.add_edges_from(
                (paper.id, target, _CITES, _cite_attrs(source))
                for paper, links in pairs for target, source in links.inferred
            )
        return graph

    # -- the overview page ----------------------------------------------------------------------
    def overview(self, max_nodes: int | None = None) -> tuple[nx.MultiDiGraph, Any]:
        """The overview's selection and a small graph to draw it from.

        Returns ``(graph, spec)``: *spec* is what :func:`kg.views.overview_spec`
        selects from the whole graph; *graph* holds the selected nodes (with
        their properties), every edge touching them (properties only on the
        edges between two selected nodes) and the other ends as bare nodes —
        all :func:`kg.views.page.write_view` reads, so the page is the same
        as the one drawn from the whole graph.
        """
        from kg.schema import ConceptKind
        from kg.views.overview import overview_spec_of
        from kg.views.spec import DEFAULT_MAX_NODES, ViewError

        max_nodes = DEFAULT_MAX_NODES if max_nodes is None else max_nodes
        if max_nodes < 2:
            raise ViewError(f"max_nodes must be at least 2, got {max_nodes}")
        by_kind: dict[str, list[tuple[str, int]]] = {kind.value: [] for kind in ConceptKind}
        for cid, data in self.concepts.items():
            count = int(data["paper_count"])  # type: ignore[call-overload]
            if count:
                by_kind.setdefault(str(data.get("kind")), []).append((cid, count))
        queues = [sorted(items, key=lambda item: (-item[1], item[0])) for _, items in sorted(by_kind.items())]
        queues = [queue[::-1] for queue in queues if queue]  # popped from the end
        budget = max(1, max_nodes // 3)
        concepts: list[str] = []
        while len(concepts) < budget and any(queues):
            for queue in queues:
                if queue and len(concepts) < budget:
                    concepts.append(queue.pop()[0])

        chosen = set(concepts)
        papers_of: dict[str, list[str]] = {cid: [] for cid in concepts}
        links: Counter[str] = Counter()
        for paper, paper_links in zip(self.papers, self.links, strict=True):
            for row in paper_links.roles:
                if row.concept in chosen:
                    papers_of[row.concept].append(paper.id)
                    links[paper.id] += 1
        index = {paper.id: i for i, paper in enumerate(self.papers)}
        times_cited = Counter(target for target, _, _ in self._cited_by(set(links) if links else None))

        def degree(paper: str) -> int:
            paper_links = self.links[index[paper]]
            out = len(paper_links.roles) + len(paper_links.code) + len(paper_links.cites)
            return out + len(paper_links.inferred) + times_cited[paper]

        papers = sorted(links, key=lambda p: (-links[p], -degree(p), p))[: max_nodes - len(concepts)]
        shown_papers = set(papers)
        concepts = [c for c in concepts if any(p in shown_papers for p in papers_of[c])]
        if not papers:
            papers = sorted(index, key=lambda p: (-degree(p), p))[:max_nodes]
        kinds = Counter(str(self.concepts[c].get("kind")) for c in concepts)
        spec = overview_spec_of(concepts, papers, kinds, len(self.papers), len(self.concepts), max_nodes)
        return self._neighbourhood(concepts, papers, papers_of, index), spec

    def _cited_by(self, targets: set[str] | None) -> Iterator[tuple[str, str, str]]:
        """``(cited paper, citing paper, CITES source)`` for the papers in *targets* (all when ``None``)."""
        for paper, links in zip(self.papers, self.links, strict=True):
            for target in links.cites:
                if targets is None or target in targets:
                    yield target, paper.id, METADATA
            for target, source in links.inferred:
                if targets is None or target in targets:
                    yield target, paper.id, source

    def _neighbourhood(self, concepts: list[str], papers: list[str], papers_of: dict[str, list[str]],
                       index: dict[str, int]) -> nx.MultiDiGraph:
        shown = set(concepts) | set(papers)
        graph = _Neighbourhood()
        graph.add_nodes_from((concept, self._attrs(concept, -1)) for concept in concepts)
        graph.add_nodes_from((paper, self._attrs(paper, index[paper])) for paper in papers)

        def add(source: str, target: str, key: str, attrs: dict[str, object]) -> None:
            for node in (source, target):
                if node not in graph:
                    graph.add_node(node)
            graph.add_edge(source, target, key=key, **(attrs if source in shown and target in shown else {}))

        for paper in papers:
            for target, key, attrs in self.out_edges(index[paper]):
                add(paper, target, key, attrs)
        for target, source, how in self._cited_by(set(papers)):
            add(source, target, _CITES, _cite_attrs(how))
        for concept in concepts:
            hidden = graph.hidden_in[concept] = []
            for paper in papers_of[concept]:
                if paper not in shown:
                    row = next(r for r in self.links[index[paper]].roles if r.concept == concept)
                    hidden.append((paper, row.rel))
        return graph

    def render_overview(self, path: str | os.PathLike[str], max_nodes: int | None = None) -> Path:
        """Write the overview page to *path*: the page :func:`kg.views.render_overview` draws of
        :meth:`to_networkx`."""
        from kg.views.page import write_view

        graph, spec = self.overview(max_nodes)
        return write_view(graph, spec, path).path
