"""The spaCy components, registered with ``@Language.factory``.

Evidence components append :class:`~extractors.evidence.Candidate` objects to
``doc._.paper_evidence``; ``paper_concepts`` decides. In order:

=====================  ===========================================================================
``paper_sentences``    rule-based sentence starts (``token.is_sent_start``) and the title/abstract
                       split (the text before the first blank line is the title)
``paper_gazetteer``    known names from the packaged gazetteers (case-aware ``PhraseMatcher``)
``paper_name_shapes``  distinctive spellings (``Qwen2.5-1.5B``, ``GFlowVLM``), typed by family/suffix
``paper_abbreviations`` acronym definitions, Schwartz–Hearst style → ``doc._.abbreviations``
``paper_cue_phrases``  "the X dataset", "benchmarks such as X", "evaluated on X", "we propose X",
                       the title's "Name:" prefix, task phrases ("monocular depth estimation")
``paper_urls``         code/project URLs (REPO)
``paper_concepts``     resolves overlaps, filters generic phrases, sets ``doc.ents``,
                       ``doc.spans["paper_concepts"]`` and ``doc._.concepts``
=====================  ===========================================================================

``paper_concepts`` works on its own too: added to a pipeline without the
evidence components (``nlp.add_pipe("paper_concepts")``), it runs all of
them itself.

Doc extensions (registered on import):

* ``doc._.concepts`` — list of :class:`~extractors.resolve.ConceptMention`, by position;
* ``doc._.abbreviations`` — list of :class:`~extractors.abbreviations.AbbreviationPair`;
* ``doc._.unresolved_names`` — distinctive names with no type evidence in this document;
* ``doc._.paper_title_end`` — length of the title part (0 when the text has no title);
* ``doc._.paper_evidence`` — the raw candidates (for debugging).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy
from spacy.attrs import IDX, LENGTH, ORTH, SENT_START
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractors.abbreviations import find_abbreviations
from extractors.evidence import (
    Candidate,
    GazetteerIndex,
    cue_candidates,
    shape_candidates,
    task_phrase_candidates,
    title_candidates,
    url_candidates,
)
from extractors.gazetteer import load_gazetteer, load_generic_phrases
from extractors.lexeme_flags import CUE_WORD, NAME_START, SENTENCE_MARK, TASK_HEAD, TITLE_WORD, word_codes
from extractors.resolve import ConceptMention, resolve_candidates, sentence_starts

__all__ = ["SPAN_KEY", "TITLE_SEPARATOR", "TextKeepingTokenizer", "doc_text", "findings_only",
           "register_extensions", "title_end", "uncached_tokenization"]

SPAN_KEY = "paper_concepts"
#: The title is the text before the first occurrence of this separator.
TITLE_SEPARATOR = "\n\n"
_MAX_TITLE = 400

_TEXT_KEY = ("paper_concepts", "text")
_FINDINGS_ONLY_KEY = ("paper_concepts", "findings_only")
_HYPHEN = get_string_id("-")
_EXTENSIONS = ("concepts", "abbreviations", "unresolved_names", "paper_evidence", "paper_sentence_starts")


def register_extensions() -> None:
    """Register the ``Doc`` extensions (idempotent)."""
    for name in _EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("paper_title_end"):
        Doc.set_extension("paper_title_end", getter=title_end)


class TextKeepingTokenizer:
    """Wraps a tokenizer to remember each document's text (``doc.text`` is rebuilt from tokens)."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[_TEXT_KEY] = text
        return doc

    def __getattr__(self, name: str):
        return getattr(self.tokenizer, name)


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per document (spaCy rebuilds it from the tokens on every access)."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def findings_only(doc: Doc) -> Doc:
    """Mark *doc* so that the components compute their findings but leave its tokens unannotated.

    Corpus extraction (:func:`extractors.workers.iter_findings`) keeps only
    ``doc._.concepts``, ``doc._.unresolved_names`` and ``doc._.abbreviations``
    of each document and drops the ``Doc``. For such a document
    ``paper_sentences`` does not set ``token.is_sent_start`` and
    ``paper_concepts`` sets neither ``doc.ents`` nor ``doc.spans`` and splits
    no glued punctuation: about a sixth of the pipeline's time per abstract
    (docs/PERFORMANCE.md). The findings are the same (a test compares them).
    """
    doc.user_data[_FINDINGS_ONLY_KEY] = True
    return doc


