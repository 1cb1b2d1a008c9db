"""Boolean lexeme flags that tell the evidence components where to look.

The name-shape and cue-phrase rules only ever start at a few kinds of token: a
word with a capital letter or a digit, a cue word ("dataset", "evaluated",
"we"), a task head ("detection"). Whether a word is one of those depends on
the word alone, so it is computed once per *lexeme* — when spaCy first adds
the word to the vocabulary — and stored as a custom flag bit
(:meth:`spacy.vocab.Vocab.add_flag`). A component then reads every token's
flags with one ``Doc.to_array`` call and selects the positions with numpy,
instead of running a Python test per token.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.lang.lex_attrs import is_alpha, is_lower, is_punct, is_space, is_title
from spacy.vocab import Vocab

from extractors.evidence import TRIGGER_WORDS
from extractors.shapes import TASK_HEADS

__all__ = ["LexemeFlags", "cue_word", "lexeme_flags", "name_start", "task_head", "title_word"]


def name_start(text: str) -> bool:
    """A word that can start a distinctive name: it has a capital letter or a digit, and is
    neither punctuation nor a plain title-case word ("Qwen2.5", "GPT", "ResNet"; not "The")."""
    if is_lower(text) or is_punct(text) or is_space(text):
        return False
    return not (is_title(text) and is_alpha(text))


def title_word(text: str) -> bool:
    """A plain title-case word ("Quokka"): a name only when a hyphen is glued to it."""
    return is_title(text) and is_alpha(text)


def cue_word(text: str) -> bool:
    """A word that can start a cue phrase (:data:`extractors.evidence.TRIGGER_WORDS`)."""
    return text.lower() in TRIGGER_WORDS


def task_head(text: str) -> bool:
    """A word that can end a task phrase (:data:`extractors.shapes.TASK_HEADS`)."""
    return text.lower() in TASK_HEADS


_TESTS = (name_start, title_word, cue_word, task_head)
_LAST_FLAG = 63
#: spaCy's built-in attribute ids end well below this (``spacy.attrs.FLAG19`` is the first spare one).
_FIRST_FREE_FLAG = 19


@dataclass(frozen=True, slots=True)
class LexemeFlags:
    """The flag ids of :func:`name_start`, :func:`title_word`, :func:`cue_word` and
    :func:`task_head` in one vocabulary (attribute ids for ``Doc.to_array``)."""

    name_start: int
    title_word: int
    cue_word: int
    task_head: int


def lexeme_flags(vocab: Vocab) -> LexemeFlags:
    """The flag ids in *vocab*, adding the flags on first use (idempotent).

    Flags are found again by their test function, so calling this for the
    same vocabulary from several components adds each flag once.
    """
    getters = vocab.lex_attr_getters
    registered = {func: flag for flag, func in getters.items() if func in _TESTS}
    for test in _TESTS:
        if test not in registered:
            # the highest free bit: the low bits are spaCy's own attributes (IS_ALPHA = 1, …)
            spare = range(_LAST_FLAG, _FIRST_FREE_FLAG - 1, -1)
            free = next((bit for bit in spare if bit not in getters), None)
            if free is None:
                raise ValueError("no free lexeme flag bit left in this vocabulary")
            registered[test] = vocab.add_flag(test, flag_id=free)
    return LexemeFlags(*(registered[test] for test in _TESTS))
