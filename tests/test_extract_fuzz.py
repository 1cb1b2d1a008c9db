"""Any title/abstract text: extraction never fails and every span points into its field."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import extract_text, make_pipeline

NLP = make_pipeline()

# Words that trigger the rules, glued with punctuation and white space in any order.
_PIECES = st.sampled_from([
    "We", "propose", "introduce", "the", "dataset", "benchmarks", "such as", "and", "on", "evaluated",
    "GPT-4o", "Qwen2.5-1.5B", "ImageNet-C", "ResNet-50", "LoRA", "(PPO)", "Proximal Policy Optimization",
    "(", ")", ",", ".", ":", ";", "\n", "\n\n", " ", "https://github.com/a/b.", "www.example.org/x)",
    "{here}", "e.g.", "et al.", "OOD", "detection", "generalization", "called", "X", "é", "—", "-", "'s",
    "a novel framework", "models", "methods", "LLMs", "Large Language Models (LLMs)",
])
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_TEXT, abstract=_TEXT)
def test_spans_always_point_into_their_field(title: str, abstract: str) -> None:
    result = extract_text(title, abstract, NLP)
    folded_title = " ".join(title.split())
    fields = {"title": folded_title, "abstract": abstract.strip()}
    ids = [e.concept_id for e in result.entities]
    assert len(ids) == len(set(ids))
    for entity in result.entities:
        assert entity.mentions
        for m in [entity, *entity.mentions]:
            assert fields[m.field][m.start:m.end] == m.text
            assert m.text
            assert 0.0 < m.confidence <= 1.0