def title_end(doc: Doc) -> int:
    """Length of the title part of ``doc.text`` (the text before the first blank line), or 0."""
    text = doc_text(doc)
    idx = text.find(TITLE_SEPARATOR)
    return idx if 0 < idx <= _MAX_TITLE and "\n" not in text[:idx] else 0


register_extensions()


_COLUMNS_KEY = ("paper_concepts", "token_columns")


@dataclass(frozen=True, slots=True)
class TokenColumns:
    """What the components need from the tokens of one ``Doc``, read once per document.

    ``idx``/``length`` are every token's start offset and length (``idx_array``: the
    offsets as a numpy array); the other lists are the start offsets of the tokens
    each rule starts at (see :mod:`extractors.lexeme_flags`) and the spans of the
    tokens a sentence may end in.
    """

    idx: list[int]
    length: list[int]
    idx_array: numpy.ndarray
    name_starts: list[int]
    cue_starts: list[int]
    head_starts: list[int]
    marks: list[tuple[int, int]]


def token_columns(doc: Doc) -> TokenColumns:
    """The :class:`TokenColumns` of *doc*, computed once and shared by the components.

    Recomputed if the tokens changed in between (a split adds a token).
    """
    cols = doc.user_data.get(_COLUMNS_KEY)
    if cols is None or len(cols.idx) != len(doc):
        cols = doc.user_data[_COLUMNS_KEY] = _read_columns(doc)
    return cols


def _read_columns(doc: Doc) -> TokenColumns:
    codes_of = word_codes(doc.vocab)
    arr = doc.to_array([ORTH, IDX, LENGTH, codes_of.flag])
    idx, length = arr[:, 1].tolist(), arr[:, 2].tolist()
    flagged = numpy.flatnonzero(arr[:, 3]).tolist()
    orth = arr[:, 0]
    codes = codes_of.codes(orth[flagged].tolist())
    name_starts, cue_starts, head_starts, marks = [], [], [], []
    last = len(idx) - 1
    for i, code in zip(flagged, codes, strict=True):
        start = idx[i]
        # a title-case word starts a name only with a hyphen glued to it ("Quokka-Attn")
        if code & NAME_START or (code & TITLE_WORD and i < last and orth[i + 1] == _HYPHEN
                                 and idx[i + 1] == start + length[i]):
            name_starts.append(start)
        if code & CUE_WORD:
            cue_starts.append(start)
        if code & TASK_HEAD:
            head_starts.append(start)
        if code & SENTENCE_MARK:
            marks.append((start, start + length[i]))
    return TokenColumns(idx, length, arr[:, 1], name_starts, cue_starts, head_starts, marks)


def _ext_key(name: str) -> tuple[str, str, None, None]:
    """Where ``doc._.<name>`` is kept in ``doc.user_data`` (the key spaCy's ``Underscore`` uses).

    The components read and write their own extensions (plain values, no getter or setter)
    under this key directly: every ``doc._`` builds an accessor object and each attribute
    access goes through ``Underscore.__getattr__``, about 20 times per document otherwise.
    """
    return ("._.", name, None, None)


_CONCEPTS = _ext_key("concepts")
_ABBREVIATIONS = _ext_key("abbreviations")
_UNRESOLVED = _ext_key("unresolved_names")
_EVIDENCE = _ext_key("paper_evidence")
_SENTENCE_STARTS = _ext_key("paper_sentence_starts")


