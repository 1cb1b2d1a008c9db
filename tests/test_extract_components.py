"""The spaCy components on their own: factories, Doc extensions, sentences, acronyms, URLs, name shapes."""

from __future__ import annotations

import json

import pytest
import spacy

import extractors
from extractors import find_abbreviations, make_pipeline, paper_text
from extractors.evidence import Candidate
from extractors.gazetteer import GazetteerError, load_gazetteer, load_generic_phrases
from extractors.resolve import sentence_starts
from extractors.urls import find_urls


def test_paper_concepts_in_a_users_own_blank_pipeline() -> None:
    assert extractors.COMPONENTS[-1] == "paper_concepts"
    nlp = spacy.blank("en")
    nlp.add_pipe("paper_concepts")
    doc = nlp("We evaluate ResNet-50 on the CIFAR-10 dataset and report results on ImageNet-C.")
    found = [(m.text, m.type) for m in doc._.concepts]
    assert found == [("ResNet-50", "MODEL"), ("CIFAR-10", "DATASET"), ("ImageNet-C", "DATASET")]
    # Token spans are the exact character spans: the full stop glued to "C." is split off.
    spans = list(doc.spans["paper_concepts"])
    assert [(s.text, s.label_) for s in spans] == [
        ("ResNet-50", "MODEL"), ("CIFAR-10", "DATASET"), ("ImageNet-C", "DATASET")]
    for span, mention in zip(spans, doc._.concepts, strict=True):
        assert (span.start_char, span.end_char) == (mention.start, mention.end)
    assert [(e.text, e.label_) for e in doc.ents] == [(s.text, s.label_) for s in spans]


def test_make_pipeline_components_and_doc_extensions() -> None:
    nlp = make_pipeline()
    assert tuple(nlp.pipe_names) == extractors.COMPONENTS
    text = paper_text("GNPD: Flat Minima for Transfer",
                      "We propose Gradient Norm Penalized Descent (GNPD). See https://github.com/org/gnpd.")
    doc = nlp(text)
    assert doc._.paper_title_end == len("GNPD: Flat Minima for Transfer")
    assert [(a.short, a.long) for a in doc._.abbreviations] == [("GNPD", "Gradient Norm Penalized Descent")]
    assert [s.text for s in doc.sents] == [
        "GNPD: Flat Minima for Transfer\n\n",
        "We propose Gradient Norm Penalized Descent (GNPD).",
        "See https://github.com/org/gnpd.",
    ]
    by_text = {m.text: m for m in doc._.concepts}
    assert by_text["GNPD"].role == "PROPOSES" and by_text["GNPD"].type == "METHOD"
    assert by_text["https://github.com/org/gnpd"].type == "REPO"
    assert by_text["Gradient Norm Penalized Descent"].partner == "GNPD"


