"""From candidate spans to the concept mentions of one document.

:func:`resolve_candidates` is the decision step of the ``paper_concepts``
component:

1. drop generic phrases ("large language models") and non-names;
2. merge candidates over the same span (strongest typed evidence wins; ties go
   to the more specific rule: title/proposal > gazetteer > cue > family > shape);
3. type both sides of an acronym definition from whichever side is known (or
   from the long form's head word: "… Optimization" → METHOD; or, for a capitalised
   long form defined in the authors' own sentence, METHOD);
4. keep non-overlapping spans, longest first (task phrases last);
5. find the other occurrences of every kept name in the same document.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from extractors.abbreviations import AbbreviationPair
from extractors.evidence import Candidate, GazetteerIndex, list_siblings, task_extensions
from extractors.shapes import NOT_NAMES, SPELLING_CACHE_SIZE, find_word, head_type, is_strong_name

__all__ = ["ConceptMention", "is_generic", "resolve_candidates", "sentence_starts"]

_RULE_RANK = {
    "url": 9, "title": 8, "propose": 7, "gazetteer": 6, "abbreviation": 5, "cue:noun": 4, "cue:list": 4,
    "family": 3, "cue:eval": 2, "technique": 2, "shape": 1, "task_extension": 1, "task_phrase": 0,
    "method_phrase": 0,
}


@dataclass(slots=True)
class ConceptMention:
    """One concept mention found in a document (the elements of ``doc._.concepts``).

    Offsets are into ``doc.text``. ``canonical`` is the gazetteer's canonical
    name when the surface is a known alias; ``partner`` is the other side of an
    acronym definition ("PPO" ↔ "Proximal Policy Optimization") when there is one.
    """

    type: str | None
    text: str
    start: int
    end: int
    sentence: str
    rule: str
    confidence: float
    role: str = "USES"
    canonical: str | None = None
    partner: str | None = None


@lru_cache(maxsize=SPELLING_CACHE_SIZE)
def is_generic(text: str, generic: frozenset[str]) -> bool:
    """True if *text* is a stop-listed generic phrase (also in singular/plural form)."""
    low = text.lower()
    if " " in low or "–" in low or "\n" in low or "\t" in low:
        low = " ".join(low.replace("–", "-").split())
    if low in generic:
        return True
    if low.endswith("s") and low[:-1] in generic:
        return True
    return low + "s" in generic


_SENT_END_RE = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n+")
_NO_SPLIT_BEFORE = re.compile(
    r"(?:\bal|\be\.g|\bi\.e|\betc|\bvs|\bcf|\bFig|\bFigs|\bEq|\bEqs|\bSec|\bTab|\bapprox|\bresp|\bDr|\bMr"
    r"|\bMs|\bNo|\bw\.r\.t|\bviz|\b[A-Z])\.$"
)


def sentence_starts(text: str, marks: Iterable[tuple[int, int]] | None = None) -> list[int]:
    """Character offsets where sentences start (rule-based; "et al.", "e.g." do not end one).

    *marks*, when given, are the ``(start, end)`` character spans, in order, of the
    tokens whose text contains ``.``, ``!``, ``?`` or a line break. A sentence end
    starts at one of those characters, so only they are tried instead of scanning
    the whole text; the result is the same.
    """
    starts = [0]
    matches = _SENT_END_RE.finditer(text) if marks is None else _matches_in(text, marks)
    for match in matches:
        if match.group(0)[0] == ".":
            before = text[max(0, match.start() - 5): match.start() + 1]
            if _NO_SPLIT_BEFORE.search(before):
                continue
        if match.end() < len(text):
            starts.append(match.end())
    return starts


_MARK_CHARS_RE = re.compile(r"[.!?\n]")


def _matches_in(text: str, marks: Iterable[tuple[int, int]]) -> Iterator[re.Match]:
    """The matches ``_SENT_END_RE.finditer(text)`` yields, tried only at the mark characters
    inside the *marks* spans (left to right, never overlapping, as ``finditer``)."""
    last_end = 0
    match_at, mark_in = _SENT_END_RE.match, _MARK_CHARS_RE.search
    for start, end in marks:
        pos = max(start, last_end)
        while pos < end and (found := mark_in(text, pos, end)) is not None:
            match = match_at(text, found.start())
            if match is None:
                pos = found.start() + 1
            else:
                yield match
                pos = last_end = match.end()


def _sentence(text: str, starts: list[int], pos: int, cache: dict[int, str] | None = None) -> str:
    """The sentence around *pos*; with *cache* (sentence index → text), each sentence is cut once and
    shared by all its mentions (and later by their graph edges) instead of copied per mention."""
    idx = bisect_right(starts, pos) - 1
    if cache is not None and (found := cache.get(idx)) is not None:
        return found
    end = starts[idx + 1] if idx + 1 < len(starts) else len(text)
    sentence = text[starts[idx]:end].strip()
    if cache is not None:
        cache[idx] = sentence
    return sentence


def _merge_same_span(cands: Iterable[Candidate]) -> dict[tuple[int, int], Candidate]:
    merged: dict[tuple[int, int], Candidate] = {}
    for cand in cands:
        key = (cand.start, cand.end)
        old = merged.get(key)
        if old is None:
            merged[key] = Candidate(cand.start, cand.end, cand.type, cand.rule, cand.confidence, cand.role,
                                    cand.canonical, cand.strong)
            continue
        if cand.type is not None and (
            old.type is None
            or (cand.confidence, _RULE_RANK.get(cand.rule, 0)) > (old.confidence, _RULE_RANK.get(old.rule, 0))
        ):
            old.type, old.rule, old.confidence = cand.type, cand.rule, cand.confidence
        if cand.role == "PROPOSES":
            old.role = "PROPOSES"
        old.canonical = old.canonical or cand.canonical
        old.strong = old.strong or cand.strong
    return merged


_CLASS_HEADS = frozenset({"models", "transformers", "agents", "systems", "architectures", "encoders",
                          "classifiers", "detectors", "learners"})


def _names_a_class(long_form: str) -> bool:
    """A plural long form names a class of things, not one concept: "large foundation models (LFMs)"."""
    words = long_form.split()
    return len(words) > 1 and words[-1].lower() in _CLASS_HEADS and not any(
        w[:1].isupper() and any(c.isupper() for c in w[1:]) for w in words)


_WE_RE = re.compile(r"\b[Ww]e\b")
_PROPOSAL_VERB_RE = re.compile(r"\b(?:propose|introduce|present|develop|design|devise)[sd]?\b")
_PAREN_ACRONYM_RE = re.compile(r"\([a-z]*[A-Z][\w-]{0,9}\)")


def _names_own_technique(text: str, starts: list[int], pair: AbbreviationPair) -> str | None:
    """An acronym whose capitalised long form nothing types, defined as the object of the authors'
    own sentence, names a technique: "we adopt Space-sensitive Physical Customization (SPC)", "we
    propose … (ii) a Recurrent Aggregation Regulator (RAR)". Returns the role (PROPOSES after a
    proposal verb), or ``None`` when the definition names no technique this way."""
    words = pair.long.replace("-", " ").split()
    if len(words) < 2 or not pair.long[:1].isupper():
        return None
    if any(len(w) > 1 and w.isupper() for w in words):
        return None  # "Pre-Trained OOD (PT-OOD)": a variant of another acronym's concept
    idx = bisect_right(starts, pair.long_start) - 1 if starts else -1
    sentence_start = starts[idx] if idx >= 0 else 0
    sentence_end = starts[idx + 1] if 0 <= idx < len(starts) - 1 else len(text)
    if len(_PAREN_ACRONYM_RE.findall(text, sentence_start, sentence_end)) >= 3:
        return None  # "True Understanding (TU), IGnorance (IG), …": labels of categories
    we = _WE_RE.search(text, sentence_start, pair.long_start)
    if we is None:
        return None
    return "PROPOSES" if _PROPOSAL_VERB_RE.search(text, we.end(), pair.long_start) else "USES"


def _fold(text: str) -> str:
    """Spelling-insensitive form of a long form: letters and digits, a plural "s" dropped per word
    ("Bidirectional Encoder Representation from Transformer" = "… Representations from Transformers")."""
    words = ("".join(ch for ch in w if ch.isalnum()) for w in text.lower().replace("-", " ").split())
    return "".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


def _strength(cand: Candidate) -> tuple[float, int]:
    # a title or proposal typed by its spelling alone (confidence 0.75) gets no bonus: what the
    # abstract says the name is ("our proposed model LIMO") decides then
    if cand.rule == "abbreviation" or (cand.rule in ("title", "propose") and cand.confidence > 0.75):
        bonus = 0.2
    else:
        bonus = 0.0
    return cand.confidence + bonus, _RULE_RANK.get(cand.rule, 0)


def _acceptable(text: str, cand: Candidate, generic: frozenset[str]) -> bool:
    if cand.type == "REPO":
        return True
    if len(text) < 2 or text.isdigit() or "\n" in text:
        return False
    if cand.rule != "gazetteer" and (text in NOT_NAMES or (text.endswith("s") and text[:-1] in NOT_NAMES)):
        return False
    return not is_generic(text, generic)


class _Occupied:
    """The character spans already taken by chosen mentions, for overlap tests.

    Spans are only added when they overlap none already there, so the non-empty ones
    are disjoint: sorted by start, their ends are sorted too, and the one span that may
    overlap ``[start, end)`` is the last one starting before *end* (a bisection instead
    of a test against every span). Should an empty span ever be added or asked about,
    every test falls back to comparing with each span, which gives the same answers.
    """

    __slots__ = ("ends", "linear", "spans", "starts")

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.linear = False

    def overlaps(self, start: int, end: int) -> bool:
        """True if ``[start, end)`` overlaps a span here (``start < e and s < end`` for one)."""
        if self.linear or start >= end:
            return any(start < e and s < end for s, e in self.spans)
        i = bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start

    def add(self, start: int, end: int) -> None:
        """Add a span that overlaps none here."""
        self.spans.append((start, end))
        if start >= end:
            self.linear = True
            return
        i = bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def resolve_candidates(
    text: str,
    candidates: list[Candidate],
    abbreviations: list[AbbreviationPair],
    starts: list[int],
    title_end: int,
    generic: frozenset[str],
    gazetteer: GazetteerIndex | None = None,
) -> tuple[list[ConceptMention], list[ConceptMention]]:
    """Decide the concept mentions of one document.

    Returns
    -------
    (mentions, unresolved)
        ``mentions`` are typed, non-overlapping and sorted by position;
        ``unresolved`` are distinctive names with no type evidence here (the
        corpus pass may type them from other papers).
    """
    urls = [(c.start, c.end) for c in candidates if c.type == "REPO"]
    cut = title_end if title_end > 0 else -1  # a span may not cross the end of the title
    kept = [
        c for c in candidates
        if not (c.start < cut < c.end) and _acceptable(text[c.start:c.end], c, generic)
        and (not urls or c.type == "REPO" or not any(s <= c.start < e for s, e in urls))
    ]
    kept += [c for c in (*task_extensions(text, kept), *list_siblings(text, kept))
             if _acceptable(text[c.start:c.end], c, generic)]
    spans = _merge_same_span(kept)
    # spans that are a spelling of several gazetteer entries ("SAM"): decided below
    shared: dict[tuple[int, int], list[str]] = {}
    for c in kept:
        if c.rule == "gazetteer" and c.canonical:
            names = shared.setdefault((c.start, c.end), [])
            if c.canonical not in names:
                names.append(c.canonical)
    shared = {key: names for key, names in shared.items() if len(names) > 1}

    # Acronym definitions: both sides are one concept of one type.
    partners: dict[tuple[int, int], str] = {}
    defined: dict[str, str] = {}  # acronym -> the gazetteer name its definition here gives it
    for pair in abbreviations:
        own: str | None = None  # the role, when only the authors' own sentence types the pair
        long_key, short_key = (pair.long_start, pair.long_end), (pair.short_start, pair.short_end)
        if is_generic(pair.long, generic) or is_generic(pair.short, generic) or _names_a_class(pair.long):
            spans.pop(short_key, None)
            spans.pop(long_key, None)
            continue
        if pair.long[:1].islower() and pair.long.split()[0].endswith("ing"):
            continue  # "learning a domain model (LaGD)": a description, not a name
        long_c, short_c = spans.get(long_key), spans.get(short_key)
        # The definition in this text outranks what the gazetteer says about a bare acronym
        # ("Sharpness-Aware Minimization (SAM)" is not the Segment Anything Model).
        if short_c is not None and short_c.rule == "gazetteer" and gazetteer is not None:
            entry = gazetteer.lookup(pair.short)
            same_entry = long_c is not None and long_c.canonical == short_c.canonical
            known_long = entry is not None and _fold(pair.long) in {_fold(s) for s in entry.surfaces}
            if entry is not None and not same_entry and not known_long:
                short_c.type, short_c.canonical = None, ""
            elif known_long:
                # the entry the long form names, not whichever entry sharing the acronym matched
                # first ("segment anything model (SAM)" is not Sharpness-Aware Minimization)
                short_c.canonical = entry.name
        head = head_type(pair.long)
        if long_c is not None and long_c.type and (long_c.rule in ("gazetteer", "cue:noun") or head is None):
            long_type = long_c.type
        else:
            long_type = head or (long_c.type if long_c is not None else None)
        if long_type is not None:
            ptype = long_type
            conf = long_c.confidence if long_c is not None and long_c.type else 0.75
            if short_c is not None and short_c.type is not None and short_c.rule != "gazetteer":
                conf = max(conf, short_c.confidence)
        elif short_c is not None and short_c.type is not None:
            ptype, conf = short_c.type, short_c.confidence
        elif (own := _names_own_technique(text, starts, pair)) is not None:
            ptype, conf = "METHOD", 0.6
        else:
            continue
        # The pair's gazetteer identity, if any; "" means "known to have none" (no later lookup).
        if long_c is not None and long_c.canonical:
            canonical = long_c.canonical
        elif short_c is not None and short_c.canonical and short_c.type == ptype:
            canonical = short_c.canonical
        else:
            canonical = ""
        role = "PROPOSES" if any(c.role == "PROPOSES" for c in (long_c, short_c) if c) else "USES"
        if own == "PROPOSES":
            role = own
        for key, cand in ((long_key, long_c), (short_key, short_c)):
            if cand is None:
                spans[key] = Candidate(key[0], key[1], ptype, "abbreviation", conf, role, canonical, True)
            else:
                if cand.type != ptype or cand.rule in ("task_phrase", "method_phrase"):
                    # a defined long form is a name, not a phrase that yields to known names inside
                    # it ("iterative magnitude pruning (IMP)" over "magnitude pruning")
                    cand.type, cand.rule, cand.confidence = ptype, "abbreviation", max(conf, cand.confidence)
                cand.role = role
                cand.canonical = canonical
        partners[long_key] = pair.short
        partners[short_key] = pair.long
        defined.setdefault(pair.short, canonical)

    # Bare uses of an acronym defined here denote what the definition names ("SAM" shared by two entries).
    if defined:
        for (start, end), cand in spans.items():
            name = defined.get(text[start:end])
            if name is not None and cand.rule == "gazetteer":
                cand.canonical = name

    # A shared spelling without a definition here: the entry whose field the paper's other known
    # concepts share ("SAM" among segmentation tasks is the Segment Anything Model).
    if shared and gazetteer is not None:
        _choose_by_field(text, spans, shared, defined, gazetteer)

    # One type per surface in a document: the strongest evidence decides for every occurrence.
    best_by_text: dict[str, Candidate] = {}
    for cand in spans.values():
        if cand.type is None or cand.type == "REPO":
            continue
        name = text[cand.start:cand.end]
        old = best_by_text.get(name)
        if old is None or _strength(cand) > _strength(old):
            best_by_text[name] = cand
    for cand in spans.values():
        best = best_by_text.get(text[cand.start:cand.end])
        if best is not None and best is not cand and cand.type != best.type and \
                cand.rule not in ("task_phrase", "method_phrase"):
            cand.type = best.type

    typed = [c for c in spans.values() if c.type is not None]
    typed.sort(key=lambda c: (c.rule in ("task_phrase", "method_phrase"), -(c.end - c.start), -c.confidence,
                              c.start))
    chosen: list[Candidate] = []
    occupied = _Occupied()
    for cand in typed:
        if occupied.overlaps(cand.start, cand.end):
            continue
        chosen.append(cand)
        occupied.add(cand.start, cand.end)

    chosen = _drop_task_phrase_tails(text, chosen)

    # Other occurrences of the same names in this document.
    seen_names = {}
    for cand in chosen:
        name = text[cand.start:cand.end]
        if cand.type != "REPO" and (is_strong_name(name) or " " in name or name[:1].isupper()):
            seen_names.setdefault(name, cand)
    extra = []
    for name, src in seen_names.items():
        for s, e in find_word(text, name):
            if occupied.overlaps(s, e):
                continue
            if title_end > 0 and s < title_end < e:
                continue
            extra.append(Candidate(s, e, src.type, "repeat", min(src.confidence, 0.8), src.role,
                                   src.canonical, True))
            occupied.add(s, e)
    chosen += extra
    chosen.sort(key=lambda c: (c.start, c.end))

    sentences: dict[int, str] = {}

    def to_mention(c: Candidate) -> ConceptMention:
        return ConceptMention(
            c.type, text[c.start:c.end], c.start, c.end, _sentence(text, starts, c.start, sentences), c.rule,
            round(c.confidence, 3), c.role,
            (c.canonical if c.canonical is not None else _gaz_name(text[c.start:c.end], gazetteer)) or None,
            partners.get((c.start, c.end)),
        )

    mentions = [to_mention(c) for c in chosen]
    unresolved = [
        to_mention(c) for c in spans.values()
        if c.type is None and c.strong and not occupied.overlaps(c.start, c.end)
    ]
    unresolved.sort(key=lambda m: (m.start, m.end))
    return mentions, unresolved


_WORD_BEFORE_RE = re.compile(r"([A-Za-z][\w-]*) $")


def _drop_task_phrase_tails(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """A found task phrase that ends a longer task of the same paper is that task, cut short by a
    vague word ("effective gap estimation" beside "adaptivity gap estimation"): dropped."""
    phrases = [c for c in chosen if c.rule == "task_phrase"]
    if not phrases:
        return chosen
    tasks = {text[c.start:c.end].lower() for c in chosen if c.type == "TASK"}
    drop = set()
    for c in phrases:
        tail = " " + text[c.start:c.end].lower()
        before = _WORD_BEFORE_RE.search(text, max(0, c.start - 30), c.start)
        if before is None or before.group(1).lower() in STOP_WORDS:
            continue  # "… and generalized category discovery": the shorter task on its own
        if any(t.endswith(tail) for t in tasks):
            drop.add(id(c))
    return [c for c in chosen if id(c) not in drop] if drop else chosen


def _choose_by_field(text: str, spans: dict[tuple[int, int], Candidate],
                     shared: dict[tuple[int, int], list[str]], defined: dict[str, str],
                     gazetteer: GazetteerIndex) -> None:
    """Give each shared gazetteer spelling the entry whose field most other known concepts have.

    Only a strict majority decides; otherwise the entry of the type the span was given is kept
    (the name and the type of a mention must describe the same entry).
    """
    fields: Counter = Counter()
    for key, cand in spans.items():
        entry = gazetteer.by_name.get(cand.canonical) if cand.canonical and key not in shared else None
        if entry is not None and entry.field:
            fields[entry.field] += 1
    for key, names in shared.items():
        cand = spans.get(key)
        if cand is None or cand.rule != "gazetteer" or text[key[0]:key[1]] in defined:
            continue
        entries = [gazetteer.by_name[n] for n in names if n in gazetteer.by_name]
        scored = sorted(((fields.get(e.field, 0), e) for e in entries), key=lambda se: -se[0])
        if len(scored) > 1 and scored[0][0] > scored[1][0]:
            cand.canonical, cand.type = scored[0][1].name, scored[0][1].type
        else:
            same_type = [e.name for e in entries if e.type == cand.type]
            if same_type:
                cand.canonical = same_type[0]


def _gaz_name(text: str, gazetteer: GazetteerIndex | None) -> str | None:
    if gazetteer is None:
        return None
    entry = gazetteer.lookup(text)
    return entry.name if entry is not None else None
