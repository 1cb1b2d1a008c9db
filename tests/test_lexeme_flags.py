"""The lexeme flags the evidence components prefilter tokens with."""

import spacy

from extractors import make_pipeline
from extractors.lexeme_flags import LexemeFlags, lexeme_flags


def _flagged(nlp, text: str) -> dict[str, list[str]]:
    flags = lexeme_flags(nlp.vocab)
    doc = nlp.make_doc(text)
    names = ("name_start", "title_word", "cue_word", "task_head")
    return {name: [t.text for t in doc if t.check_flag(getattr(flags, name))] for name in names}


def test_flags_mark_exactly_the_tokens_rules_start_at():
    nlp = spacy.blank("en")
    got = _flagged(nlp, "We evaluate GPT-4o on the Quokka-Attn dataset for object detection in 2023.")
    assert got == {
        "name_start": ["GPT-4o", "2023"],
        "title_word": ["We", "Quokka", "Attn"],
        "cue_word": ["We", "evaluate", "dataset"],
        "task_head": ["detection"],
    }


def test_flags_are_added_once_per_vocabulary_in_spare_bits():
    nlp = spacy.blank("en")
    first = lexeme_flags(nlp.vocab)
    assert lexeme_flags(nlp.vocab) == first
    assert isinstance(first, LexemeFlags)
    assert min(first.name_start, first.title_word, first.cue_word, first.task_head) >= 19
    assert len({first.name_start, first.title_word, first.cue_word, first.task_head}) == 4


def test_words_first_seen_after_registration_get_their_flags():
    nlp = spacy.blank("en")
    lexeme_flags(nlp.vocab)
    assert "Zyxwv9000" not in nlp.vocab.strings
    assert _flagged(nlp, "Zyxwv9000 benchmarks")["name_start"] == ["Zyxwv9000"]
    assert _flagged(nlp, "Zyxwv9000 benchmarks")["cue_word"] == ["benchmarks"]


def test_pipeline_output_does_not_depend_on_words_seen_before():
    """Flags are set for words already in the vocabulary when they are added, and for new ones later."""
    text = "Qwen2.5-1.5B on GSM8K\n\nWe fine-tune Qwen2.5-1.5B on the GSM8K benchmark."
    warm = make_pipeline()
    warm("Qwen2.5-1.5B GSM8K benchmark fine-tune")
    ents = [(e.text, e.label_) for e in warm(text).ents]
    fresh = [(e.text, e.label_) for e in make_pipeline()(text).ents]
    assert ents == fresh == [("Qwen2.5-1.5B", "MODEL"), ("GSM8K", "DATASET"), ("Qwen2.5-1.5B", "MODEL"),
                             ("GSM8K", "DATASET")]
