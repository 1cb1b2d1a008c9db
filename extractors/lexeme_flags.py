"""Word codes that tell the evidence components where to look.

The name-shape and cue-phrase rules only ever start at a few kinds of token: a
word with a capital letter or a digit, a cue word ("dataset", "evaluated",
"we"), a task head ("detection"); a sentence can only end inside a token with
``.``, ``!``, ``?`` or a line break. All of that depends on the word alone, so
it is decided once per word:

* a custom lexeme flag (:meth:`spacy.vocab.Vocab.add_flag`), set by spaCy when
  it first adds a word to the vocabulary, says "some rule cares about this
  word" (:func:`noteworthy`); one ``Doc.to_array`` call reads it for every token;
* for the few flagged tokens, :class:`WordCodes` gives the bits saying which
  rules (:func:`word_code`), cached per word.

That replaces a Python test per token with one array read and a short loop.
"""

from __future__ import annotations

from spacy.lang.lex_attrs import is_alpha, is_lower, is_punct, is_space, is_title
from spacy.vocab import Vocab

from extractors.evidence import TRIGGER_WORDS
from extractors.shapes import TASK_HEADS

__all__ = [
    "CUE_WORD", "NAME_START", "SENTENCE_MARK", "TASK_HEAD", "TITLE_WORD", "WordCodes", "cue_word",
    "name_start", "noteworthy", "sentence_mark", "task_head", "title_word", "word_code", "word_codes",
]


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


def sentence_mark(text: str) -> bool:
    """A token inside which a sentence can end: it has ``.``, ``!``, ``?`` or a line break."""
    return "." in text or "!" in text or "?" in text or "\n" in text


#: Bits of a word's code (:func:`word_code`).
NAME_START, TITLE_WORD, CUE_WORD, TASK_HEAD, SENTENCE_MARK = 1, 2, 4, 8, 16
_TESTS = ((name_start, NAME_START), (title_word, TITLE_WORD), (cue_word, CUE_WORD), (task_head, TASK_HEAD),
          (sentence_mark, SENTENCE_MARK))
_LAST_FLAG = 63
#: spaCy's built-in attribute ids end well below this (``spacy.attrs.FLAG19`` is the first spare one).
_FIRST_FREE_FLAG = 19


def word_code(text: str) -> int:
    """The bits (:data:`NAME_START`, …) of every test *text* passes; 0 for most words."""
    return sum(bit for test, bit in _TESTS if test(text))


def noteworthy(text: str) -> bool:
    """True if any rule may start at or look inside this word (``word_code(text) != 0``)."""
    return word_code(text) != 0


class WordCodes:
    """The :func:`word_code` of every word of one vocabulary, by ``ORTH`` id (computed once per word).

    Also holds the id of the ``noteworthy`` lexeme flag: reading that one flag for all
    tokens (``Doc.to_array``) leaves only the few flagged tokens to look up here.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.flag = _noteworthy_flag(vocab)
        self._codes: dict[int, int] = {}

    def codes(self, orths: list[int]) -> list[int]:
        """The codes of the words with these ``ORTH`` ids."""
        codes = self._codes
        strings = self.vocab.strings
        for orth in set(orths).difference(codes):
            codes[orth] = word_code(strings[orth])
        return [codes[orth] for orth in orths]


_WORD_CODES: dict[int, WordCodes] = {}
#: Vocabularies whose codes are kept (the most recently first used; like the gazetteer index cache).
_KEPT_VOCABS = 8


def word_codes(vocab: Vocab) -> WordCodes:
    """The :class:`WordCodes` of *vocab* (one per vocabulary, made on first use).

    Only the last few vocabularies' codes are kept, so a process that makes many
    pipelines does not keep every old vocabulary alive through this cache.
    """
    found = _WORD_CODES.get(id(vocab))
    if found is None or found.vocab is not vocab:
        found = _WORD_CODES[id(vocab)] = WordCodes(vocab)
        while len(_WORD_CODES) > _KEPT_VOCABS:
            del _WORD_CODES[next(iter(_WORD_CODES))]
    return found


def _noteworthy_flag(vocab: Vocab) -> int:
    """The id of the :func:`noteworthy` flag in *vocab*, added on first use (idempotent)."""
    getters = vocab.lex_attr_getters
    for flag, func in getters.items():
        if func is noteworthy:
            return flag
    # the highest free bit: the low bits are spaCy's own attributes (IS_ALPHA = 1, …)
    free = next((bit for bit in range(_LAST_FLAG, _FIRST_FREE_FLAG - 1, -1) if bit not in getters), None)
    if free is None:
        raise ValueError("no free lexeme flag bit left in this vocabulary")
    return vocab.add_flag(noteworthy, flag_id=free)
