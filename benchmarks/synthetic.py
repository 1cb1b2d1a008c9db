"""Synthetic paper graphs for the benchmarks, generated straight from :mod:`kg.schema` with a fixed seed.

One generator, two shapes, so every benchmark draws its graph the same way:

* :data:`LOAD_SHAPE` (``benchmarks.neo4j_load``) — the sample corpus scaled up:
  every paper property filled (abstracts of ~1,100 characters, authors),
  0.3 concepts per paper, ~5 PROPOSES/USES edges per paper with evidence,
  a code repository for a quarter of the papers, citations for a third;
* :data:`QUERY_SHAPE` (``benchmarks.query_latency``) — the query workload:
  light papers (title and year), 50,000 concepts, ~10 edges per paper over a
  flatter popularity curve (a few hubs in ~5 % of the papers and a long tail),
  citations for half of the papers.

Concept popularity is Zipf-like: concept *r* (0-based) is drawn with weight
``1 / (r + 1) ** exponent``. The same shape, size and seed give the same graph
(node and edge order included), so a saved graph is byte-identical between runs.
"""

from __future__ import annotations

import bisect
import random
import re
from dataclasses import dataclass, replace
from itertools import accumulate

import networkx as nx

from kg.schema import ConceptKind, Label, Rel, concept_id, repo_id

__all__ = ["LOAD_SHAPE", "QUERY_SHAPE", "Shape", "synthetic_graph"]

KINDS = (ConceptKind.DATASET, ConceptKind.MODEL, ConceptKind.METHOD, ConceptKind.TASK)

#: Vocabulary of the synthetic abstracts, titles and evidence snippets.
WORDS = re.findall(
    r"\w+",
    "we propose a simple method for robust training of large models that improves accuracy on several "
    "benchmarks while reducing compute our experiments show consistent gains across tasks and datasets "
    "with analysis of failure modes and ablations of each component",
)


@dataclass(frozen=True)
class Shape:
    """How a synthetic graph looks, per paper; see :data:`LOAD_SHAPE` and :data:`QUERY_SHAPE`.

    Attributes
    ----------
    concepts_per_paper:
        Concepts as a share of the papers (used when no fixed ``concepts`` count is given).
    concepts:
        A fixed number of concepts, or ``None`` for ``concepts_per_paper`` × papers.
    exponent:
        Zipf exponent of concept popularity (higher: more concentrated on hubs).
    draws:
        Concept draws per paper (duplicates merged, so slightly fewer edges).
    proposes_share:
        Chance that a paper's first concept is PROPOSES instead of USES.
    repo_share:
        Share of papers with a code repository (HAS_CODE).
    cite_share:
        Share of papers citing one earlier paper (CITES).
    full_text:
        Every paper property (abstract, authors, url…) and evidence on every
        edge, as ``kg build`` writes them; otherwise light nodes and edges.
    ids_per_year:
        Papers per synthetic arXiv year: ids run ``arxiv:2000.00000``, ….
    name_separator:
        Between a concept's kind and its number in its name.
    """

    concepts_per_paper: float = 0.3
    concepts: int | None = None
    exponent: float = 0.9
    draws: int = 5
    proposes_share: float = 0.3
    repo_share: float = 0.25
    cite_share: float = 0.33
    full_text: bool = True
    ids_per_year: int = 100_000
    name_separator: str = " "

    def with_options(self, **changes: object) -> Shape:
        """A copy with some fields changed (command-line options)."""
        return replace(self, **changes)  # type: ignore[arg-type]


#: The Neo4j loader benchmark's graph: the sample corpus scaled up, every property filled.
LOAD_SHAPE = Shape()

#: The query latency benchmark's graph: light papers, 50,000 concepts, ~10 edges per paper.
QUERY_SHAPE = Shape(
    concepts=50_000,
    exponent=0.6,
    draws=10,
    proposes_share=0.1,
    repo_share=0.0,
    cite_share=0.5,
    full_text=False,
    ids_per_year=10_000,
    name_separator="-",
)


