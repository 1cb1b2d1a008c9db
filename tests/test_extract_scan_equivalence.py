"""The fast scans give exactly what the plain regex scans they replace give, on any text."""

import re

import spacy
from hypothesis import example, given, settings
from hypothesis import strategies as st

from extractors.evidence import _TASK_MOD, _left_word
from extractors.lexeme_flags import SENTENCE_MARK, word_code
from extractors.resolve import sentence_starts

#: ``\Z``, not ``$``: ``$`` also matches before a final newline, which no left word is followed by.
_LEFT_WORD_RE = re.compile(rf"(?:^|(?<=[\s(\"']))(?P<word>{_TASK_MOD}) \Z")
_NLP = spacy.blank("en")
_ALPHABET = "aAbBzZ09 .!?()\"'-,;:\n\t\u00a0eEgGiIlL"
texts = st.text(alphabet=_ALPHABET, max_size=120) | st.sampled_from([
    "We use e.g. GPT-4. Results (Fig. 3) hold! Next? Yes.\nSee et al. 2020. Done",
    "multihop question answering and blind image inpainting", "(zero-shot cross-lingual transfer",
])


def _regex_left_word(text: str, start: int) -> int:
    match = _LEFT_WORD_RE.search(text, max(0, start - 40), start)
    return match.start("word") if match else -1


@settings(max_examples=400, deadline=None)
@given(texts)
def test_sentence_starts_at_marked_tokens_equal_the_full_scan(text):
    doc = _NLP.make_doc(text)
    marks = [(t.idx, t.idx + len(t)) for t in doc if word_code(t.text) & SENTENCE_MARK]
    assert sentence_starts(text, marks) == sentence_starts(text)


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(min_value=0, max_value=130))
@example("AA \n", 4)  # a word, a space, then a final newline: no left word
def test_left_word_equals_the_regex_search(text, start):
    start = min(start, len(text))
    assert _left_word(text, start) == _regex_left_word(text, start)


def test_left_word_examples():
    text = "on multihop question answering"
    assert text[_left_word(text, text.index("question")):text.index("question") - 1] == "multihop"
    assert _left_word(text, text.index("multihop")) == text.index("on")
    assert _left_word("x,foo bar", 6) == -1
