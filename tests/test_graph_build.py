"""Graph building from a hand-built corpus: exact nodes, edges and properties."""

from __future__ import annotations

import pytest

from extractors.types import PaperConcepts
from kg.graph import build_graph, graphs_equal
from kg.records import Paper
from kg.schema import NODE_PROPERTIES, REL_PROPERTIES, Label, Rel
from tests.graph_corpus import BIRDS, EDIT, INSERT, PAPERS, SCALE, entity, extractions

INSERT_ID, EDIT_ID, BIRDS_ID, SCALE_ID, OTHER_ID = (p.id for p in PAPERS)
LLFF, WATERBIRDS = "concept:dataset:llff", "concept:dataset:waterbirds"
INSERTNERF = "concept:method:insertnerf"
CLIP, FOONET, REPO = "concept:model:clip", "concept:model:foonet", "repo:github.com/bbbbby-99/insertnerf"


@pytest.fixture(scope="module")
def graph():
    return build_graph(PAPERS, extractions())


def test_nodes_are_exactly_the_papers_concepts_and_repos(graph):
    assert sorted(graph.nodes(data="label")) == [
        ("arxiv:2301.00001", "Paper"),
        ("arxiv:2402.00002", "Paper"),
        (LLFF, "Concept"),
        (WATERBIRDS, "Concept"),
        (INSERTNERF, "Concept"),
        (CLIP, "Concept"),
        (FOONET, "Concept"),
        ("doi:10.1000/xyz.1", "Paper"),
        (REPO, "Repo"),
        (OTHER_ID, "Paper"),
        (BIRDS_ID, "Paper"),
    ]


def test_every_node_and_edge_has_exactly_the_schema_properties(graph):
    for node, data in graph.nodes(data=True):
        assert set(data) == {"label", *NODE_PROPERTIES[Label(data["label"])]}, node
        assert data["id"] == node
    for *_, key, data in graph.edges(keys=True, data=True):
        assert set(data) == {"type", *REL_PROPERTIES[Rel(key)]}
        assert data["type"] == key


def test_edges_are_exactly_the_expected_ones(graph):
    assert sorted(graph.edges(keys=True)) == [
        (INSERT_ID, LLFF, "USES"),
        (INSERT_ID, INSERTNERF, "PROPOSES"),
        (INSERT_ID, REPO, "HAS_CODE"),
        (EDIT_ID, INSERT_ID, "CITES"),
        (EDIT_ID, LLFF, "USES"),
        (EDIT_ID, INSERTNERF, "USES"),
        (EDIT_ID, CLIP, "USES"),
        (SCALE_ID, INSERT_ID, "CITES"),
        (SCALE_ID, WATERBIRDS, "USES"),
        (SCALE_ID, FOONET, "PROPOSES"),
        (OTHER_ID, CLIP, "USES"),
        (OTHER_ID, FOONET, "PROPOSES"),
        (BIRDS_ID, EDIT_ID, "CITES"),
        (BIRDS_ID, WATERBIRDS, "USES"),
        (BIRDS_ID, CLIP, "USES"),
    ]


def test_paper_node_properties(graph):
    assert graph.nodes[INSERT_ID] == {
        "id": INSERT_ID,
        "label": "Paper",
        "title": INSERT.title,
        "abstract": INSERT.abstract,
        "year": 2023,
        "url": "https://arxiv.org/abs/2301.00001",
        "arxiv_id": "2301.00001",
        "doi": None,
        "authors": ["Yanqi Bao", "Tianyu Ding"],
        "source": "corpus.jsonl:1",
        "unresolved_refs": [],
    }


def test_concept_nodes_carry_name_kind_sorted_aliases_and_paper_count(graph):
    assert graph.nodes[CLIP] == {
        "id": CLIP,
        "label": "Concept",
        "name": "CLIP",
        "kind": "Model",
        "aliases": ["Contrastive Language-Image Pre-training"],
        "paper_count": 3,
    }
    assert {n: graph.nodes[n]["paper_count"] for n in (LLFF, WATERBIRDS, INSERTNERF, FOONET)} == {
        LLFF: 2, WATERBIRDS: 2, INSERTNERF: 2, FOONET: 2,
    }
    assert graph.nodes[INSERTNERF]["kind"] == "Method"
    assert graph.nodes[WATERBIRDS]["kind"] == "Dataset"


def test_repo_node_is_parsed_from_the_url(graph):
    assert graph.nodes[REPO] == {
        "id": REPO,
        "label": "Repo",
        "url": "https://github.com/bbbbby-99/InsertNeRF",
        "host": "github.com",
        "owner": "bbbbby-99",
        "name": "InsertNeRF",
    }
    assert graph.edges[INSERT_ID, REPO, "HAS_CODE"] == {
        "type": "HAS_CODE",
        "evidence": "Code is at https://github.com/bbbbby-99/InsertNeRF.",
        "field": "abstract",
        "start": 110,
        "end": 149,
    }
    assert INSERT.abstract[110:149] == "https://github.com/bbbbby-99/InsertNeRF"


