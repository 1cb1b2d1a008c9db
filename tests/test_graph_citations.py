"""Citations: metadata references, inferred from proposed artifacts, and author–year strings."""

from __future__ import annotations

import pytest

from extractors.types import PaperConcepts
from kg.graph import build_graph
from kg.graph.citations import distinctive_name, find_author_year_citations
from kg.records import Paper
from tests.graph_corpus import BIRDS, EDIT, INSERT, OTHER, PAPERS, SCALE, entity, extractions


@pytest.fixture(scope="module")
def graph():
    return build_graph(PAPERS, extractions())


def cites(graph):
    return sorted((u, v, d["source"]) for u, v, k, d in graph.edges(keys=True, data=True) if k == "CITES")


def test_cites_edges_with_their_source(graph):
    assert cites(graph) == [
        # EDIT names INSERT's title in its references: metadata wins over the inferred edge.
        (EDIT.id, INSERT.id, "metadata"),
        # SCALE mentions InsertNeRF only in its text (no extracted entity) and has no year.
        (SCALE.id, INSERT.id, "inferred:concept:method:insertnerf"),
        # BIRDS cites EDIT by an arXiv URL with a version; BIRDS (2022) mentions InsertNeRF (2023): no edge.
        (BIRDS.id, EDIT.id, "metadata"),
    ]


def test_unresolved_references_and_author_year_citations_stay_on_the_paper(graph):
    assert graph.nodes[EDIT.id]["unresolved_refs"] == [
        "arxiv:9999.99999",
        Paper.create("A Paper Nobody Has", "").id,
        "Lee et al., 2023",
    ]
    assert graph.nodes[BIRDS.id]["unresolved_refs"] == ["Smith and Jones, 2020", "Kim, 2019"]
    assert graph.nodes[OTHER.id]["unresolved_refs"] == []


def test_a_name_proposed_by_two_papers_without_years_infers_nothing():
    user = Paper.create("Using FooNet", "We fine-tune FooNet on birds.", year=2025, source="x:9")
    concepts = [*extractions(), PaperConcepts(user.id, user.title, [entity(user, "MODEL", "FooNet", "USES")])]
    graph = build_graph([*PAPERS, user], concepts)
    assert [e for e in cites(graph) if e[0] == user.id] == []


def test_a_name_proposed_by_two_papers_cites_the_strictly_earliest():
    early = Paper.create(SCALE.title, SCALE.abstract, doi=SCALE.doi, year=2020, source=SCALE.source)
    late = Paper.create(OTHER.title, OTHER.abstract, year=2021, source=OTHER.source)
    user = Paper.create("Using FooNet", "We fine-tune FooNet on birds.", year=2025, source="x:9")
    concepts = [*extractions(), PaperConcepts(user.id, user.title, [entity(user, "MODEL", "FooNet", "USES")])]
    graph = build_graph([INSERT, EDIT, BIRDS, early, late, user], concepts)
    expected = [(user.id, early.id, "inferred:concept:model:foonet")]
    assert [e for e in cites(graph) if e[0] == user.id] == expected
    # The later proposer proposes FooNet itself: it does not cite the earlier one.
    assert [e for e in cites(graph) if e[0] == late.id] == []


def test_tasks_are_not_artifacts_and_never_infer_citations():
    proposer = Paper.create("OODBench Task: a new setting", "We introduce Open-World Shift.", year=2020)
    user = Paper.create("More on Open-World Shift", "We study Open-World Shift.", year=2021)
    concepts = [
        PaperConcepts(
            proposer.id, proposer.title, [entity(proposer, "TASK", "Open-World Shift", "PROPOSES")]
        ),
        PaperConcepts(user.id, user.title, [entity(user, "TASK", "Open-World Shift", "USES")]),
    ]
    assert cites(build_graph([proposer, user], concepts)) == []


def test_text_matching_uses_whole_tokens_and_aliases_case_sensitively():
    proposer = Paper.create(
        "SAM: Sharpness-Aware Minimization",
        "We propose Sharpness-Aware Minimization (SAM).",
        year=2020,
    )
    whole = Paper.create("A", "Training with Sharpness-Aware Minimization helps.", year=2021)
    partial = Paper.create("B", "SAMPLING and sam and SAM-2 are not the artifact.", year=2021)
    concepts = [
        PaperConcepts(proposer.id, proposer.title, [
            entity(
                proposer, "METHOD", "SAM", "PROPOSES", field="title",
                aliases=("Sharpness-Aware Minimization",),
            )
        ]),
    ]
    assert cites(build_graph([proposer, whole, partial], concepts)) == [
        (whole.id, proposer.id, "inferred:concept:method:sam")
    ]


def test_inferred_citations_can_be_turned_off():
    graph = build_graph(PAPERS, extractions(), infer_citations=False)
    assert {s for *_, s in cites(graph)} == {"metadata"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'developed "diversification" methods (Lee et al., 2023; Pagliardini et al., 2023) approach',
            ["Lee et al., 2023", "Pagliardini et al., 2023"],
        ),
        ("as shown by Pagliardini et al., 2023 and Lee et al. (2022b).",
         ["Pagliardini et al., 2023", "Lee et al., 2022b"]),
        ("following Smith and Jones (2020) and Kim & Park, 2019",
         ["Smith and Jones, 2020", "Kim and Park, 2019"]),
        ("(see van der Berg et al., 2021)", ["van der Berg et al., 2021"]),
        ("as in (Vaswani, 2017; e.g., Devlin et al. 2019)", ["Vaswani, 2017", "Devlin et al., 2019"]),
        ("Lee et al., 2023 ... again (Lee et al., 2023)", ["Lee et al., 2023"]),
        # Not citations: a model with a year, a bare capitalised word before a year, numbers.
        ("we use ImageNet (2012) and GPT-4 in 2023; Table 2, 2021 results", []),
        ("In 2023, Transformer models (Figure 3, 2024) dominate", []),
    ],
)
def test_author_year_citations(text, expected):
    assert find_author_year_citations(text) == expected


def test_proposals_without_a_distinctive_name_infer_nothing():
    proposer = Paper.create("Improving Multi-task Learning", "We study Multi-task Learning.", year=2020)
    user = Paper.create("Robots", "We rely on Multi-task Learning for robots.", year=2021)
    concepts = [
        PaperConcepts(proposer.id, proposer.title, [
            entity(proposer, "METHOD", "Multi-task Learning", "PROPOSES", field="title"),
        ]),
        PaperConcepts(user.id, user.title, [entity(user, "METHOD", "Multi-task Learning", "USES")]),
    ]
    assert cites(build_graph([proposer, user], concepts)) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [("InsertNeRF", True), ("GPT-4", True), ("LLFF", True), ("Qwen2.5-1.5B", True), ("Orca", True),
     ("Multi-task Learning", False), ("Knowledge Distillation", False), ("sam", False), ("It", False),
     ("", False)],
)
def test_distinctive_name(name, expected):
    assert distinctive_name(name) is expected
