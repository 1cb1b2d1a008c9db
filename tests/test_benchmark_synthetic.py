"""The benchmarks' synthetic graph generator: deterministic, schema-valid, shaped as each benchmark needs."""

from __future__ import annotations

import pytest

from benchmarks.synthetic import LOAD_SHAPE, QUERY_SHAPE, synthetic_graph
from kg.cypher.load import graph_counts, load_batches


def _dump(graph):
    return list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))


@pytest.mark.parametrize("shape", [LOAD_SHAPE, QUERY_SHAPE.with_options(concepts=40)])
def test_same_seed_same_graph_other_seed_other_graph(shape) -> None:
    assert _dump(synthetic_graph(200, shape, seed=3)) == _dump(synthetic_graph(200, shape, seed=3))
    assert _dump(synthetic_graph(200, shape, seed=3)) != _dump(synthetic_graph(200, shape, seed=4))


def test_load_shape_fills_every_property_and_every_relationship_type() -> None:
    graph = synthetic_graph(1000, LOAD_SHAPE)
    nodes, rels = graph_counts(graph)
    assert nodes["Paper"] == 1000 and nodes["Concept"] == 300
    assert 200 <= nodes["Repo"] <= 300 and rels["HAS_CODE"] == nodes["Repo"]
    assert set(rels) == {"CITES", "HAS_CODE", "PROPOSES", "USES"}
    assert 4000 <= rels["PROPOSES"] + rels["USES"] <= 5000  # 5 draws per paper, duplicates merged
    paper = graph.nodes["arxiv:2000.00000"]
    assert len(paper["abstract"]) > 900 and len(paper["authors"]) == 4
    counts = {cid: data["paper_count"] for cid, data in graph.nodes(data=True) if data["label"] == "Concept"}
    assert counts == {cid: graph.in_degree(cid) for cid in counts}
    assert max(counts.values()) > 10 * (sum(counts.values()) / len(counts))  # Zipf-like: a few hubs
    assert sum(1 for _ in load_batches(graph)) > 0  # every node has a label, every edge a type


def test_query_shape_is_light_with_a_fixed_concept_count() -> None:
    graph = synthetic_graph(300, QUERY_SHAPE.with_options(concepts=50, draws=4), seed=1)
    nodes, rels = graph_counts(graph)
    assert nodes == {"Concept": 50, "Paper": 300}
    assert "HAS_CODE" not in rels
    assert graph.nodes["arxiv:2000.00000"]["abstract"] == ""
    assert graph.nodes["arxiv:2000.00000"]["id"] == "arxiv:2000.00000"
    for cid, attrs in graph.nodes(data=True):
        if attrs["label"] == "Concept":
            assert attrs["paper_count"] == graph.in_degree(cid)


def test_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match="papers must be >= 0, got -1"):
        synthetic_graph(-1)