def test_role_edges_carry_the_evidence_of_the_best_mention(graph):
    assert graph.edges[INSERT_ID, INSERTNERF, "PROPOSES"] == {
        "type": "PROPOSES",
        "evidence": INSERT.title,
        "field": "title",
        "start": 0,
        "end": 10,
        "rule": "title_prefix",
        "confidence": 0.95,
        "mentions": 1,
    }
    edge = graph.edges[BIRDS_ID, WATERBIRDS, "USES"]
    assert edge["evidence"] == (
        "We study spurious features on Waterbirds with CLIP (Smith and Jones, 2020; Kim, 2019)."
    )
    assert BIRDS.abstract[edge["start"] : edge["end"]] == "Waterbirds"
    assert (edge["rule"], edge["confidence"], edge["mentions"]) == ("gazetteer", 0.8, 1)


def test_mentions_counts_every_mention_and_surface_forms_become_aliases():
    paper = Paper.create("T", "We use ImageNet-1k. Later imagenet-1k again.", source="x:1")
    clip = entity(paper, "DATASET", "ImageNet-1k", "USES")
    clip.mentions += entity(paper, "DATASET", "ImageNet-1k", "USES", "imagenet-1k").mentions
    graph = build_graph([paper], [PaperConcepts(paper.id, paper.title, [clip])])
    cid = "concept:dataset:imagenet-1k"
    assert graph.edges[paper.id, cid, "USES"]["mentions"] == 2
    assert graph.nodes[cid]["aliases"] == ["imagenet-1k"]


def test_a_concept_both_proposed_and_used_by_one_paper_is_one_proposes_edge():
    paper = Paper.create("FooNet: A Net", "We propose FooNet. FooNet is fast.", source="x:1")
    proposes = entity(paper, "MODEL", "FooNet", "PROPOSES", field="title")
    uses = entity(paper, "MODEL", "FooNet", "USES", occurrences=2)
    graph = build_graph([paper], [PaperConcepts(paper.id, paper.title, [uses, proposes])])
    assert list(graph.edges(keys=True)) == [(paper.id, "concept:model:foonet", "PROPOSES")]


def test_papers_without_extraction_are_kept_and_unknown_extractions_rejected():
    graph = build_graph(PAPERS, [])
    assert graph.number_of_nodes() == 5
    assert sorted(graph.edges(keys=True)) == [(EDIT_ID, INSERT_ID, "CITES"), (BIRDS_ID, EDIT_ID, "CITES")]
    with pytest.raises(ValueError, match="unknown paper id 'nope'"):
        build_graph(PAPERS, [PaperConcepts("nope", "Nope")])


def test_building_is_deterministic_whatever_the_input_order(graph):
    again = build_graph(list(reversed(PAPERS)), list(reversed(extractions())))
    assert graphs_equal(graph, again)
    assert list(again.nodes) == list(graph.nodes)
    assert list(again.edges(keys=True)) == list(graph.edges(keys=True))


def test_unknown_entity_types_and_unparsable_repo_urls_are_ignored():
    paper = SCALE
    odd = entity(paper, "MODEL", "FooNet", "PROPOSES", field="title")
    odd.type = "PERSON"  # type: ignore[assignment]
    page = entity(paper, "REPO", "https://example.org/x", "USES", "FooNet")
    graph = build_graph([paper], [PaperConcepts(paper.id, paper.title, [odd, page])])
    assert list(graph.nodes) == [paper.id]


def test_same_paper_twice_is_merged():
    later = Paper.create(EDIT.title, EDIT.abstract, arxiv_id="2402.00002", authors=["A. Author"])
    graph = build_graph([EDIT, later], [])
    assert graph.nodes[EDIT_ID]["authors"] == ["A. Author"]
    assert graph.nodes[EDIT_ID]["source"] == "corpus.jsonl:2"


def test_hugging_face_model_and_dataset_with_the_same_name_are_two_repos():
    from extractors import extract_corpus

    papers = [
        Paper.create("Model card", "Weights at https://huggingface.co/acme/tiny-llm.", id="p-model"),
        Paper.create("Data card", "Data at https://huggingface.co/datasets/acme/tiny-llm.", id="p-data"),
        Paper.create("Models path", "Also https://huggingface.co/models/acme/tiny-llm here.", id="p-models"),
    ]
    graph = build_graph(papers, extract_corpus(papers))
    repos = {n: d["url"] for n, d in graph.nodes(data=True) if d["label"] == Label.REPO.value}
    assert repos == {
        "repo:huggingface.co/acme/tiny-llm": "https://huggingface.co/acme/tiny-llm",
        "repo:huggingface.co/datasets/acme/tiny-llm": "https://huggingface.co/datasets/acme/tiny-llm",
    }
    code = sorted((s, t) for s, t, k in graph.edges(keys=True) if k == Rel.HAS_CODE.value)
    assert code == [("p-data", "repo:huggingface.co/datasets/acme/tiny-llm"),
                    ("p-model", "repo:huggingface.co/acme/tiny-llm"),
                    ("p-models", "repo:huggingface.co/acme/tiny-llm")]
