"""Evidence finders: each turns a document into candidate spans with a type guess.

A :class:`Candidate` is a character span of the document text, a type (or
``None`` when only the shape says "this is a name"), the rule that produced it
and a confidence. The finders are plain functions/classes so that the spaCy
components in :mod:`extractors.components` stay thin; all patterns are compiled
once at import.

Rules (the ``rule`` value of a candidate):

``gazetteer``
    a known name or alias (case-aware per entry).
``shape``
    a distinctive name spelling typed by its suffix ("ResNet-50" → MODEL).
``family``
    a distinctive name whose leading letters are a known concept
    ("Llama-3-8B" → the Llama family → MODEL; "ImageNet-C" → DATASET).
``cue:noun``
    "the X dataset", "X and Y benchmarks", "the X model".
``cue:list``
    "benchmarks such as X, Y and Z", "tasks (X, Y)".
``cue:eval``
    "evaluated on X", "experiments on X and Y".
``propose``
    "we propose/introduce/present [a new framework,] X".
``title``
    a title's "Name:" prefix (role PROPOSES).
``task_phrase``
    a noun phrase ending in a task word ("monocular depth estimation").
``task_extension``
    a known task with the words that make it specific ("multihop question answering").
``technique``
    a technique phrase before a method noun ("a progressive learning mechanism").
``method_phrase``
    one or two content words before a technique word ("hard-sample mining").
``url``
    a code or project URL (REPO).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.attrs import IDX
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from extractors.gazetteer import GazetteerEntry
from extractors.shapes import (
    METHOD_HEADS,
    NOT_NAMES,
    NOUN_TYPES,
    SPELLING_CACHE_SIZE,
    STRONG_NAME_RE,
    TASK_HEADS,
    TASK_NOUNS,
    VARIANT_TAIL_RE,
    alpha_prefix,
    find_word,
    head_type,
    is_strong_name,
    suffix_type,
    trim_name,
)
from extractors.urls import find_urls

if TYPE_CHECKING:
    from extractors.abbreviations import AbbreviationPair

__all__ = [
    "TRIGGER_WORDS",
    "Candidate",
    "GazetteerIndex",
    "cue_candidates",
    "list_siblings",
    "proposal_candidates",
    "shape_candidates",
    "task_extensions",
    "task_phrase_candidates",
    "title_candidates",
    "url_candidates",
]


@dataclass(slots=True)
class Candidate:
    """A span of the document text that may be a concept."""

    start: int
    end: int
    type: str | None
    rule: str
    confidence: float
    role: str = "USES"
    canonical: str | None = None  # gazetteer canonical name, when known
    strong: bool = False  # a distinctive name spelling (kept for corpus-level resolution)


# ---------------------------------------------------------------------------------------------
# Gazetteer
# ---------------------------------------------------------------------------------------------
def _with_spelling_variants(surfaces: tuple[str, ...]) -> tuple[str, ...]:
    """Surfaces plus their hyphen/space variants: "Stable Diffusion" ↔ "Stable-Diffusion"."""
    out = list(surfaces)
    for s in surfaces:
        if " " in s and len(s.split()) <= 3:
            out.append(s.replace(" ", "-"))
        if re.search(r"[A-Za-z]-[A-Za-z]", s):
            out.append(re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", " ", s))
    return tuple(dict.fromkeys(out))


_VERB_USE_RE = re.compile(
    r"\s+(?:the|a|an|its|their|our|his|her|this|these|those|such|model|performance|generalization"
    r"|accuracy|results?|efficiency|robustness|capabilit\w*|abilit\w*)\b"
)
_GLUED_TAIL_RE = re.compile(r"-[\w.]+")
#: Glued modifiers that leave the name itself intact: "CLIP-based", "self-play-generated".
_HARMLESS_TAIL_RE = re.compile(
    r"-(?:based|like|style|level|aware|free|specific|only|generated|driven|guided|powered|inspired|assisted)",
    re.IGNORECASE)


#: A version number after a known model's name ("Orca 1", "Depth Anything V2", "Claude 3.5"), not a
#: count ("BERT 12 times") or a figure ("GPT 4.5%").
_VERSION_TAIL_RE = re.compile(
    r" (?:[vV]\d{1,2}(?:\.\d{1,2})*|\d{1,2}(?:\.\d)?)(?![\w%.-]|\.\d| ?%"
    r"| (?:times|epochs|steps|layers|tasks|datasets|benchmarks|models|billion|million|of|out|and \d)\b)"
)


class GazetteerIndex:
    """Phrase matchers over the gazetteer plus lookup tables used by the other rules.

    Case-sensitive entries are matched on ``ORTH``, the others on ``LOWER``, by
    two :class:`spacy.matcher.PhraseMatcher` objects (one pass each over the
    tokens, independent of the number of entries).
    """

    def __init__(self, vocab: Vocab, entries: Iterable[GazetteerEntry], make_doc) -> None:
        self.entries: list[GazetteerEntry] = list(entries)
        #: canonical name -> entry
        self.by_name: dict[str, GazetteerEntry] = {e.name: e for e in self.entries}
        # One LOWER matcher for all entries (one pass over the tokens); case-sensitive entries
        # are then checked against their exact spellings.
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        #: PhraseMatcher match id → entry index
        self.entry_of_match: dict[int, int] = {}
        self.exact_surfaces: dict[int, frozenset[str]] = {}
        #: entries every spelling of which has a capital letter (a lower-case match is a common word)
        self.capitalised_only: set[int] = set()
        #: surface (lower-cased) → entry index, for lookups of spans found by other rules
        self.by_lower: dict[str, int] = {}
        self.by_exact: dict[str, int] = {}
        #: leading letters of names (≥ 3) → type, when unambiguous ("llama" → MODEL)
        self.family_type: dict[str, str] = {}
        conflicts: set[str] = set()
        for idx, entry in enumerate(self.entries):
            key = f"g{idx}"
            surfaces = _with_spelling_variants(entry.surfaces)
            self.lower.add(key, [make_doc(s) for s in surfaces])
            self.entry_of_match[vocab.strings.add(key)] = idx
            if all(not s.islower() for s in surfaces):
                self.capitalised_only.add(idx)
            if entry.case_sensitive:
                self.exact_surfaces[idx] = frozenset(surfaces)
                for s in surfaces:
                    self.by_exact.setdefault(s, idx)
            else:
                for s in surfaces:
                    self.by_lower.setdefault(s.lower(), idx)
            if entry.type in ("MODEL", "DATASET") and not entry.ambiguous:
                for s in (*surfaces, entry.parent or ""):
                    prefix = alpha_prefix(s)
                    if s[:len(prefix)] == prefix and s[len(prefix):len(prefix) + 1] in (" ", "-"):
                        continue  # "region proposal network": a common word is no family name
                    if len(prefix) >= 3 and (" " not in s or s.lower().startswith(prefix + " ")):
                        old = self.family_type.setdefault(prefix, entry.type)
                        if old != entry.type:
                            conflicts.add(prefix)
        for prefix in conflicts:
            del self.family_type[prefix]
        self.vocab = vocab
        # Lookups repeat the same spellings all over a corpus: cache them per index.
        self.lookup = lru_cache(maxsize=SPELLING_CACHE_SIZE)(self._lookup)
        self.type_of_name = lru_cache(maxsize=SPELLING_CACHE_SIZE)(self._type_of_name)

    def lookup(self, text: str) -> GazetteerEntry | None:  # replaced per instance by a cached version
        """The entry whose name or alias is *text* (case rules applied), or ``None``."""
        return self._lookup(text)

    def _lookup(self, text: str) -> GazetteerEntry | None:
        idx = self.by_exact.get(text)
        if idx is None:
            idx = self.by_lower.get(text.lower())
        return self.entries[idx] if idx is not None else None

    def candidates(self, doc: Doc, text: str, token_idx: list[int] | None = None,
                   token_len: list[int] | None = None) -> list[Candidate]:
        """Gazetteer matches in *doc* (whose text is *text*; *token_idx*, *token_len*: the tokens'
        ``idx`` and length, if known).

        A match with a glued ``-`` suffix ("ImageNet-C") is left to the shape rule.
        """
        out = []
        idx_of = doc.to_array(IDX).tolist() if token_idx is None else token_idx
        entry_of_match = self.entry_of_match
        for match_id, start, end in self.lower(doc):
            idx = entry_of_match[match_id]
            entry = self.entries[idx]
            s = idx_of[start]
            e = idx_of[end - 1] + (len(doc[end - 1]) if token_len is None else token_len[end - 1])
            exact = self.exact_surfaces.get(idx)
            if exact is not None and text[s:e] not in exact:
                continue
            if idx in self.capitalised_only and text[s:e].islower() and text[s:e].isalpha():
                continue  # "rotate" is not RotatE, "clip" is not CLIP
            if e < len(text) and text[e] == "-" and e + 1 < len(text) and text[e + 1].isalnum():
                # "ImageNet-C", "GPT-4-turbo": a variant, not the entry itself; the shape rule
                # sees the whole word and types it by family.
                tail = _GLUED_TAIL_RE.match(text, e)
                if tail and not _HARMLESS_TAIL_RE.fullmatch(tail.group(0)):
                    continue
            if s > 0 and text[s - 1] == "-" and s > 1 and text[s - 2].isalnum():
                continue  # "Meta-Llama": part of a longer hyphenated name
            if end - start == 1 and text[s:e].endswith("ing") and text[s].islower() and \
                    _VERB_USE_RE.match(text, e):
                continue  # "boosting the performance": a verb, not the method
            conf = 0.9 if not entry.ambiguous else 0.75
            out.append(Candidate(s, e, entry.type, "gazetteer", conf, canonical=entry.name,
                                 strong=True))
            if entry.type == "MODEL" and (version := _VERSION_TAIL_RE.match(text, e)) is not None:
                # "Orca 1", "Depth Anything V2": another version of a known model is its own model
                out.append(Candidate(s, version.end(), "MODEL", "family", 0.8, strong=True))
        return out

    def family_of(self, name: str) -> str | None:
        """Type of a known family that *name* is a variant of ("Qwen2.5-7B" → MODEL)."""
        prefix = alpha_prefix(name)
        return self.family_type.get(prefix) if len(prefix) >= 3 else None

    def type_of_name(self, name: str) -> tuple[str | None, str, float]:  # replaced per instance (cached)
        """(type, rule, confidence) for a distinctive name without context."""
        return self._type_of_name(name)

    def _type_of_name(self, name: str) -> tuple[str | None, str, float]:
        entry = self.lookup(name)
        if entry is not None:
            return entry.type, "gazetteer", 0.9
        family = self.family_of(name)
        if family is not None:
            return family, "family", 0.8
        extended = self.extended_type(name)
        if extended is not None:
            return extended, "family", 0.75
        stype = suffix_type(name)
        if stype is not None:
            return stype, "shape", 0.7
        return None, "shape", 0.5

    def extended_type(self, name: str) -> str | None:
        """Type of a known model or dataset that *name* extends by whole words: "Video Depth Anything"
        and "Video-LLaVA" (→ MODEL) build on "Depth Anything" and "LLaVA". Only the last or first words
        are tried, never a part cut inside a word; tasks and methods do not type a name this way
        ("Open Captioning" names no task, "X-DPO" may be a model trained with DPO)."""
        parts = [match.span() for match in _NAME_PART_RE.finditer(name)]
        if len(parts) < 2:
            return None
        for cut in range(1, len(parts)):
            for piece in (name[parts[cut][0]:], name[:parts[cut - 1][1]]):
                piece = piece.strip(" -")
                if len(piece) < 3 or not any(ch.isupper() for ch in piece):
                    continue
                entry = self.lookup(piece)
                if entry is not None and entry.type in _EXTENDED_TYPES:
                    return entry.type
        return None


#: Whole words of a name, as ``(start, end)`` offsets: split at spaces and hyphens.
_NAME_PART_RE = re.compile(r"[^\s-]+")
_EXTENDED_TYPES = frozenset({"MODEL", "DATASET"})


# ---------------------------------------------------------------------------------------------
# Name shapes
# ---------------------------------------------------------------------------------------------
def _type_of_name(name: str, gazetteer: GazetteerIndex | None) -> tuple[str | None, str, float]:
    """(type, rule, confidence) for a distinctive name without context."""
    if gazetteer is not None:
        return gazetteer.type_of_name(name)
    stype = suffix_type(name)
    if stype is not None:
        return stype, "shape", 0.7
    return None, "shape", 0.5


def _matches_at(regex: re.Pattern, text: str, starts: Iterable[int] | None):
    if starts is None:
        yield from regex.finditer(text)
        return
    for pos in starts:
        if (match := regex.match(text, pos)) is not None:
            yield match


def shape_candidates(text: str, gazetteer: GazetteerIndex | None,
                     starts: Iterable[int] | None = None) -> list[Candidate]:
    """Distinctive names (``GPT-4o``, ``Qwen2.5-1.5B Math``, ``GFlowVLM``), typed by family/suffix.

    *starts* (offsets of the tokens that have a capital letter or a digit) limit where names
    are looked for; by default the whole text is scanned.
    """
    out = []
    for match in _matches_at(STRONG_NAME_RE, text, starts):
        raw = match.group(0)
        if (raw.isalpha() and raw[1:].islower()) or raw.isdigit():
            continue  # "The", "We", "2023": the cheap scan's false alarms
        name = trim_name(raw)
        start = match.start()
        end = start + len(name)
        if not is_strong_name(name):
            continue
        tail = VARIANT_TAIL_RE.match(text, end)
        base = None
        if tail and any(ch.isdigit() for ch in name):
            base, end = name, tail.end()
            name = text[start:end]
        ntype, rule, conf = _type_of_name(name, gazetteer)
        if ntype is None and base is not None and _type_of_name(base, gazetteer)[0] == "MODEL":
            ntype, rule, conf = "MODEL", "family", 0.8  # "mT5 XXL": a size of a known model
        out.append(Candidate(start, end, ntype, rule, conf, strong=True))
    return out


# ---------------------------------------------------------------------------------------------
# Cue phrases
# ---------------------------------------------------------------------------------------------
# One list item: a distinctive or capitalised name of up to four words ("Office-Home",
# "Stanford Online Products", "20 NewsGroups", "iNaturalist").
_W = r"(?:[\w+'’!]|\.(?=\w))"
_ITEM = (
    rf"(?:[A-Z0-9]{_W}*|[a-z]{{1,3}}[A-Z]{_W}*)"
    rf"(?:[- ](?:[A-Z0-9]{_W}*|[a-z]{{1,3}}[A-Z]{_W}*|v\d{_W}*|\d{_W}*))*"
)
_LIST = rf"{_ITEM}(?:\s*,\s*{_ITEM})*(?:\s*,?\s*(?:and|or|&)\s+{_ITEM})?"
_NOUN_ALT = "|".join(sorted((re.escape(n) for n in NOUN_TYPES), key=len, reverse=True))
_NAMES_AT_END_RE = re.compile(rf"(?<![\w-])(?P<names>{_LIST})$")
_LIST_NOUN_EXTRA = ("games", "environments", "domains", "baselines")
_EVAL_ALT = (
    r"evaluat\w*|experiments?|results?|tested|test|testing|trained|training|fine-?tuned|fine-?tuning"
    r"|pre-?trained|benchmark\w*|performance|accuracy|accuracies|state-of-the-art|SOTA|improvements?"
    r"|gains?|outperform\w*|achiev\w*|validat\w*|demonstrat\w*|experiment\w*|scores?|surpass\w*"
)
_SOURCE_WORDS = ("set", "sets", "data", "collected", "constructed", "curated", "derived", "sampled",
                 "drawn", "sourced", "built", "compiled", "taken", "examples", "samples", "instances")
#: One scan finds every word that can start a cue; the cue's own pattern is then matched from there.
_TRIGGER_RE = re.compile(
    rf"(?<![\w-])(?:(?P<noun>{_NOUN_ALT}|{'|'.join(_LIST_NOUN_EXTRA)})|(?P<eval>{_EVAL_ALT})"
    rf"|(?P<we>[Ww]e|[Tt]his|[Hh]ere|[Ii]n this)|(?P<source>{'|'.join(_SOURCE_WORDS)}))(?![\w-])"
)
_EVAL_WORDS = (
    "evaluate", "evaluates", "evaluated", "evaluating", "evaluation", "evaluations", "experiment",
    "experiments", "experimental", "experimentally", "experimented", "experimenting", "result", "results",
    "tested", "test", "testing", "trained", "training", "fine", "finetuned", "finetuning", "pre",
    "pretrained", "benchmark", "benchmarks", "benchmarked", "benchmarking", "performance", "accuracy",
    "accuracies", "state", "sota", "improvement", "improvements", "gain", "gains", "outperform",
    "outperforms", "outperformed", "outperforming", "achieve", "achieves", "achieved", "achieving",
    "validate", "validates", "validated", "validating", "validation", "demonstrate", "demonstrates",
    "demonstrated", "demonstrating", "score", "scores", "surpass", "surpasses", "surpassed", "surpassing",
)
#: Lower-case first words of every cue (for a token-level prefilter, see :func:`cue_candidates`).
TRIGGER_WORDS = frozenset(
    {n.split()[0] for n in NOUN_TYPES} | set(_LIST_NOUN_EXTRA) | set(_EVAL_WORDS) | set(_SOURCE_WORDS)
    | {"we", "this"}
)
_LIST_AFTER_TAIL_RE = re.compile(
    rf"\s*(?:,?\s*(?:such as|including|like|namely|e\.g\.,?|i\.e\.,?|viz\.,?)\s+|\((?:e\.g\.,?\s*|i\.e\.,?\s*"
    rf"|including\s+)?|:\s+)"
    rf"(?P<names>{_LIST})"
)
_LIST_OPENERS = ("such", "includ", "like", "namely", "e.g", "i.e", "viz", "(", ",", ":")
_CALLED_OPENERS = ("called", "named", "dubbed", "termed", "coined", "namely", "known", ",")
_FROM_TAIL_RE = re.compile(rf"\s+from\s+(?:the\s+)?(?P<names>{_LIST})")
_EVAL_TAIL_RE = re.compile(
    rf"[^.;:()]{{0,40}}?\b(?:on|across|using|over)\s+(?:the\s+|both\s+|several\s+|multiple\s+)?"
    rf"(?:(?:challenging|popular|standard|public|widely[- ]used|benchmark|real-world|large-scale)\s+)*"
    rf"(?P<names>{_LIST})"
)
_LEADING_WORDS = frozenset(STOP_WORDS) | {
    "existing", "popular", "standard", "public", "common", "large", "new", "novel", "real", "synthetic",
    "extensive", "experiments", "results", "our", "proposed", "several", "various", "multiple", "both",
    "two", "three", "four", "five", "different", "challenging", "diverse", "specifically", "moreover",
    "furthermore", "however", "finally", "recently", "additionally", "notably", "comprehensive",
    "benchmark", "benchmarks", "dataset", "datasets", "model", "models", "using", "based", "compared",
    "traditional", "conventional", "prior", "previous", "recent", "current", "modern", "state-of-the-art",
    "open-source", "strong", "classic", "classical", "well-known", "widely-used", "seven", "six", "eight",
    "nine", "ten", "numerous", "empirical", "experimental", "evaluation", "on",
    # languages: "English and Chinese datasets" names no dataset
    "english", "chinese", "french", "german", "spanish", "japanese", "korean", "arabic", "russian", "hindi",
    "italian", "portuguese", "vietnamese", "multilingual", "cross-lingual", "bilingual", "monolingual",
}
_WEAK_OK_TYPES = {"DATASET"}
_CALLED_TAIL_RE = re.compile(
    rf"\s*,?\s*(?:called|named|dubbed|termed|coined|namely|known as)\s+(?P<names>{_ITEM})"
)
_VERB_SUBJECT_RE = re.compile(r"\b(?:[Ww]e|[Tt]o|[Tt]hey)\s+$")
_NAME_AFTER_NOUN_RE = re.compile(rf" (?P<names>{_ITEM})(?=[\s,.;:)]|$)")
_VERB_OBJECT_RE = re.compile(r"\s+(?:the|a|an|this|these|how|their|its|our|each|both|it|them)\b")


_LIST_PART_RE = re.compile(r"[^,&]+")
_AND_OR_RE = re.compile(r"\s+(?:and|or)\s+")


def _split_list(names: str, offset: int) -> list[tuple[int, int, str]]:
    """Split "X, Y and Z" into (start, end, item) spans."""
    items = []
    for match in _LIST_PART_RE.finditer(names):
        part = match.group(0)
        base = offset + match.start()
        # "and Z" / "or Z" inside a comma-free tail
        pieces = _AND_OR_RE.split(part)
        pos = 0
        for piece in pieces:
            idx = part.find(piece, pos)
            pos = idx + len(piece)
            stripped = piece.strip()
            if not stripped:
                continue
            s = base + idx + (len(piece) - len(piece.lstrip()))
            items.append((s, s + len(stripped), stripped))
    return items


_COUNT_RE = re.compile(r"\d+(?:\.\d+)?[bBmMkK]?")
_FIGURE_RE = re.compile(r"[\d.,%xX×~+-]+")


def _clean_item(text: str, start: int) -> tuple[int, str] | None:
    """Drop leading function/generic words ("The ImageNet" → "ImageNet"); None if nothing is left."""
    words = text.split(" ")
    while words and (words[0].lower() in _LEADING_WORDS or (len(words) > 1 and (
            _COUNT_RE.fullmatch(words[0]) or words[0].endswith(("'s", "’s"))))):
        # "The ImageNet", "20 large language models", "OpenAI's GPT"
        start += len(words[0]) + 1
        words = words[1:]
    if not words:
        return None
    item = trim_name(" ".join(words))
    if not item or item.lower() in _LEADING_WORDS or len(item) < 2:
        return None
    return start, item


_NEXT_WORD_RE = re.compile(r" ([a-z][a-z-]+)\b")
_MODIFIED_RE = re.compile(rf"\s+(?:{'|'.join(sorted(TASK_HEADS))}|tasks?|problems?|settings?)\b")


def _item_candidates(names: str, offset: int, ntype: str | None, rule: str, conf: float,
                     allow_weak: bool, gazetteer: GazetteerIndex | None, text: str = "") -> list[Candidate]:
    out = []
    max_weak_words = 2 if rule == "cue:eval" else 4
    for s, _e, item in _split_list(names, offset):
        cleaned = _clean_item(item, s)
        if cleaned is None:
            continue
        s, item = cleaned
        if _FIGURE_RE.fullmatch(item):
            continue  # "improves by 94.8", "100x faster": figures, not names
        strong = is_strong_name(item) or (" " in item and any(is_strong_name(w) for w in item.split()))
        n_words = len(item.split())
        if not strong and (not allow_weak or n_words > max_weak_words):
            continue
        if n_words > 4:
            continue
        if text and _MODIFIED_RE.match(text, s + len(item)):
            continue  # "on HSI restoration": the name modifies a task word
        if rule == "cue:eval" and text and (nxt := _NEXT_WORD_RE.match(text, s + len(item))) is not None \
                and nxt.group(1) not in STOP_WORDS and not (gazetteer and gazetteer.lookup(item)):
            continue  # "on HSI denoising", "on ImageNet classification": a modifier, not the object
        ctype = ntype
        if ctype == "DATASET" and not strong and item.split()[-1].lower() in TASK_HEADS:
            ctype = "TASK"  # "tasks such as 3D Object Captioning"
        if gazetteer is not None and (entry := gazetteer.lookup(item)) is not None:
            ctype = entry.type  # the gazetteer knows better than a generic cue
        out.append(Candidate(s, s + len(item), ctype, rule, conf, strong=strong))
    return out


_EVAL_STEMS = ("evaluat", "experiment", "outperform", "achiev", "surpass")
_WORD_AT_RE = re.compile(r"[\w-]+")
_KIND_OF: dict[str, str] = {
    **{w: "eval" for w in _EVAL_WORDS}, "fine-tuned": "eval", "fine-tuning": "eval", "pre-trained": "eval",
    **{w: "source" for w in _SOURCE_WORDS},
    **{n: "noun" for n in (*NOUN_TYPES, *_LIST_NOUN_EXTRA) if " " not in n},
    "we": "we", "this": "we",
}
_MULTIWORD_NOUNS: dict[str, tuple[str, ...]] = {}
for _noun in sorted(NOUN_TYPES, key=len, reverse=True):
    if " " in _noun:
        _MULTIWORD_NOUNS.setdefault(_noun.split()[0], ())
        _MULTIWORD_NOUNS[_noun.split()[0]] += (_noun,)


def _triggers(body: str, starts: Iterable[int] | None) -> list[tuple[str, str, int, int]]:
    """``(kind, word, start, end)`` of the cue words in *body* (at *starts* when given)."""
    if starts is None:
        return [(m.lastgroup, m.group(m.lastgroup), m.start(), m.end())
                for m in _TRIGGER_RE.finditer(body)]
    out = []
    for pos in starts:
        if pos > 0 and (body[pos - 1].isalnum() or body[pos - 1] in "-_"):
            continue
        word_match = _WORD_AT_RE.match(body, pos)
        if word_match is None:
            continue
        word = word_match.group()
        lower = word.lower()
        for noun in _MULTIWORD_NOUNS.get(lower, ()):
            if body[pos:pos + len(noun)].lower() == noun:
                out.append(("noun", body[pos:pos + len(noun)], pos, pos + len(noun)))
                break
        else:
            kind = _KIND_OF.get(lower)
            if kind is None and lower.startswith(_EVAL_STEMS):
                kind = "eval"
            if kind is not None:
                out.append((kind, word, pos, word_match.end()))
    return out


def cue_candidates(
    text: str,
    field_start: int,
    gazetteer: GazetteerIndex | None,
    abbreviations: Iterable = (),
    trigger_starts: Iterable[int] | None = None,
) -> list[Candidate]:
    """Cue phrases: names typed by the words around them ("the X dataset", "benchmarks such as
    X, Y") and names the paper introduces ("we propose X").

    The cue words are found by one scan of the field, or — faster — at *trigger_starts*
    (character offsets of the tokens whose lower-case text is in :data:`TRIGGER_WORDS`),
    and each cue's pattern is then matched from there.
    """
    out: list[Candidate] = []
    body = text[field_start:]
    proposals: list[int] = []
    starts = None if trigger_starts is None else [s - field_start for s in trigger_starts if s >= field_start]
    for kind, word, start, end in _triggers(body, starts):
        if kind == "we":
            proposals.append(start)
            continue
        if kind == "source":
            match = _FROM_TAIL_RE.match(body, end) if " from " in body[end:end + 7] else None
            if match:
                out += _item_candidates(match.group("names"), field_start + match.start("names"), "DATASET",
                                        "cue:eval", 0.7, True, gazetteer, text)
            continue
        if kind == "eval":
            window = body[end:end + 50]
            has_prep = " on " in window or " across " in window or " using " in window or " over " in window
            match = _EVAL_TAIL_RE.match(body, end) if has_prep else None
            if match:
                out += _item_candidates(match.group("names"), field_start + match.start("names"), "DATASET",
                                        "cue:eval", 0.7, True, gazetteer, text)
            continue
        lower = word.lower()
        ntype = NOUN_TYPES.get(lower)
        # "the X dataset", "Waterbirds and Office-Home datasets"
        match = None
        if ntype is not None and ntype != "TASK" and start > 0 and body[start - 1] == " ":
            prev = body[body.rfind(" ", 0, start - 1) + 1:start - 1]
            if prev and (prev[0].isupper() or prev[0].isdigit() or not prev.islower()) and not (
                    word.endswith("s") and _VERB_OBJECT_RE.match(body, end)):
                match = _NAMES_AT_END_RE.search(body, max(0, start - 120), start - 1)
            if match is not None and ntype == "METHOD" and lower.endswith("s") and \
                    len(_split_list(match.group("names"), 0)) < 2:
                match = None  # "FL methods", "SSL approaches": a field, not a named method
            if match is not None:
                out += _item_candidates(match.group("names"), field_start + match.start("names"), ntype,
                                        "cue:noun", 0.85, ntype in _WEAK_OK_TYPES, gazetteer, text)
            elif ntype == "METHOD" and lower in _TECHNIQUE_NOUNS and \
                    (span := technique_before(body, start)) is not None:
                # "a progressive learning mechanism", "the CLIP-based data filtering technique"
                out.append(Candidate(field_start + span[0], field_start + span[1], "METHOD",
                                     "technique", 0.7))
        # "benchmarks such as X, Y and Z", "card games (NumberLine, BlackJack)"
        ahead = body[end:end + 12].lstrip()
        match = _LIST_AFTER_TAIL_RE.match(body, end) if ahead.startswith(_LIST_OPENERS) else None
        if match is not None:
            ltype = ntype
            if lower in ("games", "environments", "domains", "tasks", "task"):
                ltype = "DATASET"
            elif lower == "baselines":
                ltype = None
            out += _item_candidates(match.group("names"), field_start + match.start("names"), ltype,
                                    "cue:list", 0.8, ltype in _WEAK_OK_TYPES, gazetteer, text)
        elif ntype == "METHOD" and lower in _TECHNIQUE_NOUNS:
            # "finetuning methods, such as prompt learning, …", "two techniques …: X and Y"
            for s, e in technique_list(body, start, end):
                out.append(Candidate(field_start + s, field_start + e, "METHOD", "cue:list", 0.75))
        # "the state-of-the-art method Co-CoOp": a distinctive name right after its descriptor
        if ntype is not None and ntype != "TASK" and (named := _NAME_AFTER_NOUN_RE.match(body, end)) \
                is not None and is_strong_name(trim_name(named.group("names"))) and \
                not _VERB_SUBJECT_RE.search(body, max(0, start - 8), start):  # not "we benchmark X"
            out += _item_candidates(named.group("names"), field_start + named.start("names"), ntype,
                                    "cue:noun", 0.85, False, gazetteer, text)
        # "an architecture called GNT"
        if ntype is not None and ahead.startswith(_CALLED_OPENERS) and \
                (match := _CALLED_TAIL_RE.match(body, end)) is not None:
            out += _item_candidates(match.group("names"), field_start + match.start("names"), ntype,
                                    "cue:noun", 0.85, True, gazetteer, text)
    if proposals:
        out += proposal_candidates(text, field_start, gazetteer, abbreviations, proposals)
    return out


# ---------------------------------------------------------------------------------------------
# Proposals: "we propose X", a title's "X:" prefix
# ---------------------------------------------------------------------------------------------
_PROPOSE_RE = re.compile(
    r"\b(?:we|this (?:paper|work|study|article|report)|here,? we|in this (?:paper|work),? we)\s+"
    r"(?:also\s+|further\s+|first\s+|then\s+|therefore\s+|thus\s+)?"
    r"(?:propose|introduce|present|develop|release|build|construct|design|curate|create|contribute"
    r"|establish|open-source|devise|put forward|offer|formulate|name|call)[sd]?\b(?P<rest>[^.;]{0,220})",
    re.IGNORECASE,
)
_DESCRIPTOR_RE = re.compile(rf"\b(?P<noun>{_NOUN_ALT})\b", re.IGNORECASE)
_NAMED_RE = re.compile(r"\b(?:called|named|dubbed|termed|coined|namely)\s+")
_TITLE_PREFIX_RE = re.compile(r"^\s*(?P<name>[^:\n]{2,60}?)\s*:\s+\S")
_TITLE_DESCRIPTOR_RE = re.compile(
    rf"^(?:(?:an?|the|towards?\s+an?)\s+(?:[\w\-]+\s+){{0,5}}?)?(?P<noun>{_NOUN_ALT})\b", re.IGNORECASE
)
_DEFAULT_PROPOSED_TYPE = "METHOD"
_PLAIN_NAME_RE = re.compile(
    r"\s+(?:the\s+)?(?P<name>[A-Z][a-z]{2,}[A-Za-z0-9]*)(?=\s*[,(:]|\s+(?:which|that|to|for|as)\b|\.(?:\s|$))"
)
_APPOSITIVE_NAME_RE = re.compile(
    r",\s+(?:dubbed\s+|called\s+|named\s+)?(?P<name>[A-Za-z0-9][\w.+-]*)\s*(?=,|\(|\s+which\b|\s+that\b|$)"
)
_UNNAMED_RE = re.compile(
    r"\s+(?:an?|the)\s+(?P<np>(?:[\w-]+,?\s+){1,7}?)"
    r"(?P<noun>framework|method|approach|technique|algorithm|paradigm)\b"
)
_PROPOSAL_ADJECTIVES = frozenset({
    "novel", "new", "simple", "effective", "efficient", "general", "unified", "principled", "lightweight",
    "scalable", "yet", "and", "generic", "powerful", "robust", "flexible", "practical", "first", "large",
    "large-scale", "comprehensive", "systematic", "theoretical", "training-free", "plug-and-play",
    "two-stage",
    "end-to-end", "straightforward", "versatile", "universal", "holistic", "innovative", "effective,",
    "simple,", "novel,", "new,", "general-purpose", "open-source", "challenging", "diverse", "high-quality",
    "our", "this", "that", "which", "such", "self-supervised", "modular", "specialized", "dedicated",
})
#: The first noun phrase of a title remainder: up to six words before a preposition. A word is
#: matched possessively (``++``): splitting a word across repetitions never gives another match,
#: and trying every split made a failing match exponential in the word lengths.
_TITLE_NP_RE = re.compile(
    r"(?:an?\s+|the\s+)?(?:(?!(?:for|of|with|to|via|on|in|from|through|by|using|and|as|at)\b)[\w\-]++\s*){1,6}?"
    r"(?=\s+(?:for|of|with|to|via|on|in|from|through|by|using|and|as|at)\b|$)",
    re.IGNORECASE,
)
#: Words that make a multi-word title prefix a headline ("X Meets Y: …"), not a name.
_TITLE_FUNCTION_WORDS = frozenset({
    "of", "and", "or", "the", "a", "an", "in", "on", "for", "to", "with", "is", "are", "be", "do", "does",
    "can", "not", "no", "from", "by", "at", "as", "meets", "meet", "vs", "versus", "via", "matters",
    "matter", "need", "needs", "all", "you", "we", "it", "make", "makes", "made", "beyond", "when", "why",
    "how", "what", "should", "into", "your", "our", "more", "less", "than",
})
_CLAUSE_BREAK_RE = re.compile(r"\b(?:that|which|using|with|to|by|on|for|based|where|whose|while|and then)\b")


def descriptor_type(phrase: str) -> str | None:
    """Type named by the first descriptor noun in *phrase* ("a new benchmark for …" → DATASET)."""
    match = _DESCRIPTOR_RE.search(phrase)
    return NOUN_TYPES[match.group("noun").lower()] if match else None


_APPOSITIVE_NP_RE = re.compile(r"\s*(?:,|\(|:|–|-{1,2}|is)\s*(?:an?|the|our)\s+(?P<np>[^.;()]{0,70})")
_NP_BREAK_RE = re.compile(r"\b(?:that|which|for|to|with|of|on|in|from|by|where|using)\b")


def _name_descriptor(text: str, name_end: int) -> str | None:
    """Type from an appositive right after a name: "X, a benchmark …", "X (a model …)"."""
    after = text[name_end:name_end + 80]
    match = _APPOSITIVE_NP_RE.match(after)
    if not match:
        return None
    np = _NP_BREAK_RE.split(match.group("np"))[0]
    return descriptor_type(np)


_ITEM_RE = re.compile(_ITEM)


def proposal_candidates(text: str, field_start: int, gazetteer: GazetteerIndex | None,
                        abbreviations: Iterable, positions: Iterable[int] | None = None) -> list[Candidate]:
    """Names introduced by the paper itself: "we propose/introduce/present … X".

    *positions* (offsets into the field) limit the search to where "we"/"this"/"here"
    stand; by default the whole field is searched.
    """
    out = []
    body = text[field_start:]
    abbrs = list(abbreviations)
    if positions is None:
        matches = list(_PROPOSE_RE.finditer(body))
    else:
        matches = [m for pos in positions if (m := _PROPOSE_RE.match(body, pos)) is not None]
    for match in matches:
        rest = match.group("rest")
        rest_start = field_start + match.start("rest")
        rest_end = rest_start + len(rest)
        options: list[tuple[int, int]] = []
        # an acronym definition inside the clause: "we propose Trust Region Aware Minimization (TRAM)"
        for pair in abbrs:
            if rest_start <= pair.long_start and pair.short_end <= rest_end:
                options.append((pair.long_start, pair.long_end))
            elif rest_start <= pair.short_start and pair.long_end <= rest_end:
                options.append((pair.short_start, pair.short_end))
        # "called/named X"
        if named := _NAMED_RE.search(rest):
            item = _ITEM_RE.match(rest[named.end():])
            if item:
                s = rest_start + named.end()
                options.append((s, s + len(trim_name(item.group(0)))))
        # a capitalised word right after the verb: "we introduce Medprompt, based on …"
        if (plain := _PLAIN_NAME_RE.match(rest)) is not None and \
                plain.group("name").lower() not in _LEADING_WORDS and \
                (gazetteer is None or gazetteer.lookup(plain.group("name")) is None):
            s = rest_start + plain.start("name")
            options.append((s, s + len(plain.group("name"))))
        # a distinctive name that is not a known concept being used
        for shape in STRONG_NAME_RE.finditer(rest):
            word = trim_name(shape.group(0))
            if not is_strong_name(word) or (gazetteer is not None and gazetteer.lookup(word) is not None):
                continue
            s = rest_start + shape.start()
            options.append((s, s + len(word)))
            break
        name_span = None
        for s, e in sorted(options, key=lambda se: (se[0], -se[1])):
            between = text[rest_start:s]
            if s - rest_start > 120 or _CLAUSE_BREAK_RE.search(between):
                break
            name_span = (s, e)
            break
        if name_span is None and (appos := _APPOSITIVE_NAME_RE.search(rest)) is not None:
            # "we propose a simple yet effective solution for …, LM-Infinite, which …"
            word = trim_name(appos.group("name"))
            if is_strong_name(word) and (gazetteer is None or gazetteer.lookup(word) is None):
                s = rest_start + appos.start("name")
                name_span = (s, s + len(word))
        if name_span is None:
            # an unnamed contribution: "we develop a hierarchical contrastive learning framework"
            unnamed = _UNNAMED_RE.match(rest)
            if unnamed is not None:
                words = unnamed.group("np").split()
                while words and (words[0].lower() in _PROPOSAL_ADJECTIVES or words[0].endswith("-based")):
                    words = words[1:]
                while words and words[-1].lower() in ("based", "driven", "guided", "aware", "inspired"):
                    words = words[:-1]
                if 2 <= len(words) <= 4 and not any(w.lower() in _PROPOSAL_ADJECTIVES for w in words) \
                        and words[-1].lower().rsplit("-", 1)[-1] in _PROPOSAL_HEADS:
                    # a technique word ends it: "a hierarchical contrastive learning framework", not
                    # "an agent synthesis framework" (what it makes, not how)
                    phrase = " ".join(words)
                    s = rest_start + unnamed.start("np") + unnamed.group("np").find(phrase)
                    ntype = NOUN_TYPES[unnamed.group("noun").lower()]
                    out.append(Candidate(s, s + len(phrase), ntype, "propose", 0.7, role="PROPOSES"))
            continue
        s, e = name_span
        before = text[rest_start:s]
        ntype = descriptor_type(before) or _name_descriptor(text, e)
        if ntype is None:
            name = text[s:e]
            ntype, _, _ = _type_of_name(name, gazetteer)
        out.append(Candidate(s, e, ntype or _DEFAULT_PROPOSED_TYPE, "propose", 0.9 if ntype else 0.75,
                             role="PROPOSES", strong=True))
    return out


_WORD_CHAR_RE = re.compile(r"[\w-]")
_SIZE_TAIL_RE = re.compile(r"\d+(?:\.\d+)?[BM]\b")


def _has_sized_variant(text: str, name: str) -> bool:
    """True if *text* has a sized variant of *name* ("URSA-7B", "X-1.5M"), not inside a longer word.

    ``str.find`` for the name, then one precompiled pattern for the size: no pattern
    compiled per name.
    """
    prefix = name + "-"
    pos = text.find(prefix)
    while pos >= 0:
        if (pos == 0 or not _WORD_CHAR_RE.match(text, pos - 1)) and \
                _SIZE_TAIL_RE.match(text, pos + len(prefix)):
            return True
        pos = text.find(prefix, pos + 1)
    return False


_TITLE_NAME_PUNCT_RE = re.compile(r"[()\[\]?!\"]")
_TITLE_PREPOSITION_RE = re.compile(
    r"\b(?:for|of|with|to|via|on|in|from|through|by|using|and)\b", re.IGNORECASE
)


#: First words of a multi-word title prefix that make it a headline ("Towards Robust X: …").
_TITLE_HEADLINE_OPENERS = frozenset({"towards", "toward", "on", "beyond", "rethinking", "revisiting",
                                     "understanding", "why", "how", "what", "when"})
#: Lower-case words a capitalised title name may hold ("Segment Anything for the Web").
_TITLE_NAME_GLUE = frozenset({"of", "and", "for", "the", "a", "with", "in"})
_TITLE_DEFINITION_RE = re.compile(r"(?P<long>[A-Z][^()]{4,80}?)\s*\((?P<short>[^()\s]{2,12})\)")


def _defined_in_prefix(name: str, offset: int,
                       abbreviations: Iterable[AbbreviationPair]) -> AbbreviationPair | None:
    """The acronym definition a title prefix consists of ("Long Form (LF)"), if the abbreviation
    detector found it there; ``None`` otherwise. *offset*: where *name* starts in the text."""
    match = _TITLE_DEFINITION_RE.fullmatch(name)
    if match is None:
        return None
    short_start = offset + match.start("short")
    return next((pair for pair in abbreviations if pair.short_start == short_start
                 and pair.short == match.group("short") and pair.long_start >= offset), None)


def title_candidates(text: str, title_end: int, gazetteer: GazetteerIndex | None,
                     abbreviations: Iterable = ()) -> list[Candidate]:
    """A title's "Name: …" prefix is what the paper proposes; typed from the title or abstract."""
    title = text[:title_end]
    match = _TITLE_PREFIX_RE.match(title)
    if not match:
        return []
    name = trim_name(match.group("name").strip())
    defined = _defined_in_prefix(name, title.find(name), abbreviations)
    if defined is not None:
        # "Recommendation as Language Processing (RLP): …": the prefix defines its own acronym, so it
        # is a name however many function words it has; the acronym definition links the short form
        start, end = defined.long_start, defined.long_end
        name = defined.long
    else:
        words = name.split()
        if not name or len(words) > 5 or _TITLE_NAME_PUNCT_RE.search(name):
            return []
        if len(words) > 1 and not any(is_strong_name(w) for w in words) and any(
                w.lower() in _TITLE_FUNCTION_WORDS for w in words):
            return []  # "Emergence of Hidden Capabilities: …" is a headline, not a name
        if not (is_strong_name(words[0]) or all(w[:1].isupper() or w[:1].isdigit() or not w[:1].isalpha()
                                                  or w.lower() in _TITLE_NAME_GLUE for w in words)):
            return []
        start = title.find(name)
        end = start + len(name)
    words = name.split()
    if len(words) > 1 and words[0].lower() in _TITLE_HEADLINE_OPENERS:
        return []
    rest = title[match.end("name"):].lstrip(" :")
    ntype = None
    head = _TITLE_DESCRIPTOR_RE.match(rest)
    if head and not _TITLE_PREPOSITION_RE.search(rest[: head.start("noun")]):
        ntype = NOUN_TYPES[head.group("noun").lower()]
    if ntype is None:
        # "X: Self-Supervised Denoising Diffusion Model for …": the head of the title's first noun phrase
        first_np = _TITLE_NP_RE.match(rest)
        if first_np and not first_np.group(0).split()[0].lower().endswith("ing"):
            last = first_np.group(0).split()[-1].lower()
            ntype = NOUN_TYPES.get(last) if last in NOUN_TYPES and last not in TASK_NOUNS else None
    if ntype is None:
        # The abstract may describe it: "we introduce X, a benchmark …" / "X is a framework …"
        for _s, occ_end in find_word(text, name, title_end):
            ntype = _name_descriptor(text, occ_end)
            if ntype:
                break
    if ntype is None:
        # "CPL: …" with "Critical Plan Step Learning (CPL)" in the abstract: the long form's head word
        for pair in abbreviations:
            if pair.short == name and (ntype := head_type(pair.long)) is not None:
                break
    if ntype is None and _has_sized_variant(text, name):
        ntype = "MODEL"  # "URSA: …" with "URSA-7B" in the abstract
    conf = 0.9
    if ntype is None:
        # only the spelling speaks: weaker than a proposal sentence that says what it is
        ntype, _, _ = _type_of_name(name, gazetteer)
        conf = 0.75
    if ntype == "TASK":
        ntype = None
    return [Candidate(start, end, ntype or _DEFAULT_PROPOSED_TYPE, "title", conf, role="PROPOSES",
                      strong=True)]


# ---------------------------------------------------------------------------------------------
# Task phrases
# ---------------------------------------------------------------------------------------------
_TASK_HEAD_ALT = "|".join(sorted(TASK_HEADS, key=len, reverse=True))
_TASK_MOD = r"(?:[a-z][a-z\-]+|[A-Z]{2,6}|\d[Dd]|[A-Z][a-z]+-[A-Za-z]+)"
_TASK_HEAD_RE = re.compile(rf" (?P<head>{_TASK_HEAD_ALT})\b")
_TASK_MOD_STOP = frozenset(STOP_WORDS) | {
    "model", "models", "method", "methods", "based", "improved", "improves", "improving", "enhanced",
    "better", "robust", "effective", "efficient", "accurate", "superior", "strong", "poor", "good",
    "performance", "results", "proposed", "existing", "different", "novel", "new", "generic", "general",
    "our", "their", "its", "such", "task", "tasks", "downstream", "various", "several", "challenging",
    "achieves", "achieve", "enables", "enable", "perform", "performs", "improve", "enhance", "boost",
    "boosts", "towards", "toward", "including", "like", "via", "using", "fails", "fail", "promising",
    "remarkable", "impressive", "significant", "significantly", "further", "strongly", "evaluation",
    "evaluate", "study", "studies", "domain", "task-specific", "world", "data", "training",
    "learning", "feature", "features", "overall", "final", "stronger", "weak", "weaker", "abilities",
    "ability", "capabilities", "capability", "quality", "level", "error", "errors", "fine-grained",
    "high-quality", "large-scale", "real-world", "state-of-the-art", "simple", "complex", "standard",
    "traditional", "conventional", "accurately", "reliable", "reliably", "successful", "successfully",
    "hinder", "hinders", "limit", "limits", "harm", "harms", "hurt", "hurts", "affect", "affects", "aid",
    "aids", "help", "helps", "support", "supports", "benefit", "benefits", "facilitate", "facilitates",
    "promote", "promotes", "show", "shows", "lack", "lacks", "require", "requires", "use", "uses",
    "tackle", "tackles", "address", "addresses", "solve", "solves", "explore", "explores",
    "investigate", "investigates", "examine", "examines", "consider", "considers", "target", "targets",
    "prior", "previous", "recent", "current", "popular", "common", "typical", "best", "worse", "higher",
    "lower", "both", "either", "any", "all", "most", "more", "less", "much", "exhibit", "exhibits", "learn",
    "learns", "create", "creates", "combine", "combines", "yield", "yields", "inherent", "powerful",
    "limited", "greater", "decreased", "increased", "reduced", "poorer", "robustness",
    "generalizable", "unfair", "fair", "segment-wise", "three-module", "sota", "low", "high",
    # praise and vague qualities: "exceptional generalization", "consistent depth estimation"
    "diverse", "consistent", "flexible", "fundamental", "exceptional", "outstanding", "excellent",
    "competitive", "favorable", "favourable", "reasonable", "satisfactory", "unprecedented", "seamless",
    # verbs in the third person: "P5 advances recommender systems", "it treats generation as …"
    "advances", "treats", "demonstrates", "excels", "makes", "brings", "offers", "involves", "includes",
    "reaches", "displays", "drives", "unlocks", "reduces", "increases", "mitigates", "alleviates",
    "handles", "captures", "maintains", "preserves", "ensures", "guides", "unifies", "integrates",
}


_TASK_MOD_FULL_RE = re.compile(_TASK_MOD)
_QUOTES = frozenset('"\'“”‘’')
#: Kinds of generalization that are research settings ("length generalization"), not praise.
_GENERALIZATION_KINDS = frozenset({
    "compositional", "combinatorial", "length", "systematic", "domain", "distributional", "subpopulation",
    "task", "instruction", "cross-task", "out-of-domain", "out-of-distribution", "temporal", "spatial",
    "zero-shot", "few-shot", "one-shot", "weak-to-strong", "easy-to-hard", "cross-domain", "cross-lingual",
    "in-distribution", "single-source", "multi-source", "open-domain", "open-world", "open-vocabulary",
})
_TASK_VERBS = frozenset({
    "employ", "employs", "entail", "entails", "apply", "applies", "perform", "performs", "enable", "enables",
    "accelerate", "accelerates", "adopt", "adopts", "compare", "compares", "discard", "discards", "produce",
    "produces", "extract", "extracts", "generate", "generates", "allow", "allows", "contain", "contains",
    "incorporate", "incorporates", "provide", "provides", "propose", "proposes", "introduce", "introduces",
    "present", "presents", "obtain", "obtains", "conduct", "conducts", "enhances", "outperform",
    "outperforms", "leverage", "leverages", "utilize", "utilizes", "achieves", "attain", "attains",
    "excellent", "bad", "attentive",
    "practical", "precise", "automatic", "near-optimal", "accurate", "efficient", "scalable", "general",
    "generic", "unified", "specific", "particular", "typical", "standard", "novel", "simple",
})


#: What "X-based" names a task setting by: the input it works from ("sketch-based image retrieval",
#: "skeleton-based action recognition", "instruction-based editing"), unlike a technique
#: ("diffusion-based", "transformer-based"), which ends the phrase.
_TASK_INPUTS = frozenset({
    "text", "instruction", "image", "video", "audio", "speech", "sketch", "skeleton", "exemplar",
    "reference", "language", "point", "event", "subject", "keyword", "query", "pose", "layout",
    "knowledge", "scene", "mask",
})
#: Qualifiers that are never part of a task's name ("unseen dense prediction", "largest prediction").
_TASK_QUALIFIERS = frozenset({"unseen", "largest", "smallest", "best", "highest", "lowest"})


def _is_task_modifier(low: str) -> bool:
    """Can *low* (lower-cased) modify a task word? Function words, adverbs, verb forms, vague
    adjectives and technique-based modifiers cannot ("employ", "trained", "precise",
    "diffusion-based"); an input-based one can ("sketch-based")."""
    if low in _TASK_MOD_STOP or low in _TASK_VERBS or low in _TASK_QUALIFIERS or low.endswith("ly"):
        return False
    if low.endswith("-based"):
        return low[: -len("-based")] in _TASK_INPUTS
    if low.endswith("ing") and low != "learning":
        return False
    return not (low.endswith("ed") and not low.endswith(
        ("supervised", "grounded", "embodied", "federated", "generalized")))


def task_phrase_candidates(text: str, field_start: int,
                           head_starts: Iterable[int] | None = None) -> list[Candidate]:
    """Noun phrases ending in a task word: "monocular depth estimation", "OOD detection".

    Up to four content words directly before the task word are kept (function words,
    adverbs, verbs in -ing and a stop-list of vague adjectives end the phrase).
    *head_starts* (offsets of task-word tokens) replace the scan when given.
    """
    out = []
    if head_starts is None:
        heads = [(m.start("head"), m.end("head")) for m in _TASK_HEAD_RE.finditer(text, field_start)]
    else:
        heads = [(m.start("head"), m.end("head")) for pos in head_starts
                 if pos > field_start and (m := _TASK_HEAD_RE.match(text, pos - 1)) is not None]
    for head_start, head_end in heads:
        keep: list[str] = []
        pos = head_start - 1  # the space before the head
        while len(keep) < 4 and pos > field_start:
            word_start = text.rfind(" ", field_start, pos) + 1
            if word_start <= 0 and text[field_start] == " ":
                break
            word_start = max(word_start, field_start)
            word = text[word_start:pos]
            first = False  # the first word of an abstract sentence: "Scene text editing is …"
            if "\n" in word:
                cut = word.rfind("\n") + 1
                word_start, word, first = word_start + cut, word[cut:], True
            elif word_start >= 2 and text[word_start - 2:word_start] == ". ":
                first = True
            if len(word) > 2 and word[0] in _QUOTES and word[-1] in _QUOTES:
                word = word[1:-1]  # a quoted modifier: "zero-shot" generalization
            low = word.lower()
            shape = low if first and word.istitle() and word.isalpha() else word
            if not _TASK_MOD_FULL_RE.fullmatch(shape) or not _is_task_modifier(low):
                break
            if word_start > 0 and not text[word_start - 1].isspace():
                break
            keep.append(word)
            pos = word_start - 1
            if first:
                break
        if not keep:
            continue
        keep.reverse()
        head = text[head_start:head_end]
        if head.startswith("generali") and not all(
                w.isupper() or w.lower() in _GENERALIZATION_KINDS for w in keep):
            continue  # "better/agent/cross-scene generalization": only named kinds ("OOD", "zero-shot")
        out.append(Candidate(pos + 1, head_end, "TASK", "task_phrase", 0.6))
    if field_start == 0:
        out.extend(method_phrase_candidates(text))
    return out


#: Technique words that a one- or two-word modifier turns into a named technique:
#: "hard-sample mining", "Energy Confusion regularization", "refinement tuning".
_METHOD_PHRASE_HEAD_RE = re.compile(
    r" (?:distillation|regularization|tuning|mining|augmentation|pruning|quantization)\b")
_METHOD_PHRASE_MOD_RE = re.compile(r"[A-Za-z][A-Za-z\-]*")
_METHOD_MOD_STOP = frozenset({
    "fine", "instruction", "prompt", "knowledge", "model", "vanilla", "applicable", "lightweight", "rate",
    "hyperparameter", "parameter", "additional", "careful", "data", "network", "weight", "post-training",
})


#: Method nouns after which a technique phrase names the paper's technique ("a progressive
#: learning mechanism"); "loss", "system" or "tool" name no technique that way.
_TECHNIQUE_NOUNS = frozenset({
    "method", "methods", "approach", "approaches", "technique", "techniques", "algorithm", "algorithms",
    "mechanism", "strategy", "strategies", "framework", "paradigm", "scheme", "schemes", "procedure",
    "module",
})
#: Last words of a technique phrase: what is done ("pruning", "distillation"), not what is solved
#: ("retrieval", "generation" and "estimation" head tasks as often as methods).
_TECHNIQUE_HEADS = frozenset({
    "learning", "training", "pre-training", "pretraining", "optimization", "optimisation", "distillation",
    "pruning", "tuning", "fine-tuning", "finetuning", "prompting", "filtering", "augmentation", "sampling",
    "decoding", "search", "regularization", "quantization", "parallelism", "upsampling", "normalization",
    "minimization", "merging", "planning", "descent", "encoding", "decomposition",
    "factorization", "replay", "dropout", "mixup", "ensembling", "masking", "pooling", "initialization",
})
#: Last words of a described proposal ("a hierarchical gradient matching framework").
_PROPOSAL_HEADS = _TECHNIQUE_HEADS | METHOD_HEADS
_TECHNIQUE_WORD_RE = re.compile(r"['‘’\"“”]?[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*['‘’\"“”]?")
#: Modifiers that praise, rank or count, not name: "the predominant pruning method", "a
#: three-stage training strategy".
_VAGUE_MODIFIERS = frozenset({
    "proposed", "existing", "vanilla", "standard", "naive", "predominant", "dominant", "main", "key",
    "primary", "prevalent", "mainstream", "classic", "classical", "widely-used", "various", "popular",
    "innovative", "elegant", "careful", "specific", "special", "appropriate", "proper", "suitable",
    "applicable",
})
#: What a technique works on, which names it although it names no task: "data filtering", "model
#: parallelism", "feature distillation".
_TECHNIQUE_OBJECTS = frozenset({"data", "model", "feature", "domain", "weight", "parameter", "token",
                                "layer"})
_COUNT_TAILS = ("-stage", "-step", "-phase", "-round", "-specific")
#: Glued participles that keep a compound a modifier: "optimization-oriented", "CLIP-based".
_COMPOUND_TAILS = ("-based", "-oriented", "-guided", "-driven", "-aware", "-conditioned", "-informed",
                   "-augmented", "-enhanced", "-assisted", "-inspired", "-level", "-wise", "-shot")


def _technique_modifier(word: str) -> bool:
    """Can *word* (quotes stripped) be part of a technique's name before its head word?"""
    low = word.lower()
    if low in _PROPOSAL_ADJECTIVES or low in _VAGUE_MODIFIERS or low.endswith(_COUNT_TAILS):
        return False
    if "-" in word and low.endswith(_COMPOUND_TAILS):
        return True
    if word in NOT_NAMES:
        return False  # "LLM fine-tuning methods": a class of models, not a kind of technique
    if word[:1].isupper() and not word.isupper() and "-" not in word:
        return False  # "Our", "Specifically": sentence words, not names
    return low in _TECHNIQUE_OBJECTS or _is_task_modifier(low)


def technique_before(text: str, noun_start: int) -> tuple[int, int] | None:
    """The technique phrase right before a method noun, as ``(start, end)`` offsets of *text*:
    "… a progressive learning mechanism" → "progressive learning"; ``None`` if the word before
    is no technique word (:data:`_TECHNIQUE_HEADS`) or nothing modifies it ("a learning method").
    Up to three modifiers; function words, verbs, vague adjectives ("novel", "standard") end it."""
    end = noun_start - 1
    if end <= 0 or text[end] != " ":
        return None
    head_start = text.rfind(" ", 0, end) + 1
    head = text[head_start:end]
    if not head.islower() or head.rsplit("-", 1)[-1] not in _TECHNIQUE_HEADS:
        return None  # "fine-tuning", "self-distillation": the last part is the technique word
    start = head_start
    for _ in range(3):
        pos = start - 1
        if pos <= 0 or text[pos] != " ":
            break
        word_start = text.rfind(" ", 0, pos) + 1
        word = text[word_start:pos]
        if _TECHNIQUE_WORD_RE.fullmatch(word) is None or not _technique_modifier(word.strip("'‘’\"“”")):
            break
        start = word_start
    if start == head_start and "-" not in head:
        return None  # "a learning method"
    while text[start] in _QUOTES and text.find(text[start], start + 1, end) < 0:
        start += 1  # an unbalanced quote belongs to the sentence, not the name
    return start, end


_LOWER_ITEM = r"[a-z][\w'-]*(?: [a-z][\w'-]*){0,3}|[A-Z][A-Z0-9-]+(?: [a-z][\w'-]*){1,2}"
_LOWER_LIST = rf"(?:{_LOWER_ITEM})(?:, (?:{_LOWER_ITEM}))*(?:,? (?:and|or) (?:{_LOWER_ITEM}))?"
#: "methods, such as prompt learning, that …" / "techniques (step-by-step, direct answer, etc.)"
_LOWER_LIST_AFTER_RE = re.compile(
    rf",? (?:such as|like|namely|e\.g\.,?|i\.e\.,?) (?P<names>{_LOWER_LIST})(?=[,.;:)]|$)"
    rf"|\s?\((?:e\.g\.,? |i\.e\.,? )?(?P<paren>{_LOWER_LIST})(?:,? etc\.?)?\)"
)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
#: "we investigate two approaches to …: X and Y." — the announced count must match the items.
_COLON_LIST_RE = re.compile(rf"[^:.;()]{{0,100}}?: (?P<names>{_LOWER_LIST})(?=\.(?:\s|$)|$)")
_COUNT_BEFORE_RE = re.compile(r"\b(?P<count>two|three|four|five|[2-5])\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


def _list_items(names: str, offset: int, any_words: bool) -> list[tuple[int, int]]:
    """``(start, end)`` of the items of a lower-case list that can name techniques: no function
    words (unless *any_words*: a bracketed enumeration, "recall then generate"), not generic."""
    out = []
    for s, e, item in _split_list(names, offset):
        words = item.split()
        if words[0].lower() in STOP_WORDS or words[0].lower() in _LEADING_WORDS or item == "etc":
            continue
        if len(words) > 1 and words[0].endswith("ing"):
            continue  # "augmenting data": what a method does, not its name
        if not any_words and any(w.lower() in STOP_WORDS or w.lower() in _TASK_VERBS for w in words):
            continue
        out.append((s, e))
    return out


def technique_list(body: str, noun_start: int, noun_end: int) -> list[tuple[int, int]]:
    """Techniques listed after a method noun, as ``(start, end)`` offsets of *body*.

    "finetuning methods, such as prompt learning, that …", "reasoning techniques (step-by-step,
    direct answer, etc.)", and a counted announcement whose items follow a colon ("two
    techniques to reduce the cost: TF-IDF filtering and query batching.").
    """
    match = _LOWER_LIST_AFTER_RE.match(body, noun_end) if body[noun_end - 1] == "s" else None
    if match is not None:  # examples of a kind: "methods, such as …" (not "an algorithm (e.g., …)")
        if match.group("names") is not None:
            return _list_items(match.group("names"), match.start("names"), False)
        return _list_items(match.group("paren"), match.start("paren"), True)
    count = _COUNT_BEFORE_RE.search(body, max(0, noun_start - 40), noun_start)
    if count is None or (match := _COLON_LIST_RE.match(body, noun_end)) is None:
        return []
    items = _list_items(match.group("names"), match.start("names"), False)
    return items if len(items) == _COUNTS[count.group("count").lower()] else []


_SIBLING_RE = re.compile(r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?P<item>[\w'-]+(?: [\w'-]+){0,3})")


def _sibling_words_ok(words: list[str]) -> bool:
    return all(_TECHNIQUE_WORD_RE.fullmatch(w) is not None and _technique_modifier(w) for w in words)


def list_siblings(text: str, candidates: Iterable[Candidate]) -> list[Candidate]:
    """Methods listed beside a known one with the same head word: "data parallelism, op-level model
    parallelism, pipeline model parallelism and …" — the known "data parallelism" types the others.

    Only the items after the known name (up to four words, content words only) are taken.
    """
    out = []
    for cand in candidates:
        if cand.type != "METHOD" or cand.rule != "gazetteer":
            continue
        name = text[cand.start:cand.end]
        if " " not in name or not name.islower():
            continue
        head = name.rsplit(" ", 1)[1]
        pos = cand.end
        while (match := _SIBLING_RE.match(text, pos)) is not None:
            words = match.group("item").split()
            if head not in words:
                break
            words = words[:words.index(head) + 1]  # "… model parallelism with …": up to the head
            if len(words) < 2 or not _sibling_words_ok(words[:-1]):
                break
            start = match.start("item")
            end = start + len(" ".join(words))
            out.append(Candidate(start, end, "METHOD", "cue:list", 0.7))
            pos = end
    return out


def method_phrase_candidates(text: str) -> list[Candidate]:
    """Unlisted techniques named by one or two content words before a technique word.

    The modifiers follow the task-phrase rules (no function words, verbs, adverbs or vague
    adjectives); a phrase that a listed technique covers ("data augmentation", "instruction
    tuning") is left to the gazetteer, which outranks this rule.
    """
    out = []
    for match in _METHOD_PHRASE_HEAD_RE.finditer(text):
        head_start = match.start() + 1
        start = pos = match.start()
        for _ in range(2):
            word_start = text.rfind(" ", 0, pos) + 1
            word = text[word_start:pos]
            low = word.lower()
            if not _METHOD_PHRASE_MOD_RE.fullmatch(word) or not _is_task_modifier(low) \
                    or low in _METHOD_MOD_STOP or low in _VAGUE_MODIFIERS or low in _PROPOSAL_ADJECTIVES \
                    or low.endswith(_COUNT_TAILS):
                break  # "naive distillation", "appropriate regularization", "domain-specific augmentation"
            start, pos = word_start, word_start - 1
            if pos <= 0 or text[pos] != " ":
                break
        if start < head_start - 1:
            out.append(Candidate(start, match.end(), "METHOD", "method_phrase", 0.55))
    return out


# ---------------------------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------------------------
def url_candidates(text: str) -> list[Candidate]:
    """Code and project URLs, trailing punctuation and glued junk removed."""
    return [Candidate(s, e, "REPO", "url", 1.0, strong=True) for s, e, _url in find_urls(text)]


_OPENERS = "(\"'"


def _delimits(char: str) -> bool:
    return char.isspace() or char in _OPENERS


def _left_word(text: str, start: int) -> int:
    """Start of the word (a possible task modifier) right before ``text[start]`` and one space,
    or -1: the word follows a space, bracket, quote or the start of the text, has at most 40
    characters and has the shape of :data:`_TASK_MOD`."""
    end = start - 1
    if end < 1 or text[end] != " ":
        return -1
    lo = max(0, start - 40)
    word_start = end
    while word_start > lo and not _delimits(text[word_start - 1]):
        word_start -= 1
    if word_start > 0 and not _delimits(text[word_start - 1]):
        return -1
    if word_start == end or _TASK_MOD_FULL_RE.fullmatch(text, word_start, end) is None:
        return -1
    return word_start


def task_extensions(text: str, candidates: Iterable[Candidate]) -> list[Candidate]:
    """Longer task names: known or found tasks with up to two content words before them.

    "multihop question answering", "blind image inpainting", "zero-shot cross-lingual transfer":
    the specific setting is the concept, not the generic task inside it.
    """
    out = []
    for cand in candidates:
        if cand.type != "TASK" or cand.rule not in ("gazetteer", "task_phrase"):
            continue
        start = cand.start
        for _ in range(2):
            word_start = _left_word(text, start)
            if word_start < 0:
                break
            low = text[word_start:start - 1].lower()
            if not _is_task_modifier(low) or low in TASK_HEADS:
                break
            start = word_start
        if start != cand.start:
            out.append(Candidate(start, cand.end, "TASK", "task_extension", 0.65, cand.role))
    return out
