"""The word codes and lexeme flag the evidence components prefilter tokens with."""

import spacy

from extractors import make_pipeline
from extractors.lexeme_flags import (
    CUE_WORD,
    NAME_START,
    SENTENCE_MARK,
    TASK_HEAD,
    TITLE_WORD,
    noteworthy,
    word_code,
    word_codes,
)


def _flagged(nlp, text: str) -> dict[str, list[str]]:
    codes = word_codes(nlp.vocab)
    doc = nlp.make_doc(text)
    bits = {"name_start": NAME_START, "title_word": TITLE_WORD, "cue_word": CUE_WORD, "task_head": TASK_HEAD,
            "sentence_mark": SENTENCE_MARK}
    flagged = [t for t in doc if t.check_flag(codes.flag)]
    assert all(word_code(t.text) for t in flagged)
    assert not any(word_code(t.text) for t in doc if not t.check_flag(codes.flag))
    code_of = dict(zip(flagged, codes.codes([t.orth for t in flagged]), strict=True))
    return {name: [t.text for t in flagged if code_of[t] & bit] for name, bit in bits.items()}


def test_codes_mark_exactly_the_tokens_rules_start_at():
    nlp = spacy.blank("en")
    got = _flagged(nlp, "We evaluate GPT-4o on the Quokka-Attn dataset for object detection in 2023. Wow!")
    assert got == {
        "name_start": ["GPT-4o", "2023"],
        "title_word": ["We", "Quokka", "Attn", "Wow"],
        "cue_word": ["We", "evaluate", "dataset"],
        "task_head": ["detection"],
        "sentence_mark": [".", "!"],
    }


def test_the_flag_is_added_once_per_vocabulary_in_a_spare_bit():
    nlp = spacy.blank("en")
    first = word_codes(nlp.vocab)
    assert word_codes(nlp.vocab) is first
    assert first.flag >= 19
    assert [bit for bit, func in nlp.vocab.lex_attr_getters.items() if func is noteworthy] == [first.flag]
    other = spacy.blank("en")
    assert word_codes(other.vocab) is not first


def test_words_first_seen_after_registration_get_the_flag():
    nlp = spacy.blank("en")
    word_codes(nlp.vocab)
    assert "Zyxwv9000" not in nlp.vocab.strings
    got = _flagged(nlp, "Zyxwv9000 benchmarks")
    assert got["name_start"] == ["Zyxwv9000"]
    assert got["cue_word"] == ["benchmarks"]


def test_pipeline_output_does_not_depend_on_words_seen_before():
    """Flags are set for words already in the vocabulary when they are added, and for new ones later."""
    text = "Qwen2.5-1.5B on GSM8K\n\nWe fine-tune Qwen2.5-1.5B on the GSM8K benchmark."
    warm = make_pipeline()
    warm("Qwen2.5-1.5B GSM8K benchmark fine-tune")
    ents = [(e.text, e.label_) for e in warm(text).ents]
    fresh = [(e.text, e.label_) for e in make_pipeline()(text).ents]
    assert ents == fresh == [("Qwen2.5-1.5B", "MODEL"), ("GSM8K", "DATASET"), ("Qwen2.5-1.5B", "MODEL"),
                             ("GSM8K", "DATASET")]


def test_sentence_starts_tried_at_marked_tokens_equal_the_full_scan():
    from extractors.resolve import sentence_starts

    nlp = spacy.blank("en")
    codes = word_codes(nlp.vocab)
    texts = ["Title.\n\nWe use e.g. GPT-4. Results (Fig. 3) hold! Next? Yes.\nSee et al. 2020. Done",
             'He said "Go." Then x.  \n  Y', "end?) Next", "no marks at all"]
    for text in texts:
        doc = nlp.make_doc(text)
        marks = [(t.idx, t.idx + len(t)) for t in doc if word_code(t.text) & SENTENCE_MARK]
        assert all(t.check_flag(codes.flag) for t in doc if word_code(t.text) & SENTENCE_MARK)
        assert sentence_starts(text, marks) == sentence_starts(text)
    starts = sentence_starts(texts[0])
    assert [texts[0][s:s + 7] for s in starts] == [
        "Title.\n", "We use ", "Results", "Next? Y", "Yes.\nSe", "See et ", "Done"]


def test_codes_of_only_the_last_few_vocabularies_are_kept():
    from extractors import lexeme_flags

    vocabs = [spacy.blank("en").vocab for _ in range(lexeme_flags._KEPT_VOCABS + 3)]
    made = [word_codes(v) for v in vocabs]
    assert len(lexeme_flags._WORD_CODES) == lexeme_flags._KEPT_VOCABS
    assert word_codes(vocabs[-1]) is made[-1]
    assert word_codes(vocabs[0]) is not made[0]  # dropped, made again (its flag is found, not re-added)
    assert word_codes(vocabs[0]).flag == made[0].flag
