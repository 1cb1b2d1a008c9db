"""A small hand-built paper graph (per kg.schema) and fixtures serving it through the embedded engine.

Six papers, eight concepts, one repository, three citations — small enough
that every named query's exact answer can be worked out by hand:

============================  =====================================================  ====
paper                         concepts (role)                                        year
============================  =====================================================  ====
P1 InsertNeRF: …              PROPOSES InsertNeRF; USES ImageNet, LoRA; HAS_CODE repo  2024
P2 Diffusion Models for …     USES ImageNet, COCO, ADE20K, LoRA, SAM (model), semseg   2024
P3 Diffusion Policies …       USES COCO, LoRA, SAM (method); CITES P4                  2023
P4 Sharpness-Aware …          PROPOSES SAM (method); USES ImageNet, COCO               2022
P5 A Survey of Benchmarks     USES ImageNet, COCO, ADE20K, InsertNeRF, semseg; CITES P1  –
P6 Isolated Paper             nothing                                                  2021
============================  =====================================================  ====

P2 also CITES P4 (metadata); P5 → P1 is an inferred citation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import networkx as nx
import pytest

from kg.cypher.embedded import EmbeddedBackend
from kg.cypher.load import load_batches, schema_statements
from kg.graph.persistence import save_graph
from kg.schema import ConceptKind, Label, Rel, concept_id, repo_id

T = TypeVar("T")

P1, P2, P3, P4, P5, P6 = (
    "arxiv:2401.00001",
    "arxiv:2401.00002",
    "arxiv:2401.00003",
    "arxiv:2401.00004",
    "doi:10.1000/survey",
    "arxiv:2401.00006",
)
TITLES = {
    P1: "InsertNeRF: Instilling Generalizability into NeRF",
    P2: "Diffusion Models for Segmentation",
    P3: "Diffusion Policies for Robots",
    P4: "Sharpness-Aware Minimization Revisited",
    P5: "A Survey of Benchmarks",
    P6: "Isolated Paper",
}
YEARS = {P1: 2024, P2: 2024, P3: 2023, P4: 2022, P5: None, P6: 2021}

IMAGENET = concept_id(ConceptKind.DATASET, "ImageNet")
COCO = concept_id(ConceptKind.DATASET, "COCO")
ADE20K = concept_id(ConceptKind.DATASET, "ADE20K")
LORA = concept_id(ConceptKind.METHOD, "LoRA")
SAM_METHOD = concept_id(ConceptKind.METHOD, "SAM")
SAM_MODEL = concept_id(ConceptKind.MODEL, "SAM")
INSERTNERF = concept_id(ConceptKind.MODEL, "InsertNeRF")
SEMSEG = concept_id(ConceptKind.TASK, "semantic segmentation")
REPO = repo_id("github.com", "example", "InsertNeRF")

CONCEPTS = {
    IMAGENET: ("ImageNet", ConceptKind.DATASET, ["ILSVRC", "ImageNet-1k"]),
    COCO: ("COCO", ConceptKind.DATASET, ["MS-COCO"]),
    ADE20K: ("ADE20K", ConceptKind.DATASET, []),
    LORA: ("LoRA", ConceptKind.METHOD, ["Low-Rank Adaptation"]),
    SAM_METHOD: ("SAM", ConceptKind.METHOD, ["Sharpness-Aware Minimization"]),
    SAM_MODEL: ("SAM", ConceptKind.MODEL, ["Segment Anything Model"]),
    INSERTNERF: ("InsertNeRF", ConceptKind.MODEL, []),
    SEMSEG: ("semantic segmentation", ConceptKind.TASK, []),
}

ROLES = {
    P1: {INSERTNERF: Rel.PROPOSES, IMAGENET: Rel.USES, LORA: Rel.USES},
    P2: {
        IMAGENET: Rel.USES,
        COCO: Rel.USES,
        ADE20K: Rel.USES,
        LORA: Rel.USES,
        SAM_MODEL: Rel.USES,
        SEMSEG: Rel.USES,
    },
    P3: {COCO: Rel.USES, LORA: Rel.USES, SAM_METHOD: Rel.USES},
    P4: {SAM_METHOD: Rel.PROPOSES, IMAGENET: Rel.USES, COCO: Rel.USES},
    P5: {IMAGENET: Rel.USES, COCO: Rel.USES, ADE20K: Rel.USES, INSERTNERF: Rel.USES, SEMSEG: Rel.USES},
    P6: {},
}
CITATIONS = [(P2, P4, "metadata"), (P3, P4, "metadata"), (P5, P1, f"inferred:{INSERTNERF}")]


def build_corpus_graph() -> nx.MultiDiGraph:
    """The hand-built graph, with the node and edge attributes kg.graph.build writes."""
    graph = nx.MultiDiGraph()
    for paper_id, title in TITLES.items():
        graph.add_node(
            paper_id,
            id=paper_id,
            label=Label.PAPER.value,
            title=title,
            abstract=f"Abstract of {title}.",
            year=YEARS[paper_id],
            url=None,
            arxiv_id=paper_id.removeprefix("arxiv:") if paper_id.startswith("arxiv:") else None,
            doi=paper_id.removeprefix("doi:") if paper_id.startswith("doi:") else None,
            authors=["A. Author", "B. Author"],
            source="test",
            unresolved_refs=[],
        )
    for cid, (name, kind, aliases) in CONCEPTS.items():
        papers = sum(1 for roles in ROLES.values() if cid in roles)
        graph.add_node(
            cid,
            id=cid,
            label=Label.CONCEPT.value,
            name=name,
            kind=kind.value,
            aliases=aliases,
            paper_count=papers,
        )
    graph.add_node(
        REPO,
        id=REPO,
        label=Label.REPO.value,
        url="https://github.com/example/InsertNeRF",
        host="github.com",
        owner="example",
        name="InsertNeRF",
    )
    for paper_id, roles in ROLES.items():
        for cid, rel in roles.items():
            graph.add_edge(
                paper_id,
                cid,
                key=rel.value,
                type=rel.value,
                evidence=f"{TITLES[paper_id]} mentions {CONCEPTS[cid][0]}.",
                field="abstract",
                start=0,
                end=len(CONCEPTS[cid][0]),
                rule="gazetteer",
                confidence=0.9,
                mentions=1,
            )
    graph.add_edge(
        P1, REPO, key=Rel.HAS_CODE.value, type=Rel.HAS_CODE.value, evidence="code", field="abstract"
    )
    for src, dst, source in CITATIONS:
        graph.add_edge(src, dst, key=Rel.CITES.value, type=Rel.CITES.value, source=source)
    return graph


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A graph directory holding the hand-built graph, saved with kg.graph.persistence."""
    directory = tmp_path_factory.mktemp("corpus") / "kg-out"
    save_graph(build_corpus_graph(), directory)
    return directory