def test_sentence_starts_ignore_abbreviation_periods() -> None:
    text = "Methods (Lee et al., 2023) help, e.g. on CIFAR. Another sentence follows. 3 more."
    starts = sentence_starts(text)
    assert [text[s:s + 7] for s in starts] == ["Methods", "Another", "3 more."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("such as Proximal Policy Optimization (PPO), present", [("PPO", "Proximal Policy Optimization")]),
        ("using Generative Flow Networks (GFlowNets) to", [("GFlowNets", "Generative Flow Networks")]),
        ("assumes Independent and Identically Distributed (IID) data",
         [("IID", "Independent and Identically Distributed")]),
        ("to out-of-distribution (OOD) data", [("OOD", "out-of-distribution")]),
        ("we build MCLM (Multilingual Competition Level Math) from",
         [("MCLM", "Multilingual Competition Level Math")]),
        ("diversification methods (Lee et al., 2023; Pagliardini et al., 2023) approach", []),
        ("accuracy (95.2%) and", []),
    ],
)
def test_acronym_definitions(text: str, expected: list[tuple[str, str]]) -> None:
    pairs = find_abbreviations(text)
    assert [(p.short, p.long) for p in pairs] == expected
    for p in pairs:
        assert text[p.short_start:p.short_end] == p.short and text[p.long_start:p.long_end] == p.long


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Code: https://github.com/NJU-RL/Meta-DT.", "https://github.com/NJU-RL/Meta-DT"),
        ("(https://github.com/facebookresearch/mowst-gnn).", "https://github.com/facebookresearch/mowst-gnn"),
        ("at https://github.com/kleinzcy/Cr-KD-NCD{here}.", "https://github.com/kleinzcy/Cr-KD-NCD"),
        ("see https://yizhilll.github.io/CIF-Bench/).", "https://yizhilll.github.io/CIF-Bench/"),
        ("models at huggingface.co/TownsWu/PEG, and", "huggingface.co/TownsWu/PEG"),
        ("https://en.wikipedia.org/wiki/Foo_(bar) is", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ],
)
def test_url_cleaning(text: str, expected: str) -> None:
    assert [u for _s, _e, u in find_urls(text)] == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We fine-tune Qwen2.5-1.5B Math on olympiad problems.", [("Qwen2.5-1.5B Math", "MODEL")]),
        ("Compared with GPT-4o and Llama-2-7B, it is cheaper.",
         [("GPT-4o", "MODEL"), ("Llama-2-7B", "MODEL")]),
        ("We transcribe audio with Whisper-large-v3 first.", [("Whisper-large-v3", "MODEL")]),
        ("We introduce MathArenaBench, a benchmark of olympiad problems.", [("MathArenaBench", "DATASET")]),
        ("Our agent is trained with GRPO on synthetic tasks.", [("GRPO", "METHOD")]),
    ],
)
def test_name_shapes(sentence: str, expected: list[tuple[str, str]]) -> None:
    nlp = make_pipeline()
    doc = nlp(sentence)
    assert [(m.text, m.type) for m in doc._.concepts] == expected


def test_gazetteer_errors_name_file_and_line(tmp_path) -> None:
    bad = tmp_path / "models.jsonl"
    bad.write_text('{"name": "BERT", "type": "MODEL"}\n{"name": "X", "type": "THING"}\n', encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"models\.jsonl:2: 'type'"):
        load_gazetteer([bad])
    broken = tmp_path / "tasks.jsonl"
    broken.write_text('{"name": "QA", "type": "TASK"\n', encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"tasks\.jsonl:1: invalid JSON"):
        load_gazetteer([broken])


def test_custom_gazetteer_and_stop_list(tmp_path) -> None:
    gaz = tmp_path / "mine.jsonl"
    gaz.write_text(json.dumps({"name": "Waterbirds", "type": "DATASET", "aliases": ["WB"],
                               "case_sensitive": True}) + "\n", encoding="utf-8")
    stop = tmp_path / "generic.txt"
    stop.write_text("# category words\nspurious features\n", encoding="utf-8")
    assert load_generic_phrases(stop) == frozenset({"spurious features"})
    nlp = make_pipeline(gazetteer_paths=[str(gaz)], generic_path=str(stop))
    doc = nlp("Results on WB show that Spurious Features dataset hurts; wb is lower case.")
    assert [(m.text, m.type, m.canonical) for m in doc._.concepts] == [("WB", "DATASET", "Waterbirds")]


@pytest.mark.parametrize(("text", "ents"), [
    ("We fine-tune ResNet-50 on CIFAR-10 and evaluate on ImageNet-C.",
     [("ResNet-50", "MODEL"), ("CIFAR-10", "DATASET"), ("ImageNet-C", "DATASET")]),
    ("We compare with Llama-2-7B. It is weaker.", [("Llama-2-7B", "MODEL")]),
    ("Our results hold on ImageNet-C, ImageNet-R and ImageNet-A.",
     [("ImageNet-C", "DATASET"), ("ImageNet-R", "DATASET"), ("ImageNet-A", "DATASET")]),
    ("We report results on the WikiText dataset.", [("WikiText", "DATASET")]),
])
def test_entities_never_end_with_glued_sentence_punctuation(text, ents) -> None:
    doc = make_pipeline()(text)
    assert [(e.text, e.label_) for e in doc.ents] == ents
    assert [(e.text, e.label_) for e in doc.spans["paper_concepts"]] == ents
    assert doc.text == text  # the split keeps every character and space
    assert [t.text for t in doc][-1] == "."