def _evidence(doc: Doc) -> list[Candidate]:
    data = doc.user_data
    evidence = data.get(_EVIDENCE)
    if evidence is None:
        evidence = data[_EVIDENCE] = []
    return evidence


def _starts(doc: Doc) -> list[int]:
    data = doc.user_data
    starts = data.get(_SENTENCE_STARTS)
    if starts is None:
        starts = sentence_starts(doc_text(doc), token_columns(doc).marks)
        cut = title_end(doc)
        if cut:
            starts = sorted({*starts, cut + len(TITLE_SEPARATOR)})
        data[_SENTENCE_STARTS] = starts
    return starts


@lru_cache(maxsize=8)
def _gazetteer_index(nlp: Language, paths: tuple[str, ...] | None) -> GazetteerIndex:
    with uncached_tokenization(nlp):
        return GazetteerIndex(nlp.vocab, load_gazetteer(paths), nlp.make_doc)


@contextmanager
def uncached_tokenization(nlp: Language) -> Iterator[None]:
    """Tokenize without adding to the tokenizer's chunk cache while the block runs.

    spaCy's tokenizer caches the tokens of at most ``max_cache_size`` (10,000)
    distinct chunks (whitespace-separated words) and caches nothing new once that
    many are held. The gazetteer index tokenizes ~10,000 spellings of names; left
    in the cache they filled it, so every chunk of the corpus went through the
    prefix/suffix/infix search again, and the pipeline's tokenizer ran 3–4x
    slower than a fresh one (docs/PERFORMANCE.md). The cache only saves time:
    tokenization is the same with or without it. A tokenizer that is not spaCy's
    own (no ``max_cache_size``) is left alone.
    """
    tokenizer = getattr(nlp.tokenizer, "tokenizer", nlp.tokenizer)  # TextKeepingTokenizer wraps one
    limit = getattr(tokenizer, "max_cache_size", None)
    if not isinstance(limit, int):
        yield
        return
    tokenizer.max_cache_size = 0
    try:
        yield
    finally:
        tokenizer.max_cache_size = limit


def _generic(path: str | None) -> frozenset[str]:
    return load_generic_phrases(path)


def _paths(paths: list[str] | None) -> tuple[str, ...] | None:
    return tuple(paths) if paths else None


# ---------------------------------------------------------------------------------------------
class SentenceSplitter:
    """Rule-based sentence starts; the title is always its own sentence."""

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if doc.user_data.get(_FINDINGS_ONLY_KEY):
            _starts(doc)  # what the later components read
            return doc
        idx = token_columns(doc).idx_array
        positions = numpy.searchsorted(idx, _starts(doc))
        positions = positions[positions < len(idx)]
        values = numpy.full((len(idx), 1), -1, dtype="int32")
        values[positions] = 1
        values[0] = 1
        doc.from_array([SENT_START], values.astype("uint64"))
        return doc


class GazetteerMatcher:
    """Adds gazetteer matches as candidates."""

    def __init__(self, index: GazetteerIndex) -> None:
        self.index = index

    def __call__(self, doc: Doc) -> Doc:
        columns = token_columns(doc)
        _evidence(doc).extend(self.index.candidates(doc, doc_text(doc), columns.idx, columns.length))
        return doc


class NameShapes:
    """Adds distinctive name spellings, typed by gazetteer family or suffix when possible."""

    def __init__(self, index: GazetteerIndex | None) -> None:
        self.index = index

    def __call__(self, doc: Doc) -> Doc:
        # token prefilter: names have a capital or a digit, and are not plain title-case words
        # (lower-case, punctuation and space tokens never start a name) — see lexeme_flags
        starts = token_columns(doc).name_starts
        _evidence(doc).extend(shape_candidates(doc_text(doc), self.index, starts))
        return doc


class Abbreviations:
    """Finds acronym definitions (``doc._.abbreviations``)."""

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[_ABBREVIATIONS] = find_abbreviations(doc_text(doc))
        return doc


