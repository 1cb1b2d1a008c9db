"""Exact-number tests of the extraction scoring functions on tiny hand-made cases."""

from __future__ import annotations

import pytest

from benchmarks.scoring import (
    COMBINED,
    GoldConcept,
    PredictedConcept,
    Score,
    concept_key,
    match_paper,
    normalise_name,
    normalise_repo,
    role_agreement,
    score_by_rule,
    score_papers,
    score_scier,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("GPT4", "GPT-4"),
        ("gpt 4", "GPT-4"),
        ("Office–Home", "office home"),
        ("GANs", "GAN"),
        ("Qwen2.5-1.5B", "qwen2.5 1.5b"),
        ("ViT-B/16", "ViT B16"),
        ("Sharpness Aware Minimization", "sharpness-aware minimization"),
        ("Ré-ID", "re id"),
    ],
)
def test_normalise_name_folds_variants(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ImageNet", "ImageNet-C"),
        ("Qwen2.5-1.5B", "Qwen2.5-7B"),
        ("Qwen2.5", "Qwen25"),
        ("GPT-4", "GPT-4o"),
        ("C++", "C"),
        ("class", "clas"),
    ],
)
def test_normalise_name_keeps_variants_apart(a: str, b: str) -> None:
    assert normalise_name(a) != normalise_name(b)


def test_normalise_name_exact_keys() -> None:
    assert normalise_name("Qwen2.5-1.5B") == "qwen2.51.5b"
    assert normalise_name("Let it Wag!") == "letitwag"
    assert normalise_name("---") == ""


def test_normalise_repo_strips_scheme_and_trailing_junk() -> None:
    assert normalise_repo("https://github.com/xyfJASON/HCL.") == "github.com/xyfjason/hcl"
    assert normalise_repo("http://www.bhchen.cn/}.") == "bhchen.cn"
    assert normalise_repo("https://github.com/a/b.git/") == "github.com/a/b"
    assert concept_key("REPO", "github.com/A/B") == concept_key("REPO", "https://github.com/a/b/")


def test_match_through_aliases_and_surfaces() -> None:
    gold = [
        GoldConcept("METHOD", "Sharpness-Aware Minimization", ("SAM",)),
        GoldConcept("DATASET", "Waterbirds"),
        GoldConcept("MODEL", "GPT-4"),
    ]
    predicted = [
        PredictedConcept("METHOD", "SAM"),  # matches the gold alias
        PredictedConcept("DATASET", "Waterbird", ("Waterbirds",)),
        PredictedConcept("MODEL", "Generative Pre-trained Transformer 4", ("GPT4",)),  # via its surface
    ]
    match = match_paper(gold, predicted)
    assert [(g.name, p.name) for g, p in match.matched] == [
        ("Sharpness-Aware Minimization", "SAM"),
        ("Waterbirds", "Waterbird"),
        ("GPT-4", "Generative Pre-trained Transformer 4"),
    ]
    assert match.false_negatives == [] and match.false_positives == []


def test_type_must_agree() -> None:
    match = match_paper([GoldConcept("METHOD", "SAM")], [PredictedConcept("MODEL", "SAM")])
    assert match.matched == []
    assert [c.name for c in match.false_negatives] == ["SAM"]
    assert [c.name for c in match.false_positives] == ["SAM"]


def test_unmerged_duplicate_is_one_hit_and_one_false_positive() -> None:
    gold = [GoldConcept("METHOD", "Proximal Policy Optimization", ("PPO",))]
    predicted = [
        PredictedConcept("METHOD", "PPO"),
        PredictedConcept("METHOD", "Proximal Policy Optimization"),
    ]
    match = match_paper(gold, predicted)
    assert len(match.matched) == 1
    assert [p.name for p in match.false_positives] == ["Proximal Policy Optimization"]


def test_matching_is_maximum_not_greedy() -> None:
    # Greedy would give the first prediction (keys X and Y) to gold X and leave gold Y unmatched.
    gold = [GoldConcept("DATASET", "X", ("Y",)), GoldConcept("DATASET", "Y2", ("Y",))]
    predicted = [PredictedConcept("DATASET", "Y"), PredictedConcept("DATASET", "X")]
    match = match_paper(gold, predicted)
    assert sorted((g.name, p.name) for g, p in match.matched) == [("X", "X"), ("Y2", "Y")]


