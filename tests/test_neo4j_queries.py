"""Every named query runs unchanged over Bolt and returns exactly the embedded engine's rows.

The same graph goes into the embedded engine (in this process) and, through
``Neo4jBackend.load_graph`` and the official driver, into a real Bolt server
(ArcadeDB in a child process). Each query of the library then runs on both
with the same parameters; columns and rows must be identical. Two graphs: a
small hand-made one with exact expected rows, and the graph ``kg build``
makes from the sample corpus.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from benchmarks.bolt_server import BoltServer
from kg.cypher.embedded import EmbeddedBackend
from kg.cypher.named import run_named
from kg.cypher.neo4j_backend import Neo4jBackend
from kg.graph.persistence import load_graph, save_graph
from kg.schema import ConceptKind, Rel, concept_id
from queries import list_queries
from tests.bolt_graph import small_graph

pytest_plugins = ["tests.bolt_fixtures"]

pytestmark = pytest.mark.bolt

ROOT = Path(__file__).resolve().parent.parent
QUERY_NAMES = [query.name for query in list_queries()]

P1, P2, P3, P4 = "arxiv:2401.00001", "arxiv:2401.00002", "arxiv:2312.00003", "title:an-older-paper"

#: Parameters per query on the small graph (chosen so that every query returns rows).
SMALL_PARAMS: dict[str, dict[str, Any]] = {
    "citations": {"paper": P1},
    "concept-cooccurrence": {"concept": "ImageNet"},
    "paper-concepts": {"paper": "CLIP-Lite"},
    "papers-sharing-datasets": {"paper": P2},
    "papers-sharing-methods": {"paper": P3},
    "papers-using-concept": {"concept": "imagenet"},
    "path-between-papers": {"source": P3, "target": P4},
    "resolve-concept": {"name": "low-rank adaptation"},
    "resolve-paper": {"name": "robust"},
    "similar-papers": {"paper": P1},
    "top-concepts": {"kind": "dataset"},
}

#: Exact rows (over Bolt) for some queries on the small graph.
SMALL_EXPECTED: dict[str, list[list[Any]]] = {
    "papers-sharing-datasets": [
        [P3, "Distilling CLIP with LoRA", 1, ["ImageNet"]],
        [P1, "CLIP-Lite: Small Vision-Language Models", 1, ["ImageNet"]],
    ],
    "papers-sharing-methods": [[P2, "Robust Fine-Tuning on Waterbirds", 1, ["LoRA"]]],
    "citations": [
        ["cited-by", P3, "Distilling CLIP with LoRA", 2023, "metadata"],
    ],
    "path-between-papers": [
        [
            3,
            [
                "Distilling CLIP with LoRA",
                "ImageNet",
                "Robust Fine-Tuning on Waterbirds",
                "An older paper with 'quotes' and \"double quotes\"",
            ],
            ["USES", "USES", "CITES"],
            [P3, "concept:dataset:imagenet", P2, P4],
        ],
        [
            3,
            [
                "Distilling CLIP with LoRA",
                "LoRA",
                "Robust Fine-Tuning on Waterbirds",
                "An older paper with 'quotes' and \"double quotes\"",
            ],
            ["USES", "USES", "CITES"],
            [P3, "concept:method:lora", P2, P4],
        ],
    ],
    "resolve-concept": [["concept:method:lora", "LoRA", "Method", 3]],
    "top-concepts": [
        ["concept:dataset:imagenet", "ImageNet", "Dataset", 3],
        ["concept:dataset:waterbirds", "Waterbirds", "Dataset", 1],
    ],
}


def query_graph() -> nx.MultiDiGraph:
    """The small graph plus one more USES edge, so that two papers share a method."""
    graph = small_graph()
    lora = concept_id(ConceptKind.METHOD, "LoRA")
    graph.add_edge(
        P2,
        lora,
        key=str(Rel.USES),
        type=str(Rel.USES),
        evidence="LoRA",
        field="abstract",
        start=3,
        end=7,
        rule="test",
        confidence=0.5,
        mentions=1,
    )
    graph.nodes[lora]["paper_count"] = 2
    return graph


def sample_params(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Parameters for every query on a built graph, picked from its structure (deterministically)."""

    def concepts_of(paper: str, kind: str | None = None) -> set[str]:
        return {
            dst
            for _, dst, rel in graph.out_edges(paper, keys=True)
            if rel in ("PROPOSES", "USES") and (kind is None or graph.nodes[dst].get("kind") == kind)
        }

    papers = sorted(n for n, label in graph.nodes(data="label") if label == "Paper")
    concepts = sorted(n for n, label in graph.nodes(data="label") if label == "Concept")

    def sharing(paper: str, kind: str | None) -> int:
        mine = concepts_of(paper, kind)
        return sum(1 for other in papers if other != paper and mine & concepts_of(other, kind))

    top_paper = max(papers, key=lambda p: (sharing(p, None), p))
    dataset_paper = max(papers, key=lambda p: (sharing(p, "Dataset"), p))
    method_paper = max(papers, key=lambda p: (sharing(p, "Method"), p))
    cited_paper = max(
        papers,
        key=lambda p: (
            graph.degree(p)
            if any(
                rel == "CITES" for *_, rel in [*graph.in_edges(p, keys=True), *graph.out_edges(p, keys=True)]
            )
            else -1,
            p,
        ),
    )
    top_concept = max(concepts, key=lambda c: (graph.in_degree(c), c))
    undirected = nx.Graph(graph.to_undirected(as_view=True))
    distances = nx.single_source_shortest_path_length(undirected, top_paper, cutoff=4)
    far = sorted(p for p, d in distances.items() if d == max(distances.values()) and p in set(papers))
    target = far[0] if far else papers[0]
    return {
        "citations": {"paper": cited_paper},
        "concept-cooccurrence": {"concept": top_concept},
        "paper-concepts": {"paper": top_paper},
        "papers-sharing-datasets": {"paper": dataset_paper},
        "papers-sharing-methods": {"paper": method_paper},
        "papers-using-concept": {"concept": top_concept},
        "path-between-papers": {"source": top_paper, "target": target},
        "resolve-concept": {"name": graph.nodes[top_concept]["name"][:3]},
        "resolve-paper": {"name": graph.nodes[top_paper]["title"].split()[0]},
        "similar-papers": {"paper": top_paper},
        "top-concepts": {},
    }