class CuePhrases:
    """Adds cue-phrase, proposal, title-prefix and task-phrase candidates."""

    def __init__(self, index: GazetteerIndex | None) -> None:
        self.index = index

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        cut = title_end(doc)
        abstract_start = cut + len(TITLE_SEPARATOR) if cut else 0
        data = doc.user_data
        abbrs = data.get(_ABBREVIATIONS)
        if abbrs is None:
            abbrs = data[_ABBREVIATIONS] = find_abbreviations(text)
        ev = _evidence(doc)
        # token-level prefilter: where the cue words and task heads are (see lexeme_flags)
        cols = token_columns(doc)
        starts, head_starts = cols.cue_starts, cols.head_starts
        ev.extend(cue_candidates(text, abstract_start, self.index, abbrs, starts))
        ev.extend(task_phrase_candidates(text, 0, head_starts))
        if cut:
            ev.extend(title_candidates(text, cut, self.index, abbrs))
        return doc


class Urls:
    """Adds code/project URLs as REPO candidates."""

    def __call__(self, doc: Doc) -> Doc:
        _evidence(doc).extend(url_candidates(doc_text(doc)))
        return doc


class PaperConcepts:
    """Resolves the evidence into concept mentions and writes them to the ``Doc``."""

    def __init__(self, nlp: Language, index: GazetteerIndex, generic: frozenset[str]) -> None:
        self.index = index
        self.generic = generic
        self._fallback = [GazetteerMatcher(index), NameShapes(index), Abbreviations(), CuePhrases(index),
                          Urls()]

    def __call__(self, doc: Doc) -> Doc:
        if doc.user_data.get(_EVIDENCE) is None:  # used alone: gather the evidence here
            for step in self._fallback:
                doc = step(doc)
        data = doc.user_data
        mentions, unresolved = resolve_candidates(
            doc_text(doc), data.get(_EVIDENCE) or [], data.get(_ABBREVIATIONS) or [], _starts(doc),
            title_end(doc), self.generic, self.index,
        )
        data[_CONCEPTS] = mentions
        data[_UNRESOLVED] = unresolved
        if data.get(_FINDINGS_ONLY_KEY):
            data.pop(_COLUMNS_KEY, None)
            return doc
        _split_glued_punctuation(doc, mentions)
        spans = _mention_spans(doc, mentions)
        doc.user_data.pop(_COLUMNS_KEY, None)
        doc.spans[SPAN_KEY] = spans
        existing = doc.ents
        if existing:  # keep a previous recogniser's entities where ours do not overlap them
            doc.ents = filter_spans([*spans, *existing])
        else:  # nothing to reset: only our tokens change (much faster than a full reset)
            doc.set_ents(filter_spans(spans), default="unmodified")
        return doc


def _token_range(idx: list[int], lengths: list[int], start: int, end: int) -> tuple[int, int]:
    """The tokens a character span touches, as ``Doc.char_span(..., alignment_mode="expand")`` finds them.

    Every character belongs to one token (with its trailing whitespace), so a
    bisection of the tokens' start offsets finds it; returns ``(first, last + 1)``.
    """
    first = bisect_right(idx, start) - 1
    if first >= 0 and start == idx[first] + lengths[first]:  # in the previous token's whitespace
        first += 1
    return first, bisect_right(idx, end - 1)


def _mention_spans(doc: Doc, mentions: list[ConceptMention]) -> list[Span]:
    """One labelled ``Span`` per mention, over the tokens its characters touch."""
    cols = token_columns(doc)
    idx, lengths = cols.idx, cols.length
    spans = []
    for m in mentions:
        first, stop = _token_range(idx, lengths, m.start, m.end)
        if 0 <= first < stop:
            spans.append(Span(doc, first, stop, label=m.type, kb_id=m.canonical or ""))
    return spans


