"""Typing decisions of the annotation guidelines (GUIDELINES.md) and task rules, on made-up text."""

from __future__ import annotations

import pytest

from extractors import extract_text, find_abbreviations, make_pipeline


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def _found(nlp, title: str, abstract: str) -> list[tuple[str, str]]:
    return [(e.type, e.name) for e in extract_text(title, abstract, nlp).entities]


def test_meta_learning_is_a_method_and_reward_modeling_a_task(nlp) -> None:
    abstract = "We apply meta-learning to reward modeling and report gains."
    assert _found(nlp, "A study", abstract) == [("METHOD", "meta-learning"), ("TASK", "reward modeling")]


def test_ood_robustness_and_ood_generalization_are_different_tasks(nlp) -> None:
    abstract = "We study OOD robustness and OOD generalization of image classifiers."
    assert _found(nlp, "A study", abstract) == [
        ("TASK", "out-of-distribution robustness"), ("TASK", "out-of-distribution generalization")]


def test_model_classes_and_paradigms_are_generic(nlp) -> None:
    abstract = ("Unlike GANs and variational autoencoders trained with self-supervised learning or "
                "semi-supervised learning and a contrastive loss, we use an autoencoder with InfoNCE.")
    assert _found(nlp, "A study", abstract) == [("METHOD", "InfoNCE")]


def test_named_generalization_settings(nlp) -> None:
    abstract = ("Models lack length generalization and weak-to-strong generalization, and show poor "
                "generalization.")
    assert _found(nlp, "A study", abstract) == [
        ("TASK", "length generalization"), ("TASK", "weak-to-strong generalization")]


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ('Far from "zero-shot" generalization, the models need more data.',
         [("TASK", "zero-shot generalization")]),
        ("We study blurry glimmer restoration and spectral frob denoising.",
         [("TASK", "blurry glimmer restoration"), ("TASK", "spectral frob denoising")]),
        ("A general algorithm for zorp induction and generalized wibble discovery.",
         [("TASK", "zorp induction"), ("TASK", "generalized wibble discovery")]),
        ("We target zibble poem generation, not low generation.", [("TASK", "zibble poem generation")]),
        ("We study zorbic relation extraction and frobby claim verification, unlike feature extraction.",
         [("TASK", "zorbic relation extraction"), ("TASK", "frobby claim verification")]),
        ("Results on wibble speech enhancement and quokka recommendation.",
         [("TASK", "wibble speech enhancement"), ("TASK", "quokka recommendation")]),
    ],
)
def test_task_phrase_heads(nlp, abstract: str, expected) -> None:
    assert _found(nlp, "A study", abstract) == expected


def test_known_method_before_a_glued_modifier(nlp) -> None:
    abstract = "We train on self-play-generated games with CLIP-guided rewards."
    assert _found(nlp, "A study", abstract) == [("METHOD", "self-play"), ("MODEL", "CLIP")]


def test_acronym_long_form_keeps_its_hyphenated_first_word() -> None:
    text = "We adopt Quick-sensitive Blorp Customization (SBC) for editing."
    pairs = [(a.short, a.long) for a in find_abbreviations(text)]
    assert pairs == [("SBC", "Quick-sensitive Blorp Customization")]


def test_named_generation_long_form_is_a_method(nlp) -> None:
    abstract = "We use Zorbic-Augmented Generation (ZAG) for controllable text generation."
    assert _found(nlp, "A study", abstract) == [
        ("METHOD", "Zorbic-Augmented Generation"), ("TASK", "controllable text generation")]


def test_helpful_and_harmless_is_not_a_dataset_name(nlp) -> None:
    abstract = "Assistants should be helpful and harmless; we train on HH-RLHF."
    assert _found(nlp, "A study", abstract) == [("DATASET", "HH-RLHF")]


def test_title_case_compound_extends_a_known_task(nlp) -> None:
    found = _found(nlp, "Meta Learning for Low-Resource Text Classification",
                   "We study low-resource text classification.")
    assert found == [("METHOD", "meta-learning"), ("TASK", "low-resource text classification")]


def test_ad_hoc_generalization_is_not_a_task(nlp) -> None:
    abstract = "We improve cross-scene generalization and cross-domain generalization."
    assert _found(nlp, "A study", abstract) == [("TASK", "cross-domain generalization")]