def fallback_params(name: str) -> dict[str, Any]:
    """Parameters for a query added to the library after this test was written: its required ones."""
    values = {"paper": P1, "concept": "ImageNet", "string": "a", "int": 5, "float": 1.0, "bool": True}
    query = next(q for q in list_queries() if q.name == name)
    return {p.name: values[p.type] for p in query.params if p.required}


def build_sample_graph(directory: Path) -> None:
    """``kg build data/sample -o directory``, as a user would run it."""
    script = Path(sys.executable).with_name("kg")
    command = [str(script)] if script.exists() else [shutil.which("kg") or "kg"]
    result = subprocess.run(
        [*command, "build", str(ROOT / "data" / "sample"), "-o", str(directory)],
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr


class Engines:
    """The same graph in the embedded engine and on the Bolt server, with parameters for each query."""

    def __init__(self, name: str, embedded: EmbeddedBackend, bolt: Neo4jBackend, params: dict[str, dict]):
        self.name = name
        self.embedded = embedded
        self.bolt = bolt
        self.params = params


@pytest.fixture(scope="module", params=["small", "sample"])
def engines(
    request: pytest.FixtureRequest, bolt_server: BoltServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engines]:
    directory = tmp_path_factory.mktemp(f"graph-{request.param}")
    if request.param == "small":
        graph = query_graph()
        save_graph(graph, directory, inputs=["test"])
        params = SMALL_PARAMS
    else:
        build_sample_graph(directory)
        graph = load_graph(directory)
        params = sample_params(graph)
    bolt = Neo4jBackend.from_settings(
        bolt_server.uri, bolt_server.user, bolt_server.password, bolt_server.database
    )
    embedded = EmbeddedBackend(directory)
    try:
        bolt.wipe()
        bolt.load_graph(graph)
        yield Engines(request.param, embedded, bolt, params)
    finally:
        embedded.close()
        bolt.wipe()
        bolt.close()


def test_both_engines_hold_the_same_graph(engines: Engines) -> None:
    count_nodes = "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label"
    count_rels = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"
    for query in (count_nodes, count_rels):
        assert engines.bolt.run(query).rows == engines.embedded.run(query).rows


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_named_query_gives_the_same_rows_on_both_engines(engines: Engines, name: str) -> None:
    params = engines.params.get(name) or fallback_params(name)
    over_bolt = run_named(engines.bolt, name, params)
    embedded = run_named(engines.embedded, name, params)
    assert over_bolt.columns == embedded.columns
    assert over_bolt.rows == embedded.rows
    if name in engines.params:  # parameters were chosen so that the query finds something
        assert over_bolt.rows, f"{name} found nothing on the {engines.name} graph with {params}"
    if engines.name == "small" and name in SMALL_EXPECTED:
        assert over_bolt.rows == SMALL_EXPECTED[name]


def test_every_query_has_chosen_parameters() -> None:
    assert sorted(SMALL_PARAMS) == QUERY_NAMES
