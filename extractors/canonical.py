"""Corpus-wide canonicalisation: one name and one id per concept.

A scispaCy-style alias table. Every surface is folded to a *name key* by
:func:`name_key` (case, hyphens, spaces and a plural ``s`` do not matter;
digits, dots between digits and suffix letters do: "GPT4" = "GPT-4" = "gpt 4",
"ImageNet" ≠ "ImageNet-C", "Qwen2.5-1.5B" ≠ "Qwen2.5-7B"). Keys are then
joined into concepts by

* the gazetteer: a known entry's name and aliases are one concept;
* acronym definitions seen anywhere in the corpus: "Proximal Policy
  Optimization (PPO)" in one abstract makes a bare "PPO" in another the same
  concept. A short form defined with different long forms across the corpus
  ("SAM") is joined only where the majority (≥ 2/3) agrees, and inside a paper
  that defines it, to that paper's own long form;
* acronym expansion inside longer names: with "out-of-distribution (OOD)"
  defined, "OOD detection" and "out-of-distribution detection" are one concept.

Two different gazetteer entries are never joined. A spelling of several entries
("SAM": Sharpness-Aware Minimization and the Segment Anything Model) belongs to
the entry its paper's definition names, else to the entry the mention's own
gazetteer name gives, else to the corpus majority; a mention's gazetteer name
never claims a spelling of another entry ("segment anything model"). A paper's own
artifact named like a gazetteer entry of another type ("Chameleon: A Data-Efficient
Generalist …", a model, against the Chameleon graph dataset) is a concept of its own in
that paper (:meth:`CorpusCanonicaliser.own_names`).

Each concept has one type over the whole corpus: the gazetteer's, else the
type with the most evidence (sum of confidences).

Canonical name: the gazetteer name when the concept is a known entry; else,
when an acronym definition exists, the long form (its most frequent spelling);
else the most frequent spelling. Ties go to the spelling seen more often in
abstracts, then to the alphabetically first, so results are deterministic.

Usage (two passes)::

    canon = CorpusCanonicaliser()
    for paper_mentions in corpus:
        canon.observe(paper_mentions)        # pass 1: collect alias evidence
    canon.finalise()
    concept = canon.concept("METHOD", "PPO")  # pass 2: resolve
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from extractors.gazetteer import GazetteerEntry, load_gazetteer
from extractors.shapes import SPELLING_CACHE_SIZE, find_word
from extractors.urls import RepoRef, url_ref
from kg.schema import ENTITY_TYPE_TO_KIND, concept_id, repo_id

__all__ = ["Concept", "CorpusCanonicaliser", "MentionRecord", "name_key", "repo_concept_id"]

_DIGIT_DOT = re.compile(r"(?<=\d)\.(?=\d)")
_MAJORITY = 2 / 3


def _replace_word(text: str, word: str, replacement: str) -> str:
    """*text* with every whole-word *word* replaced."""
    spans = list(find_word(text, word))
    for start, end in reversed(spans):
        text = text[:start] + replacement + text[end:]
    return text


@lru_cache(maxsize=SPELLING_CACHE_SIZE)  # the same spellings recur all over a corpus
def name_key(text: str) -> str:
    """Fold a name to its alias key.

    NFKD with accents dropped, case-folded; everything except letters, digits and
    ``+`` removed, but a dot between digits kept; a final plural ``s`` dropped
    from keys longer than three characters (not ``ss``).

    >>> name_key("GPT-4") == name_key("GPT4") == name_key("gpt 4")
    True
    >>> name_key("ImageNet") == name_key("ImageNet-C")
    False
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _DIGIT_DOT.sub("\x00", text)
    key = ".".join("".join(ch for ch in chunk if ch.isalnum() or ch == "+") for chunk in text.split("\x00"))
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


def repo_concept_id(ref: RepoRef) -> str:
    """Node id of a repository or project page.

    Code-host repositories use :func:`kg.schema.repo_id` (``repo:github.com/owner/name``);
    other pages ``repo:<host>/<path>`` in lower case.
    """
    if ref.owner:
        return repo_id(ref.host, ref.owner, ref.name, ref.kind)
    return f"repo:{ref.host}/{ref.name}".lower().rstrip("/")


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept of the corpus: stable ``id``, canonical ``name``, ``kind`` (entity type), aliases."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MentionRecord:
    """What the canonicaliser needs to know about one mention."""

    type: str
    text: str
    confidence: float = 0.5
    canonical: str | None = None  # gazetteer name
    partner: str | None = None  # other side of an acronym definition
    in_abstract: bool = True
    own: bool = False  # the paper's own artifact, typed by the paper's own words (see own_names)


