"""Alias merging: name keys, acronym definitions across abstracts, variants kept apart."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from extractors import CorpusCanonicaliser, MentionRecord, extract_corpus, make_pipeline, name_key
from extractors.gazetteer import GazetteerEntry
from kg.schema import concept_id


@dataclass(frozen=True)
class P:
    id: str
    title: str
    abstract: str


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def _entities(pc):
    return {e.name: e for e in pc.entities}


def test_name_key_folds_spelling_but_not_variants() -> None:
    assert name_key("GPT4") == name_key("GPT-4") == name_key("gpt 4") == "gpt4"
    assert name_key("ImageNet") != name_key("ImageNet-C")
    assert name_key("Qwen2.5-1.5B") != name_key("Qwen2.5-7B")
    assert name_key("Qwen2.5") != name_key("Qwen25")
    assert name_key("GANs") == name_key("GAN")


def test_gpt4_spellings_are_one_concept_across_papers(nlp) -> None:
    papers = [
        P("a", "Probing reasoning", "We evaluate GPT4 on arithmetic word problems."),
        P("b", "Another study", "Our experiments use GPT-4 and gpt-4 as judges."),
    ]
    a, b = extract_corpus(papers, nlp)
    [ea] = [e for e in a.entities if e.type == "MODEL"]
    [eb] = [e for e in b.entities if e.type == "MODEL"]
    assert ea.concept_id == eb.concept_id == concept_id("Model", ea.name)
    assert ea.name == "GPT-4"
    assert [m.text for m in eb.mentions] == ["GPT-4", "gpt-4"]


def test_variants_stay_different(nlp) -> None:
    abstract = "We train on ImageNet and test on ImageNet-C. We fine-tune Qwen2.5-1.5B and Qwen2.5-7B models."
    papers = [P("a", "Robustness study", abstract)]
    [pc] = extract_corpus(papers, nlp)
    found = {(e.type, e.name) for e in pc.entities}
    assert {("DATASET", "ImageNet"), ("DATASET", "ImageNet-C"),
            ("MODEL", "Qwen2.5-1.5B"), ("MODEL", "Qwen2.5-7B")} <= found
    ids = [e.concept_id for e in pc.entities]
    assert len(ids) == len(set(ids))


def test_acronym_defined_in_one_abstract_merges_bare_use_in_another(nlp) -> None:
    papers = [
        P("a", "Flat minima for transfer",
          "We study Gradient Norm Penalized Descent (GNPD) for fine-tuning. GNPD finds flatter minima."),
        P("b", "A comparison of optimizers", "We compare GNPD with plain SGD on several tasks."),
    ]
    a, b = extract_corpus(papers, nlp)
    ea = _entities(a)["Gradient Norm Penalized Descent"]
    assert ea.type == "METHOD"
    assert [m.text for m in ea.mentions] == ["Gradient Norm Penalized Descent", "GNPD", "GNPD"]
    eb = _entities(b)["Gradient Norm Penalized Descent"]
    assert eb.concept_id == ea.concept_id
    assert [(m.text, m.rule) for m in eb.mentions] == [("GNPD", "corpus")]
    assert eb.aliases == ["GNPD"]


def test_proximal_policy_optimization_definition_and_later_acronym_are_one_concept(nlp) -> None:
    abstract = "We fine-tune with Proximal Policy Optimization (PPO). Later, PPO is compared."
    [pc] = extract_corpus([P("a", "Policy learning", abstract)], nlp)
    [ppo] = [e for e in pc.entities if e.type == "METHOD"]
    assert [m.text for m in ppo.mentions] == ["Proximal Policy Optimization", "PPO", "PPO"]


def test_ambiguous_acronym_follows_the_local_definition() -> None:
    gazetteer = [GazetteerEntry("Segment Anything Model", "MODEL", ("SAM",), case_sensitive=True)]
    canon = CorpusCanonicaliser(gazetteer)
    paper_a = [
        MentionRecord("METHOD", "Sharpness-Aware Minimization", 0.85, partner="SAM"),
        MentionRecord("METHOD", "SAM", 0.85, partner="Sharpness-Aware Minimization"),
    ]
    paper_b = [MentionRecord("MODEL", "SAM", 0.9, canonical="Segment Anything Model")]
    canon.observe(paper_a)
    canon.observe(paper_b)
    canon.finalise()
    local_a = canon.local_pairs(paper_a)
    assert canon.concept("METHOD", "SAM", local_a).name == "Sharpness-Aware Minimization"
    assert canon.concept("MODEL", "SAM").name == "Segment Anything Model"
    assert canon.concept("MODEL", "SAM").kind == "MODEL"


def test_acronym_expansion_inside_task_names() -> None:
    canon = CorpusCanonicaliser([])
    canon.observe([MentionRecord("TASK", "OOD detection", 0.6)], [("OOD", "out-of-distribution")])
    canon.observe([MentionRecord("TASK", "out-of-distribution detection", 0.6)])
    canon.finalise()
    a = canon.concept("TASK", "OOD detection")
    b = canon.concept("TASK", "out-of-distribution detection")
    assert a == b
    assert a.aliases == ("OOD detection",) and a.name == "out-of-distribution detection"


def test_gazetteer_canonical_name_wins() -> None:
    gazetteer = [GazetteerEntry("CIFAR-10", "DATASET", ("CIFAR10",))]
    canon = CorpusCanonicaliser(gazetteer)
    canon.observe([MentionRecord("DATASET", "Cifar10", 0.8), MentionRecord("DATASET", "cifar-10", 0.8)])
    concept = canon.concept("DATASET", "cifar10")
    assert (concept.name, concept.kind, concept.id) == ("CIFAR-10", "DATASET", "concept:dataset:cifar-10")
    assert concept.aliases == ("CIFAR10", "Cifar10", "cifar-10")


def test_repo_concepts_use_schema_ids() -> None:
    canon = CorpusCanonicaliser([])
    concept = canon.concept("REPO", "https://github.com/NJU-RL/Meta-DT")
    assert (concept.id, concept.name) == ("repo:github.com/nju-rl/meta-dt", "https://github.com/NJU-RL/Meta-DT")
    page = canon.concept("REPO", "https://phyworld.github.io/")
    assert (page.id, page.name) == ("repo:phyworld.github.io", "https://phyworld.github.io")


def test_one_acronym_two_definitions_in_one_corpus(nlp) -> None:
    papers = [
        P("a", "Flat minima", "Sharpness-aware minimization (SAM) finds flat minima. SAM is slow."),
        P("b", "Segmenting cells", "We prompt the Segment Anything Model (SAM) with boxes. SAM works."),
        P("c", "Prototype learning", "We propose PrototypicAl Learning with Mixtures (PALM). PALM helps."),
    ]
    a, b, c = extract_corpus(papers, nlp)
    assert [(e.type, e.name, [m.text for m in e.mentions]) for e in a.entities] == [
        ("METHOD", "Sharpness-Aware Minimization", ["Sharpness-aware minimization", "SAM", "SAM"])]
    assert [(e.type, e.name, [m.text for m in e.mentions]) for e in b.entities] == [
        ("MODEL", "Segment Anything Model", ["Segment Anything Model", "SAM", "SAM"])]
    # a local definition beats the gazetteer's PaLM (a language model) for the same letters
    assert [(e.type, e.name, e.role) for e in c.entities] == [
        ("METHOD", "PrototypicAl Learning with Mixtures", "PROPOSES")]


# One acronym, two gazetteer entries ("SAM"): the shapes of the sample corpus that used to merge them.
_SAM_CORPUS = [
    P("tram", "TRAM: Bridging Trust Regions and Sharpness Aware Minimization",
      "Sharpness-aware minimization (SAM) reports improving domain generalization. "
      "TRAM uses a trust region bound to inform the SAM adversarial neighborhood."),
    P("3dsam", "3DSAM-adapter: Holistic Adaptation of SAM from 2D to 3D",
      "Despite that the segment anything model (SAM) achieved impressive results on semantic "
      "segmentation, the original SAM architecture is designed for 2D natural images."),
    P("samda", "SAMDA: Leveraging SAM on Few-Shot Domain Adaptation",
      "We present SAMDA, which combines the Segment Anything Model(SAM) with nnUNet."),
]


def _sam_entities(pc):
    return sorted((e.type, e.name) for e in pc.entities if any(m.text == "SAM" for m in e.mentions))


def test_lower_case_definition_of_a_shared_acronym_names_its_own_entry(nlp) -> None:
    # alone, the paper that used to cause the corpus-wide merge
    [pc] = extract_corpus([_SAM_CORPUS[1]], nlp)
    assert _sam_entities(pc) == [("MODEL", "Segment Anything Model")]
    doc = nlp(f"{_SAM_CORPUS[1].title}\n\n{_SAM_CORPUS[1].abstract}")
    assert {(m.text, m.canonical) for m in doc._.concepts if m.text in ("SAM", "segment anything model")} == {
        ("SAM", "Segment Anything Model"), ("segment anything model", "Segment Anything Model")}


def test_two_gazetteer_entries_sharing_an_acronym_never_merge_across_the_corpus(nlp) -> None:
    canon = CorpusCanonicaliser()
    results = extract_corpus(_SAM_CORPUS, nlp, canonicaliser=canon)
    assert [_sam_entities(pc) for pc in results] == [
        [("METHOD", "Sharpness-Aware Minimization")],
        [("MODEL", "Segment Anything Model")],
        [("MODEL", "Segment Anything Model")],
    ]
    by_name = {c.name: c for c in canon.concepts}
    assert by_name["Sharpness-Aware Minimization"].aliases == (
        "SAM", "Sharpness Aware Minimization", "Sharpness-aware minimization")
    assert by_name["Segment Anything Model"].aliases == ("SAM", "Segment Anything", "segment anything model")
    assert by_name["Sharpness-Aware Minimization"].id != by_name["Segment Anything Model"].id


def test_a_mentions_gazetteer_name_never_claims_another_entrys_spelling() -> None:
    canon = CorpusCanonicaliser()
    canon.observe([MentionRecord("MODEL", "segment anything model", 0.9,
                                 canonical="Sharpness-Aware Minimization", partner="SAM"),
                   MentionRecord("MODEL", "SAM", 0.9, canonical="Sharpness-Aware Minimization",
                                 partner="segment anything model")])
    canon.observe([MentionRecord("METHOD", "SAM", 0.75, canonical="Sharpness-Aware Minimization")])
    canon.finalise()
    assert canon.concept("MODEL", "segment anything model").name == "Segment Anything Model"
    sharpness = canon.concept("METHOD", "Sharpness-Aware Minimization")
    assert "segment anything model" not in sharpness.aliases
    assert "Segment Anything Model" not in sharpness.aliases


def test_bare_shared_acronym_follows_the_mentions_gazetteer_name() -> None:
    canon = CorpusCanonicaliser()
    canon.observe([MentionRecord("METHOD", "SAM", 0.75, canonical="Sharpness-Aware Minimization")])
    canon.observe([MentionRecord("MODEL", "SAM", 0.75, canonical="Segment Anything Model")])
    canon.finalise()
    assert canon.concept("MODEL", "SAM", canonical="Segment Anything Model").name == "Segment Anything Model"
    assert canon.concept("METHOD", "SAM", canonical="Sharpness-Aware Minimization").kind == "METHOD"
    assert canon.concept("METHOD", "SAM", canonical="Sharpness-Aware Minimization").name == \
        "Sharpness-Aware Minimization"


def test_bare_shared_acronym_takes_the_entry_of_the_papers_field(nlp) -> None:
    segmentation = P(
        "seg", "Holistic Adaptation of SAM from 2D to 3D for Promptable Medical Image Segmentation",
        "We adapt SAM to volumetric medical data and improve semantic segmentation of tumors on COCO.")
    flat = P("flat", "Flatter minima for transfer",
             "SAM improves domain generalization of ResNet-50 over SGD.")
    seg_pc, flat_pc = extract_corpus([segmentation, flat], nlp)
    assert [(e.type, e.name, [m.text for m in e.mentions]) for e in seg_pc.entities] == [
        ("MODEL", "Segment Anything Model", ["SAM", "SAM"]),
        ("TASK", "medical image segmentation", ["Medical Image Segmentation"]),
        ("TASK", "semantic segmentation", ["semantic segmentation"]),
        ("DATASET", "COCO", ["COCO"]),
    ]
    assert [(e.type, e.name) for e in flat_pc.entities] == [
        ("METHOD", "Sharpness-Aware Minimization"), ("TASK", "domain generalization"),
        ("MODEL", "ResNet-50"), ("METHOD", "stochastic gradient descent"),
    ]


def test_a_paper_naming_its_own_model_like_a_known_dataset_gets_a_new_concept(nlp) -> None:
    # the gazetteer's Chameleon is a graph dataset; this paper's is a model, and says so
    papers = [
        P("a", "Chameleon: A Data-Efficient Generalist for Dense Visual Prediction",
          "We present Chameleon, a data-efficient generalist. Chameleon adapts from few labels."),
        P("b", "Heterophilous graphs", "We evaluate on the Chameleon and Squirrel datasets."),
    ]
    a, b = extract_corpus(papers, nlp)
    [own] = [e for e in a.entities if e.name == "Chameleon"]
    [used] = [e for e in b.entities if e.name == "Chameleon"]
    assert (own.type, own.role, own.concept_id) == ("MODEL", "PROPOSES", concept_id("Model", "Chameleon"))
    assert len(own.mentions) == 3  # the title and both abstract mentions are the paper's model
    assert (used.type, used.concept_id) == ("DATASET", concept_id("Dataset", "Chameleon"))


def test_own_names_need_a_proposal_against_entries_of_other_types_only() -> None:
    gazetteer = [GazetteerEntry("Chameleon", "DATASET", ()),
                 GazetteerEntry("Orca", "MODEL", (), ambiguous=("DATASET",))]
    canon = CorpusCanonicaliser(gazetteer)
    own = [MentionRecord("MODEL", "Chameleon", 0.9, own=True)]
    assert canon.own_names(own) == {"chameleon": "MODEL"}
    # not the paper's own proposal, the entry's own type, or a type the entry lists as ambiguous
    assert canon.own_names([MentionRecord("MODEL", "Chameleon", 0.9)]) == {}
    assert canon.own_names([MentionRecord("DATASET", "Chameleon", 0.9, own=True)]) == {}
    assert canon.own_names([MentionRecord("DATASET", "Orca", 0.9, own=True)]) == {}
    # a name no entry spells is new anyway and needs no own key
    assert canon.own_names([MentionRecord("MODEL", "Zorblax", 0.9, own=True)]) == {}
    canon.observe(own)
    canon.observe([MentionRecord("DATASET", "chameleon", 0.9, canonical="Chameleon")])
    mine = canon.concept("DATASET", "Chameleon", own=canon.own_names(own))
    theirs = canon.concept("DATASET", "chameleon", canonical="Chameleon")
    assert (mine.kind, mine.id) == ("MODEL", "concept:model:chameleon")
    assert (theirs.kind, theirs.id) == ("DATASET", "concept:dataset:chameleon")
