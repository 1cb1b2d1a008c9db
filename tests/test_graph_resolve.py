"""Naming papers and concepts by id, title/name, alias or unique prefix."""

from __future__ import annotations

import pytest

from extractors.types import PaperConcepts
from kg.graph import AmbiguousNameError, NameNotFoundError, build_graph, resolve_concept, resolve_paper
from kg.records import Paper
from tests.graph_corpus import EDIT, INSERT, OTHER, PAPERS, SCALE, entity, extractions


@pytest.fixture(scope="module")
def graph():
    clip_method = Paper.create("CLIP: Clipped Gradients", "We propose CLIP, a clipping method.", year=2019)
    extra = entity(clip_method, "METHOD", "CLIP", "PROPOSES", field="title")
    items = [*extractions()]
    items.append(PaperConcepts(clip_method.id, clip_method.title, [extra]))
    return build_graph([*PAPERS, clip_method], items)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (INSERT.id, INSERT.id),
        ("Editing Scenes with Language", EDIT.id),
        ("editing   SCENES with language", EDIT.id),
        ("insertnerf: inst", INSERT.id),
        ("FooNet: Scaling", SCALE.id),
        # ids as people write them: bare arXiv number, other case, version, URL, DOI forms, id prefixes
        ("2301.00001", INSERT.id),
        ("arXiv:2301.00001v3", INSERT.id),
        ("https://arxiv.org/abs/2402.00002", EDIT.id),
        ("10.1000/XYZ.1", SCALE.id),
        ("https://doi.org/10.1000/xyz.1", SCALE.id),
        ("2402.0000", EDIT.id),
        ("arxiv:2301", INSERT.id),
    ],
)
def test_resolve_paper(graph, name, expected):
    assert resolve_paper(graph, name) == expected


def test_ambiguous_paper_prefix_lists_the_candidates(graph):
    with pytest.raises(AmbiguousNameError) as info:
        resolve_paper(graph, "foonet")
    assert info.value.candidates == sorted([SCALE.id, OTHER.id])
    assert str(info.value) == (
        "paper 'foonet' is ambiguous (2 matches): "
        "doi:10.1000/xyz.1 'FooNet: Scaling Vision Models'; "
        f"{OTHER.id} 'FooNet: Another Network of the Same Name'"
    )


def test_ambiguous_id_prefix_lists_the_candidates(graph):
    with pytest.raises(AmbiguousNameError) as info:
        resolve_paper(graph, "arxiv:")
    assert info.value.candidates == sorted([INSERT.id, EDIT.id])


def test_unknown_paper(graph):
    with pytest.raises(NameNotFoundError, match="no paper matches 'Attention Is All You Need'"):
        resolve_paper(graph, "Attention Is All You Need")
    with pytest.raises(NameNotFoundError):
        resolve_paper(graph, "concept:model:clip")


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("concept:dataset:llff", None, "concept:dataset:llff"),
        ("Waterbirds", None, "concept:dataset:waterbirds"),
        ("llff", None, "concept:dataset:llff"),
        ("contrastive language-image pre-training", None, "concept:model:clip"),
        ("insert", None, "concept:method:insertnerf"),
        ("CLIP", "Model", "concept:model:clip"),
        ("clip", "method", "concept:method:clip"),
        ("Contrastive", "Model", "concept:model:clip"),
    ],
)
def test_resolve_concept(graph, name, kind, expected):
    assert resolve_concept(graph, name, kind) == expected


def test_same_name_in_two_kinds_is_ambiguous_without_a_kind(graph):
    with pytest.raises(AmbiguousNameError) as info:
        resolve_concept(graph, "CLIP")
    assert info.value.candidates == ["concept:method:clip", "concept:model:clip"]
    assert "concept:method:clip 'CLIP' (Method); concept:model:clip 'CLIP' (Model)" in str(info.value)


def test_unknown_concept_and_kind(graph):
    with pytest.raises(NameNotFoundError, match="no dataset concept matches 'CLIP'"):
        resolve_concept(graph, "CLIP", kind="Dataset")
    with pytest.raises(NameNotFoundError, match="unknown concept kind 'Person'"):
        resolve_concept(graph, "CLIP", kind="Person")
    with pytest.raises(NameNotFoundError, match="no concept matches ''"):
        resolve_concept(graph, "")
