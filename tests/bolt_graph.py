"""A small paper graph for the Neo4j backend tests: every label, concept kind and relationship type."""

from __future__ import annotations

import networkx as nx

from kg.schema import ConceptKind, Label, Rel, concept_id, repo_id


def small_graph() -> nx.MultiDiGraph:
    """A small paper graph with every label, concept kind and relationship type of the schema.

    4 papers, 5 concepts (2 datasets, 1 model, 1 method, 1 task), 1 repo;
    8 PROPOSES/USES + 1 HAS_CODE + 2 CITES = 11 relationships.
    """
    graph = nx.MultiDiGraph()
    papers = {
        "arxiv:2401.00001": ("CLIP-Lite: Small Vision-Language Models", 2024, ["A. Author", "B. Author"]),
        "arxiv:2401.00002": ("Robust Fine-Tuning on Waterbirds", 2024, ["C. Author"]),
        "arxiv:2312.00003": ("Distilling CLIP with LoRA", 2023, []),
        "title:an-older-paper": ("An older paper with 'quotes' and \"double quotes\"", None, ["D. O'Brien"]),
    }
    for pid, (title, year, authors) in papers.items():
        graph.add_node(
            pid,
            label=str(Label.PAPER),
            title=title,
            abstract=f"Abstract of {title}. We evaluate on ImageNet.",
            year=year,
            url=f"https://example.org/{pid}",
            arxiv_id=pid.removeprefix("arxiv:") if pid.startswith("arxiv:") else None,
            doi=None,
            authors=authors,
            source="test",
            unresolved_refs=[],
        )
    concepts = [
        (ConceptKind.DATASET, "ImageNet", ["ILSVRC"]),
        (ConceptKind.DATASET, "Waterbirds", []),
        (ConceptKind.MODEL, "CLIP-Lite", []),
        (ConceptKind.METHOD, "LoRA", ["Low-Rank Adaptation"]),
        (ConceptKind.TASK, "domain generalization", []),
    ]
    for kind, name, aliases in concepts:
        graph.add_node(
            concept_id(kind, name),
            label=str(Label.CONCEPT),
            name=name,
            kind=str(kind),
            aliases=aliases,
            paper_count=0,
        )
    rid = repo_id("github.com", "example", "clip-lite")
    graph.add_node(
        rid,
        label=str(Label.REPO),
        url="https://github.com/example/clip-lite",
        host="github.com",
        owner="example",
        name="clip-lite",
    )
    p1, p2, p3, p4 = papers
    imagenet = concept_id(ConceptKind.DATASET, "ImageNet")
    waterbirds = concept_id(ConceptKind.DATASET, "Waterbirds")
    clip = concept_id(ConceptKind.MODEL, "CLIP-Lite")
    lora = concept_id(ConceptKind.METHOD, "LoRA")
    dg = concept_id(ConceptKind.TASK, "domain generalization")
    role_edges = [
        (p1, clip, Rel.PROPOSES, 0.95),
        (p1, imagenet, Rel.USES, 0.9),
        (p2, waterbirds, Rel.USES, 0.9),
        (p2, imagenet, Rel.USES, 0.8),
        (p2, dg, Rel.USES, 0.7),
        (p3, clip, Rel.USES, 0.85),
        (p3, lora, Rel.USES, 0.9),
        (p3, imagenet, Rel.USES, 0.6),
    ]
    for src, dst, rel, confidence in role_edges:
        graph.add_edge(
            src,
            dst,
            key=str(rel),
            type=str(rel),
            evidence="… evidence …",
            field="abstract",
            start=0,
            end=8,
            rule="test",
            confidence=confidence,
            mentions=1,
        )
    graph.add_edge(
        p1,
        rid,
        key=str(Rel.HAS_CODE),
        type=str(Rel.HAS_CODE),
        evidence=None,
        field="abstract",
        start=10,
        end=44,
    )
    graph.add_edge(p3, p1, key=str(Rel.CITES), type=str(Rel.CITES), source="metadata")
    graph.add_edge(p2, p4, key=str(Rel.CITES), type=str(Rel.CITES), source=f"inferred:{clip}")
    for node, attrs in graph.nodes(data=True):
        if attrs["label"] == Label.CONCEPT:
            attrs["paper_count"] = len({src for src, _ in graph.in_edges(node)})
    return graph


SMALL_NODES = {"Concept": 5, "Paper": 4, "Repo": 1}
SMALL_RELS = {"CITES": 2, "HAS_CODE": 1, "PROPOSES": 1, "USES": 7}