def _split_glued_punctuation(doc: Doc, mentions: list[ConceptMention]) -> None:
    """Split punctuation glued to the last token of a mention into a token of its own.

    spaCy keeps "C." (and "7B.") as one token by its exceptions for single capital
    letters, so "evaluate on ImageNet-C." would give the entity "ImageNet-C.". A
    mention's character span is the name as found (a known name keeps its own
    dot); where a token runs past the end of a mention by punctuation only, that
    token is split so the entity ends exactly where the name does.
    """
    cols = token_columns(doc)
    idx, lengths = cols.idx, cols.length
    text = doc_text(doc)
    cuts: dict[int, int] = {}  # token index → split offset inside the token
    for m in mentions:
        first, stop = _token_range(idx, lengths, m.start, m.end)
        if not 0 <= first < stop:
            continue
        last = stop - 1
        token_end = idx[last] + lengths[last]
        if token_end == m.end or m.end <= idx[last]:
            continue
        tail = text[m.end:token_end]
        if tail and all(unicodedata.category(ch).startswith("P") for ch in tail):
            cuts[last] = m.end - idx[last]
    if not cuts:
        return
    tokens = [(doc[i], cut) for i, cut in cuts.items()]
    tail_starts = [token.idx + cut for token, cut in tokens]
    with doc.retokenize() as retokenizer:
        for token, cut in tokens:
            retokenizer.split(token, [token.text[:cut], token.text[cut:]], heads=[(token, 0), (token, 0)])
    if not doc.has_annotation("DEP"):  # the split-off punctuation continues its sentence
        for start in tail_starts:
            tail = doc.char_span(start, start + 1, alignment_mode="expand")
            if tail is not None:
                tail[0].is_sent_start = False


# ---------------------------------------------------------------------------------------------
_GAZ_CONFIG = {"gazetteer_paths": None}


@Language.factory("paper_sentences")
def make_paper_sentences(nlp: Language, name: str) -> SentenceSplitter:
    """Rule-based sentence boundaries; title and abstract never share a sentence."""
    return SentenceSplitter()


@Language.factory("paper_gazetteer", default_config=_GAZ_CONFIG)
def make_paper_gazetteer(nlp: Language, name: str, gazetteer_paths: list[str] | None) -> GazetteerMatcher:
    """Known datasets/models/methods/tasks (``gazetteer_paths``: ``*.jsonl`` files; default: packaged)."""
    return GazetteerMatcher(_gazetteer_index(nlp, _paths(gazetteer_paths)))


@Language.factory("paper_name_shapes", default_config=_GAZ_CONFIG)
def make_paper_name_shapes(nlp: Language, name: str, gazetteer_paths: list[str] | None) -> NameShapes:
    """Distinctive name spellings such as ``Qwen2.5-1.5B``, ``GPT-4o``, ``GFlowVLM``."""
    return NameShapes(_gazetteer_index(nlp, _paths(gazetteer_paths)))


@Language.factory("paper_abbreviations")
def make_paper_abbreviations(nlp: Language, name: str) -> Abbreviations:
    """Acronym definitions "Long Form (LF)" and "LF (Long Form)"."""
    return Abbreviations()


@Language.factory("paper_cue_phrases", default_config=_GAZ_CONFIG)
def make_paper_cue_phrases(nlp: Language, name: str, gazetteer_paths: list[str] | None) -> CuePhrases:
    """Cue phrases, proposals ("we propose X"), title prefixes and task phrases."""
    return CuePhrases(_gazetteer_index(nlp, _paths(gazetteer_paths)))


@Language.factory("paper_urls")
def make_paper_urls(nlp: Language, name: str) -> Urls:
    """Code and project URLs."""
    return Urls()


@Language.factory("paper_concepts", default_config={"gazetteer_paths": None, "generic_path": None})
def make_paper_concepts(
    nlp: Language, name: str, gazetteer_paths: list[str] | None, generic_path: str | None
) -> PaperConcepts:
    """Decide the concepts: ``doc.ents``, ``doc.spans["paper_concepts"]``, ``doc._.concepts``."""
    return PaperConcepts(nlp, _gazetteer_index(nlp, _paths(gazetteer_paths)), _generic(generic_path))