@pytest.fixture(scope="session")
def backend(corpus_dir: Path) -> Iterator[EmbeddedBackend]:
    """The embedded engine on the hand-built graph, opened once for the test session."""
    engine = EmbeddedBackend(corpus_dir)
    yield engine
    engine.close()


def stored_content(engine: EmbeddedBackend) -> tuple[list[object], list[object], list[object]]:
    """Types, indexes, vertices and edges as the engine stores them, with each value's Java class."""
    java_db = engine._db._java_db  # the record API: shows the stored Java types that results hide

    def record(document: object) -> dict[str, tuple[str, str]]:
        return {
            name: (str(document.get(name).getClass().getName()), str(document.get(name)))
            for name in sorted(str(name) for name in document.getPropertyNames())
        }

    schema = java_db.getSchema()
    types = sorted(
        (str(t.getName()), sorted(str(p) for p in t.getSuperTypes()), str(t.getClass().getSimpleName()))
        for t in schema.getTypes()
    )
    indexes = sorted(
        (str(i.getTypeName()), [str(p) for p in i.getPropertyNames()], bool(i.isUnique()))
        for i in schema.getIndexes()
        if i.getTypeName() is not None and "#" not in str(i.getName())
    )
    vertices, edges = [], []
    for vertex_type in ("Paper", "Concept", "Repo"):
        for vertex in java_db.iterateType(vertex_type, True):
            vertex = vertex.asVertex()
            vertices.append((str(vertex.getTypeName()), str(vertex.getIdentity()), record(vertex)))
            for edge in vertex.getEdges(vertex.DIRECTION.OUT):
                edges.append(
                    (
                        str(edge.getTypeName()),
                        int(edge.getIdentity().getPosition()),  # its bucket depends on when the type was made
                        str(edge.getOutVertex().get("id")),
                        str(edge.getInVertex().get("id")),
                        record(edge),
                    )
                )
    return [types, indexes], sorted(vertices, key=repr), sorted(edges, key=repr)


def content_made_by_cypher(graph: nx.MultiDiGraph, directory: Path, batch_size: int):
    """:func:`stored_content` of a database made in *directory* by the Cypher statements alone
    (schema, then ``load_batches(into_empty=True)``), reopened as a rebuilt database is."""
    with EmbeddedBackend(directory, refresh=False) as created:
        created.run_many([(statement, {}) for statement in schema_statements()])
        for statement, rows in load_batches(graph, batch_size=batch_size, into_empty=True):
            created.run_many([(statement, {"rows": rows})])
    with EmbeddedBackend(directory, refresh=False) as created:
        return stored_content(created)


def edge_lists(engine: EmbeddedBackend) -> dict[str, tuple[list[object], list[object]]]:
    """Every vertex's outgoing and incoming edges by vertex id, as queries see them.

    Each edge is ``(type, id of the far end, properties with each value's Java
    class)``; both lists are sorted, since no query result depends on the
    order of a vertex's edges without an ``ORDER BY``.
    """
    java_db = engine._db._java_db

    def edge_record(edge: object, far: object) -> tuple[str, str, list[tuple[str, str, str]]]:
        props = sorted(
            (str(name), str(edge.get(name).getClass().getName()), str(edge.get(name)))
            for name in edge.getPropertyNames()
        )
        return str(edge.getTypeName()), str(far.get("id")), props

    lists: dict[str, tuple[list[object], list[object]]] = {}
    for vertex_type in ("Paper", "Concept", "Repo"):
        for vertex in java_db.iterateType(vertex_type, True):
            vertex = vertex.asVertex()
            out = sorted(edge_record(e, e.getInVertex()) for e in vertex.getEdges(vertex.DIRECTION.OUT))
            into = sorted(edge_record(e, e.getOutVertex()) for e in vertex.getEdges(vertex.DIRECTION.IN))
            lists[str(vertex.get("id"))] = (out, into)
    return lists


def made_by_cypher(
    graph: nx.MultiDiGraph, directory: Path, batch_size: int, read: Callable[[EmbeddedBackend], T]
) -> T:
    """*read* of a database made in *directory* by the Cypher statements alone, as in
    :func:`content_made_by_cypher`."""
    with EmbeddedBackend(directory, refresh=False) as created:
        created.run_many([(statement, {}) for statement in schema_statements()])
        for statement, rows in load_batches(graph, batch_size=batch_size, into_empty=True):
            created.run_many([(statement, {"rows": rows})])
    with EmbeddedBackend(directory, refresh=False) as created:
        return read(created)