def synthetic_graph(papers: int, shape: Shape = LOAD_SHAPE, seed: int = 7) -> nx.MultiDiGraph:
    """A paper graph of *papers* papers drawn with *shape* (deterministic for *seed*).

    Concepts come first (their ``paper_count`` is filled in at the end), then
    each paper with its PROPOSES/USES edges, its repository and its citation.
    """
    if papers < 0:
        raise ValueError(f"papers must be >= 0, got {papers}")
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    concepts = shape.concepts
    if concepts is None:
        concepts = max(10, int(papers * shape.concepts_per_paper))
    concept_ids: list[str] = []
    for index in range(concepts):
        kind = KINDS[index % len(KINDS)]
        name = f"{kind.value}{shape.name_separator}{index}"
        cid = concept_id(kind, name)
        concept_ids.append(cid)
        aliases = [f"{name} (alias)"] if shape.full_text else []
        attrs = {"id": cid} if not shape.full_text else {}
        graph.add_node(
            cid, **attrs, label=str(Label.CONCEPT), name=name, kind=str(kind), aliases=aliases, paper_count=0
        )
    weights = list(accumulate(1.0 / (rank + 1) ** shape.exponent for rank in range(concepts)))
    total = weights[-1] if weights else 0.0
    paper_ids: list[str] = []
    for index in range(papers):
        pid = f"arxiv:{2000 + index // shape.ids_per_year:04d}.{index % shape.ids_per_year:05d}"
        paper_ids.append(pid)
        if shape.full_text:
            abstract = " ".join(rng.choice(WORDS) for _ in range(170)).capitalize() + "."
            graph.add_node(
                pid,
                label=str(Label.PAPER),
                title=f"Synthetic paper {index}: {' '.join(rng.sample(WORDS, 6))}",
                abstract=abstract,
                year=2015 + index * 10 // papers,
                url=f"https://arxiv.org/abs/{pid[6:]}",
                arxiv_id=pid[6:],
                doi=None,
                authors=[f"Author {rng.randrange(50000)}" for _ in range(4)],
                source="synthetic",
                unresolved_refs=[],
            )
        else:
            graph.add_node(
                pid,
                id=pid,
                label=str(Label.PAPER),
                title=f"Synthetic paper {index} on topic {rng.randrange(1000)}",
                abstract="",
                year=2015 + index % 10,
            )
        chosen = sorted(
            {concept_ids[bisect.bisect_left(weights, rng.random() * total)] for _ in range(shape.draws)}
        )
        for n, cid in enumerate(chosen):
            rel = Rel.PROPOSES if n == 0 and rng.random() < shape.proposes_share else Rel.USES
            if shape.full_text:
                graph.add_edge(
                    pid,
                    cid,
                    key=str(rel),
                    type=str(rel),
                    evidence=" ".join(rng.sample(WORDS, 12)),
                    field="abstract",
                    start=rng.randrange(900),
                    end=rng.randrange(900, 1100),
                    rule="gazetteer",
                    confidence=0.9,
                    mentions=1,
                )
            else:
                graph.add_edge(pid, cid, key=str(rel), type=str(rel), rule="synthetic", confidence=0.9)
        if shape.repo_share and rng.random() < shape.repo_share:
            owner = f"owner{index % 9973}"
            rid = repo_id("github.com", owner, f"repo{index}")
            graph.add_node(
                rid,
                label=str(Label.REPO),
                url=f"https://github.com/{owner}/repo{index}",
                host="github.com",
                owner=owner,
                name=f"repo{index}",
            )
            graph.add_edge(
                pid,
                rid,
                key=str(Rel.HAS_CODE),
                type=str(Rel.HAS_CODE),
                evidence=None,
                field="abstract",
                start=1000,
                end=1040,
            )
        if index and rng.random() < shape.cite_share:
            cited = paper_ids[rng.randrange(index)]
            graph.add_edge(pid, cited, key=str(Rel.CITES), type=str(Rel.CITES), source="metadata")
    for cid in concept_ids:
        graph.nodes[cid]["paper_count"] = graph.in_degree(cid)
    return graph