def test_verbs_do_not_modify_a_task_word(nlp) -> None:
    abstract = "These features accelerate classification, and we adopt zorbic pose tracking."
    assert _found(nlp, "A study", abstract) == [("TASK", "zorbic pose tracking")]


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("Prior work relies on hard-sample mining, while we add a Zorbic Confusion regularization term.",
         [("METHOD", "hard-sample mining"), ("METHOD", "Zorbic Confusion regularization")]),
        ("We apply frobnicated-token regularization, then data augmentation and learning rate tuning.",
         [("METHOD", "frobnicated-token regularization"), ("METHOD", "data augmentation")]),
        ("Performance improves with efficient tuning.", []),
    ],
)
def test_method_phrases(nlp, abstract: str, expected) -> None:
    assert _found(nlp, "A study", abstract) == expected


def test_formalisms_and_plain_fine_tuning_are_generic(nlp) -> None:
    abstract = ("We model the task as a Markov decision process (MDP) and compare full fine-tuning, "
                "hyperparameter tuning and LoRA.")
    assert _found(nlp, "A study", abstract) == [("METHOD", "Low-Rank Adaptation")]


def test_bare_shared_acronym_name_and_type_describe_one_entry(nlp) -> None:
    found = _found(nlp, "A study", "We build on SAM and report gains.")
    assert found == [("MODEL", "Segment Anything Model")]
    abstract = "We use Sharpness-Aware Minimization (SAM). SAM helps."
    assert _found(nlp, "A study", abstract) == [("METHOD", "Sharpness-Aware Minimization")]


def test_task_phrase_cut_short_by_a_vague_word_is_the_longer_task(nlp) -> None:
    abstract = ("In short, zorbic gap estimation is hard, so we propose effective gap estimation methods. "
                "Related fields: frobby category discovery and zappy frobby category discovery.")
    assert _found(nlp, "A study", abstract) == [
        ("TASK", "zorbic gap estimation"), ("TASK", "frobby category discovery"),
        ("TASK", "zappy frobby category discovery")]


def test_named_cells_are_models_and_training_setups_methods(nlp) -> None:
    abstract = ("A detector with an offline RPN and a hierarchical GRU, trained with multi-task learning "
                "(MTL), beats instruction-tuned baselines.")
    assert _found(nlp, "A study", abstract) == [
        ("MODEL", "region proposal network"), ("MODEL", "gated recurrent unit"),
        ("METHOD", "multi-task learning"), ("METHOD", "instruction tuning")]


def test_named_hypotheses_are_not_concepts(nlp) -> None:
    abstract = "As the Lottery Ticket Hypothesis (LTH) says, iterative pruning finds winning tickets."
    assert _found(nlp, "A study", abstract) == [("METHOD", "network pruning")]


def test_a_common_first_word_names_no_family(nlp) -> None:
    # "region proposal network" is a known model; "Region-aware Blorp Fusion" is not of its family
    abstract = "We introduce the Region-aware Blorp Fusion (RBF) to merge views."
    assert _found(nlp, "A study", abstract) == [("METHOD", "Region-aware Blorp Fusion")]


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # real seed sentences (dev2 split)
        ("Concurrently, we incorporated a progressive learning mechanism, enabling the model to "
         "dynamically modulate its attention.", [("METHOD", "progressive learning")]),
        ("We introduce ZO-RankSGD, an innovative zeroth-order optimization algorithm designed to tackle "
         "this optimization problem.",
         [("METHOD", "ZO-RankSGD"), ("METHOD", "zeroth-order optimization")]),
        ("To reduce the computation overhead, various efficient 'one-shot' pruning methods have been "
         "developed.", [("METHOD", "'one-shot' pruning")]),
        ("Equally important is our adaptive self-distillation mechanism to regularize our feature "
         "generation model.", [("METHOD", "adaptive self-distillation")]),
        # made-up names
        ("We use the zorbic-guided frob filtering technique and a blorpy sampling scheme.",
         [("METHOD", "zorbic-guided frob filtering"), ("METHOD", "blorpy sampling")]),
        # counts, praise, category words and plain technique words name no technique
        ("Employing a three-stage training strategy and the predominant sampling method, a learning "
         "algorithm beats LLM fine-tuning methods and our novel decoding approach.", []),
    ],
)
def test_technique_phrase_before_a_method_noun(nlp, abstract: str, expected) -> None:
    assert _found(nlp, "A study", abstract) == expected