def test_split_punctuation_stays_in_its_sentence() -> None:
    doc = make_pipeline()("We compare with Llama-2-7B. It is weaker.")
    assert [s.text for s in doc.sents] == ["We compare with Llama-2-7B.", "It is weaker."]
    assert [t.text for t in doc][:7] == ["We", "compare", "with", "Llama-2", "-", "7B", "."]


def test_paper_concepts_alone_trims_glued_full_stop() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("paper_concepts")
    doc = nlp("We fine-tune ResNet-50 on CIFAR-10 and evaluate on ImageNet-C.")
    assert [e.text for e in doc.ents] == ["ResNet-50", "CIFAR-10", "ImageNet-C"]


def test_components_share_their_values_with_doc_underscore() -> None:
    """The components keep their values where ``doc._`` finds them, and read what was set there."""
    text = "We evaluate ResNet-50 on CIFAR-10."
    doc = make_pipeline()(text)
    assert {(c.start, c.end) for c in doc._.paper_evidence if c.rule == "gazetteer"} == {(12, 21), (25, 33)}
    assert doc._.paper_sentence_starts == [0] and doc._.unresolved_names == []
    # evidence given through ``doc._`` is all that ``paper_concepts`` decides from (nothing gathered)
    nlp = spacy.blank("en")
    nlp.add_pipe("paper_concepts")
    given = nlp.make_doc(text)
    given._.paper_evidence = [Candidate(12, 21, "DATASET", "cue:noun", 0.9)]
    given._.abbreviations = []
    given = nlp.get_pipe("paper_concepts")(given)
    assert [(m.text, m.type) for m in given._.concepts] == [("ResNet-50", "DATASET")]


def test_gazetteer_spellings_are_tokenized_outside_the_tokenizer_cache(tmp_path) -> None:
    """Building the gazetteer index must not fill spaCy's bounded chunk cache with its spellings
    (a full cache left every corpus word uncached: the tokenizer ran 3-4x slower)."""
    from extractors.components import _gazetteer_index, uncached_tokenization

    nlp = spacy.blank("en")
    default_limit = nlp.tokenizer.max_cache_size
    assert default_limit > 0
    limits_seen: list[int] = []
    real_make_doc = nlp.make_doc

    def recording_make_doc(text: str):
        limits_seen.append(nlp.tokenizer.max_cache_size)
        return real_make_doc(text)

    nlp.make_doc = recording_make_doc  # type: ignore[method-assign]
    gazetteer = tmp_path / "gaz.jsonl"
    gazetteer.write_text(json.dumps({"name": "Waterbirds", "type": "DATASET"}) + "\n", encoding="utf-8")
    _gazetteer_index(nlp, (str(gazetteer),))
    assert limits_seen and set(limits_seen) == {0}
    assert nlp.tokenizer.max_cache_size == default_limit  # restored afterwards

    with pytest.raises(RuntimeError), uncached_tokenization(nlp):
        assert nlp.tokenizer.max_cache_size == 0
        raise RuntimeError("building failed")
    assert nlp.tokenizer.max_cache_size == default_limit  # restored on failure too

    # the pipeline's own tokenizer (wrapped to keep each text) is restored as well
    pipeline = make_pipeline()
    assert pipeline.tokenizer.tokenizer.max_cache_size == default_limit
    assert [t.text for t in pipeline("Waterbirds (WB), CIFAR-10.")] == [
        t.text for t in spacy.blank("en")("Waterbirds (WB), CIFAR-10.")]