def test_score_papers_exact_counts_and_ratios() -> None:
    paper1 = match_paper(
        [
            GoldConcept("DATASET", "GSM8K"),
            GoldConcept("DATASET", "MATH"),
            GoldConcept("MODEL", "GPT-4"),
            GoldConcept("TASK", "mathematical reasoning"),
            GoldConcept("REPO", "https://github.com/a/b"),
        ],
        [
            PredictedConcept("DATASET", "GSM8K"),
            PredictedConcept("DATASET", "SVAMP"),
            PredictedConcept("MODEL", "GPT4"),
            PredictedConcept("REPO", "https://github.com/a/b."),
        ],
    )
    paper2 = match_paper(
        [GoldConcept("METHOD", "LoRA")],
        [PredictedConcept("METHOD", "LoRA"), PredictedConcept("TASK", "training")],
    )
    scores = score_papers([paper1, paper2])
    assert (scores["DATASET"].tp, scores["DATASET"].fp, scores["DATASET"].fn) == (1, 1, 1)
    assert (
        scores["DATASET"].precision == 0.5 and scores["DATASET"].recall == 0.5 and scores["DATASET"].f1 == 0.5
    )
    assert (scores["MODEL"].tp, scores["MODEL"].fp, scores["MODEL"].fn) == (1, 0, 0)
    assert (scores["TASK"].tp, scores["TASK"].fp, scores["TASK"].fn) == (0, 1, 1)
    assert scores["TASK"].f1 == 0.0
    assert (scores["REPO"].tp, scores["REPO"].fp, scores["REPO"].fn) == (1, 0, 0)
    combined = scores[COMBINED]
    assert (combined.tp, combined.fp, combined.fn) == (4, 1, 1)
    assert combined.precision == pytest.approx(0.8) and combined.recall == pytest.approx(0.8)
    assert combined.f1 == pytest.approx(0.8)


def test_score_vacuous_ratios() -> None:
    assert (Score().precision, Score().recall, Score().f1) == (1.0, 1.0, 1.0)
    missed = Score(tp=0, fp=0, fn=2)
    assert (missed.precision, missed.recall, missed.f1) == (1.0, 0.0, 0.0)
    p, r = 2 / 3, 2 / 4
    assert Score(tp=2, fp=1, fn=2).f1 == pytest.approx(2 * p * r / (p + r))


def test_role_agreement() -> None:
    match = match_paper(
        [
            GoldConcept("METHOD", "GFlowVLM", role="PROPOSES"),
            GoldConcept("METHOD", "PPO"),
            GoldConcept("DATASET", "ALFWorld"),
            GoldConcept("DATASET", "CodeOcean", role="PROPOSES"),
        ],
        [
            PredictedConcept("METHOD", "GFlowVLM", role="PROPOSES"),
            PredictedConcept("METHOD", "PPO", role="PROPOSES"),
            PredictedConcept("DATASET", "ALFWorld"),
            PredictedConcept("DATASET", "CodeOcean"),
        ],
    )
    proposes, agree, total = role_agreement([match])
    assert (proposes.tp, proposes.fp, proposes.fn) == (1, 1, 1)
    assert (agree, total) == (2, 4)


def test_score_scier_maps_model_and_method_to_method() -> None:
    sentences = [
        (
            [("BERT", "Method"), ("SQuAD", "Dataset"), ("question answering", "Task")],
            [("BERT", "MODEL"), ("SQuAD", "DATASET"), ("SQuAD", "DATASET"), ("https://x.y", "REPO")],
        ),
        (
            [("convolutional neural networks", "Method"), ("GPT - 4", "Method")],
            [("GPT-4", "MODEL"), ("ImageNet", "DATASET"), ("dropout", "METHOD")],
        ),
    ]
    scores = score_scier(sentences)
    assert (scores["Method"].tp, scores["Method"].fp, scores["Method"].fn) == (2, 1, 1)
    assert (scores["Dataset"].tp, scores["Dataset"].fp, scores["Dataset"].fn) == (1, 1, 0)
    assert (scores["Task"].tp, scores["Task"].fp, scores["Task"].fn) == (0, 0, 1)
    assert (scores["overall"].tp, scores["overall"].fp, scores["overall"].fn) == (3, 2, 2)
    assert scores["overall"].f1 == pytest.approx(0.6)


def test_score_scier_same_string_counts_once_per_sentence_and_type() -> None:
    scores = score_scier([([("ResNet", "Method"), ("resnet", "Method")], [("ResNet", "METHOD")])])
    assert (scores["Method"].tp, scores["Method"].fp, scores["Method"].fn) == (1, 0, 0)


def test_score_by_rule_counts_hits_and_false_hits_per_rule() -> None:
    match = match_paper(
        [GoldConcept("DATASET", "GSM8K"), GoldConcept("METHOD", "LoRA")],
        [
            PredictedConcept("DATASET", "GSM8K", rule="gazetteer"),
            PredictedConcept("METHOD", "LoRA", rule="abbreviation"),
            PredictedConcept("TASK", "training", rule="gazetteer"),
        ],
    )
    by_rule = score_by_rule([match])
    assert list(by_rule) == ["gazetteer", "abbreviation"]
    assert (by_rule["gazetteer"].tp, by_rule["gazetteer"].fp, by_rule["gazetteer"].precision) == (1, 1, 0.5)
    assert (by_rule["abbreviation"].tp, by_rule["abbreviation"].fp) == (1, 0)