def test_method_phrase_modifiers_do_not_praise(nlp) -> None:
    abstract = ("Naive distillation and appropriate regularization help, as does domain-specific "
                "augmentation; zorbic distillation helps more.")
    assert _found(nlp, "A study", abstract) == [("METHOD", "zorbic distillation")]


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # real seed sentences (dev2 split)
        ("There are recent finetuning methods, such as prompt learning, that not only study the "
         "discrimination between samples.", [("METHOD", "prompt learning")]),
        ("In Orca 2, we teach the model various reasoning techniques (step-by-step, recall then generate, "
         "recall-reason-generate, direct answer, etc.).",
         [("MODEL", "Orca 2"), ("METHOD", "step-by-step"), ("METHOD", "recall then generate"),
          ("METHOD", "recall-reason-generate"), ("METHOD", "direct answer")]),
        ("We investigate two algorithmic techniques to reduce the cost of computing gradients of candidate "
         "training sequences: TF-IDF filtering and query batching.",
         [("METHOD", "TF-IDF filtering"), ("METHOD", "query batching")]),
        # the announced count must match; examples follow a plural; verb phrases are no names
        ("We study three approaches to this problem: zorbic blending and frob stacking.", []),
        ("It depends on the learning algorithm (e.g., stability bounds).", []),
        ("We apply regularization methods, e.g., restricting function space, augmenting data, etc.", []),
    ],
)
def test_techniques_listed_after_a_method_noun(nlp, abstract: str, expected) -> None:
    assert _found(nlp, "A study", abstract) == expected


def test_praise_and_third_person_verbs_do_not_modify_a_task(nlp) -> None:
    # real seed sentences (dev2 split)
    abstract = ("LIMO demonstrates exceptional out-of-distribution generalization. It treats "
                "subject-driven generation as creation on a blank canvas. We propose it for high-quality, "
                "consistent depth estimation.")
    assert _found(nlp, "A study", abstract) == [
        ("TASK", "out-of-distribution generalization"), ("TASK", "subject-driven generation"),
        ("TASK", "depth estimation")]


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # real seed sentences (dev and dev2 splits)
        ("For high-fidelity query attributes transfer, we adopt Space-sensitive Physical Customization "
         "(SPC), which ensures the fidelity.",
         [("METHOD", "Space-sensitive Physical Customization", "USES")]),
        ("Specifically, we propose (i) a Recurrent Zorbic Regulator (RZR) which facilitates attention, and "
         "(ii) a Recurrent Aggregation Regulator (RAR) which adjusts the aggregation weights.",
         [("METHOD", "Recurrent Zorbic Regulator", "PROPOSES"),
          ("METHOD", "Recurrent Aggregation Regulator", "PROPOSES")]),
        # not the authors' own sentence; an acronym inside the long form; an enumeration of labels
        ("Blorp Frobnication (BF) is common.", []),
        ("We study Pre-Trained OOD (PT-OOD) samples.", []),
        ("We label answers as True Understanding (TU), IGnorance (IG), StuBbornness (SB) or "
         "InDecision (ID).", []),
    ],
)
def test_acronym_defined_in_the_authors_sentence_names_a_technique(nlp, abstract: str, expected) -> None:
    assert [(e.type, e.name, e.role) for e in extract_text("A study", abstract, nlp).entities] == expected


def test_technique_named_by_what_it_works_on(nlp) -> None:
    # real seed sentence (dev2 split)
    abstract = ("Our model explains the success of the CLIP-based data filtering technique recently "
                "employed in the LAION dataset.")
    assert _found(nlp, "A study", abstract) == [
        ("METHOD", "CLIP-based data filtering"), ("DATASET", "LAION-5B")]


def test_methods_listed_beside_a_known_one_with_its_head_word(nlp) -> None:
    # real seed sentence (dev2 split)
    abstract = ("It composes five parallelism dimensions, including data parallelism, op-level model "
                "parallelism, pipeline model parallelism, optimizer model parallelism and rematerialization.")
    assert _found(nlp, "A study", abstract) == [
        ("METHOD", "data parallelism"), ("METHOD", "op-level model parallelism"),
        ("METHOD", "pipeline model parallelism"), ("METHOD", "optimizer model parallelism")]
    # other head words, or verbs and praise before the head, are no siblings
    abstract = "We use data parallelism and efficient parallelism, and knowledge distillation or pruning."
    assert _found(nlp, "A study", abstract) == [
        ("METHOD", "data parallelism"), ("METHOD", "knowledge distillation"), ("METHOD", "network pruning")]


def test_task_phrase_starting_a_sentence(nlp) -> None:
    # real seed sentence (dev split): the sentence's first word belongs to the task
    abstract = "It is hard. Scene text editing is a challenging task."
    assert _found(nlp, "A study", abstract) == [("TASK", "Scene text editing")]
    found = _found(nlp, "Editing", "Scene text editing is hard. Existing detection fails.")
    assert found == [("TASK", "Scene text editing")]