@dataclass
class _Group:
    surfaces: Counter = field(default_factory=Counter)
    abstract_surfaces: Counter = field(default_factory=Counter)
    long_surfaces: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)
    entry: GazetteerEntry | None = None


def _own_key(type_: str, key: str) -> str:
    """The key of a paper's own artifact spelled like a gazetteer entry of another type."""
    return f"\x02{type_}:{key}"


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent.setdefault(x, x)
        if parent != x:
            root = self.find(parent)
            self.parent[x] = root
            return root
        return x

    def union(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra
        return ra


class CorpusCanonicaliser:
    """The alias table of a corpus.

    Parameters
    ----------
    gazetteer : iterable of GazetteerEntry, optional
        Known concepts (default: the packaged gazetteers).
    """

    def __init__(self, gazetteer: Iterable[GazetteerEntry] | None = None) -> None:
        self.entries = tuple(gazetteer) if gazetteer is not None else load_gazetteer()
        self._entry_by_name = {e.name: e for e in self.entries}
        #: key -> every entry one of whose spellings folds to it ("sam": two entries)
        self._entries_of_key: dict[str, tuple[GazetteerEntry, ...]] = {}
        for entry in self.entries:
            for surface in entry.surfaces:
                known = self._entries_of_key.get(name_key(surface), ())
                if entry not in known:
                    self._entries_of_key[name_key(surface)] = (*known, entry)
        #: keys that denote exactly one entry
        self._entry_keys: dict[str, GazetteerEntry] = {
            key: entries[0] for key, entries in self._entries_of_key.items() if len(entries) == 1}
        #: shared keys ("sam") -> votes per entry name from mentions and definitions
        self._shared_votes: dict[str, Counter] = defaultdict(Counter)
        self._keys: dict[str, _Group] = defaultdict(_Group)
        self._pairs: dict[str, Counter] = defaultdict(Counter)  # short key -> long keys
        self._expansions: list[tuple[str, str]] = []
        self._repos: dict[str, Counter] = defaultdict(Counter)
        self._final = False
        self._uf = _UnionFind()
        self._concepts: dict[str, Concept] = {}
        self._root_type: dict[str, str] = {}

    # -- pass 1 ---------------------------------------------------------------------------------
    def observe(self, mentions: Iterable[MentionRecord],
                abbreviations: Iterable[tuple[str, str]] = ()) -> None:
        """Collect alias evidence from one paper.

        Parameters
        ----------
        mentions : iterable of MentionRecord
            The paper's typed mentions.
        abbreviations : iterable of (short, long)
            Every acronym definition of the paper, typed or not: "OOD" =
            "out-of-distribution" makes "OOD detection" an alias of
            "out-of-distribution detection".
        """
        if self._final:
            raise RuntimeError("observe() after finalise(): create a new CorpusCanonicaliser")
        mentions = list(mentions)
        local_pairs: dict[str, str] = {}
        own = self.own_names(mentions)
        for m in mentions:
            if m.type == "REPO":
                ref = url_ref(m.text)
                self._repos[ref.url.lower()][ref.url] += 1
                continue
            key = name_key(m.text)
            if not key:
                continue
            own_type = own.get(key)
            if own_type is not None:
                key = _own_key(own_type, key)
            group = self._keys[key]
            group.surfaces[m.text] += 1
            if m.in_abstract:
                group.abstract_surfaces[m.text] += 1
            group.types[own_type or m.type] += m.confidence
            if own_type is not None:
                continue  # the paper's own artifact: no gazetteer entry and no acronym join
            entry = self._entry_by_name.get(m.canonical) if m.canonical else None
            shared = self._entries_of_key.get(key, ())
            if entry is not None and len(shared) > 1:
                if entry in shared:
                    self._shared_votes[key][entry.name] += 1
            elif entry is not None and (not shared or entry in shared):
                # a mention's gazetteer name counts only if its own spelling does not belong to
                # another entry: "segment anything model" is never Sharpness-Aware Minimization
                group.entry = group.entry or entry
            if m.partner:
                pkey = name_key(m.partner)
                if pkey and pkey != key:
                    short, long = (key, pkey) if len(m.text) < len(m.partner) else (pkey, key)
                    if short not in local_pairs:
                        local_pairs[short] = long
                        self._pairs[short][long] += 1
                    if long == key:
                        group.long_surfaces[m.text] += 1
        # acronym expansion inside longer names: "OOD detection" -> "out-of-distribution detection"
        shorts = {m.text: m.partner for m in mentions if m.partner and len(m.text) < len(m.partner)}
        for short, long in abbreviations:
            shorts.setdefault(short, long)
        if shorts:
            for m in mentions:
                if m.type == "REPO" or m.partner:
                    continue
                for short, long in shorts.items():
                    if m.text == short:
                        continue  # the acronym itself: joined through the local definition only
                    expanded = _replace_word(m.text, short, long)
                    if expanded != m.text:
                        self._expansions.append((name_key(m.text), name_key(expanded)))
                        group = self._keys[name_key(expanded)]
                        group.surfaces[expanded] += 0
                        group.long_surfaces[expanded] += 0

    # -- finalise -------------------------------------------------------------------------------
    def finalise(self) -> None:
        """Join keys into concepts and choose canonical names and types."""
        uf = self._uf
        root_entry: dict[str, GazetteerEntry] = {}

        def join(a: str, b: str) -> None:
            ra, rb = uf.find(a), uf.find(b)
            if ra == rb:
                return
            ea, eb = root_entry.get(ra), root_entry.get(rb)
            if ea is not None and eb is not None and ea is not eb:
                return  # two different known concepts
            root = uf.union(ra, rb)
            if ea or eb:
                root_entry[root] = ea or eb

        for short, longs in self._pairs.items():
            shared = self._entries_of_key.get(short, ())
            for entry in shared if len(shared) > 1 else ():
                votes = sum(n for long, n in longs.items() if entry in self._entries_of_key.get(long, ()))
                if votes:
                    self._shared_votes[short][entry.name] += votes
        for key, group in self._keys.items():
            shared = self._entries_of_key.get(key, ())
            if len(shared) > 1:
                # a spelling of several entries: the corpus majority for bare uses; a mention's
                # own gazetteer name or its paper's definition decides per mention in concept()
                votes = self._shared_votes.get(key, Counter())
                group.entry = min(shared, key=lambda e: (-votes[e.name], e.name))
                for other in shared:
                    okey = f"\x01{other.type}:{other.name}"
                    uf.find(okey)
                    root_entry.setdefault(uf.find(okey), other)
            entry = group.entry or self._entry_keys.get(key)
            if entry is not None:
                group.entry = entry
                ekey = f"\x01{entry.type}:{entry.name}"
                uf.find(ekey)
                root_entry.setdefault(uf.find(ekey), entry)
                join(ekey, key)
        for short, longs in sorted(self._pairs.items()):
            total = sum(longs.values())
            long, count = max(sorted(longs.items()), key=lambda kv: kv[1])
            known = self._entries_of_key.get(short)
            if known is not None:
                # a known spelling ("SAM") is joined only to a spelling of one of its own entries;
                # another expansion stays local to its paper
                if any(entry in known for entry in self._entries_of_key.get(long, ())):
                    join(short, long)
                continue
            if count / total >= _MAJORITY:
                join(short, long)
        for a, b in self._expansions:
            join(a, b)

        members: dict[str, list[str]] = defaultdict(list)
        for key in self._keys:
            members[uf.find(key)].append(key)
        for root in root_entry:  # an entry named only through a shared spelling still has a concept
            if uf.find(root) == root:
                members.setdefault(root, [])
        for root, keys in members.items():
            self._concepts[root] = self._make_concept(keys, root_entry.get(root))
        self._final = True

    def _make_concept(self, keys: list[str], entry: GazetteerEntry | None) -> Concept:
        surfaces: Counter = Counter()
        abstract: Counter = Counter()
        longs: Counter = Counter()
        types: Counter = Counter()
        for key in keys:
            group = self._keys[key]
            surfaces.update(group.surfaces)
            abstract.update(group.abstract_surfaces)
            longs.update(group.long_surfaces)
            types.update(group.types)
            entry = entry or group.entry
        if entry is not None:
            ctype, name = entry.type, entry.name
            if entry.ambiguous and types:
                # the entry's own type unless the corpus clearly reads it otherwise
                best, score = max(sorted(types.items()), key=lambda kv: kv[1])
                if best in entry.ambiguous and score > 2 * types.get(entry.type, 0.0):
                    ctype = best
        else:
            ctype = max(sorted(types.items()), key=lambda kv: kv[1])[0] if types else "METHOD"
            pool = longs if longs else surfaces
            name = min(pool, key=lambda s: (-surfaces[s], -abstract[s], s))
        aliases = set(surfaces) | (set(entry.surfaces) if entry else set())
        aliases.discard(name)
        return Concept(concept_id(ENTITY_TYPE_TO_KIND[ctype], name), name, ctype, tuple(sorted(aliases)))

    # -- pass 2 ---------------------------------------------------------------------------------
    def concept(self, type_: str, text: str, local_pairs: dict[str, str] | None = None,
                canonical: str | None = None, own: dict[str, str] | None = None) -> Concept:
        """The concept a surface denotes.

        Parameters
        ----------
        type_ : str
            The mention's type (used for REPO and for names the corpus never saw).
        text : str
            The surface.
        local_pairs : dict, optional
            Short-form key → long-form key defined in the mention's own paper; they
            override the corpus majority.
        canonical : str, optional
            The gazetteer name the paper gave the mention; it decides a spelling
            shared by several entries ("SAM") when the paper does not define it.
        own : dict, optional
            The mention's paper's :meth:`own_names`: a spelling the paper gives its own
            artifact is that artifact, not the gazetteer entry spelled the same.
        """
        if not self._final:
            self.finalise()
        if type_ == "REPO":
            ref = url_ref(text)
            return Concept(repo_concept_id(ref), ref.url, "REPO", ())
        key = name_key(text)
        if own and key in own:
            concept = self._concepts.get(self._uf.find(_own_key(own[key], key)))
            return concept if concept is not None else self._make_unknown(own[key], text)
        if local_pairs and key in local_pairs and local_pairs[key] in self._uf.parent:
            key = local_pairs[key]
        elif canonical and len(self._entries_of_key.get(key, ())) > 1:
            entry = self._entry_by_name.get(canonical)
            if entry is not None and entry in self._entries_of_key[key]:
                key = f"\x01{entry.type}:{entry.name}"
        root = self._uf.find(key)
        concept = self._concepts.get(root)
        if concept is None:
            concept = self._make_unknown(type_, text)
        return concept

    def _make_unknown(self, type_: str, text: str) -> Concept:
        kind = ENTITY_TYPE_TO_KIND[type_]
        return Concept(concept_id(kind, text), text, type_, ())

    def knows(self, text: str) -> Concept | None:
        """The concept a name denotes if the corpus (or gazetteer) typed it somewhere, else ``None``."""
        if not self._final:
            self.finalise()
        key = name_key(text)
        if key not in self._uf.parent and key not in self._entries_of_key:
            return None
        root = self._uf.find(key)
        return self._concepts.get(root)

    @property
    def concepts(self) -> list[Concept]:
        """Every concept seen in the corpus, sorted by id."""
        if not self._final:
            self.finalise()
        seen = {c.id: c for c in self._concepts.values() if c.name}
        return [seen[k] for k in sorted(seen)]

    def own_names(self, mentions: Iterable[MentionRecord]) -> dict[str, str]:
        """Name key → type for the artifacts one paper proposes under a known name of another type.

        "Chameleon: A Data-Efficient Generalist …" proposes a model; the gazetteer's Chameleon is a
        graph dataset. A name the paper marks as its own (``MentionRecord.own``: a title prefix or
        proposal sentence typed by the paper's own descriptor) whose spelling belongs only to
        gazetteer entries of other types, none of which lists that type as ambiguous, is a new
        concept: every mention of the spelling in that paper goes to it, and other papers' bare
        mentions stay with the gazetteer entry.
        """
        own: dict[str, str] = {}
        for m in mentions:
            if not m.own or m.type == "REPO":
                continue
            key = name_key(m.text)
            entries = self._entries_of_key.get(key, ())
            if entries and not any(e.type == m.type or m.type in e.ambiguous for e in entries):
                own.setdefault(key, m.type)
        return own

    def local_pairs(self, mentions: Iterable[MentionRecord]) -> dict[str, str]:
        """Short-form key → long-form key for the acronyms one paper defines itself."""
        pairs = {}
        for m in mentions:
            if m.partner and len(m.text) < len(m.partner):
                pairs.setdefault(name_key(m.text), name_key(m.partner))
        return pairs
