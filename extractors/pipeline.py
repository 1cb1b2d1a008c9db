"""Public entry points: build the pipeline, extract a corpus, extract one paper."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import spacy
from spacy.language import Language

from extractors import components as _components  # noqa: F401  (registers the factories)
from extractors.canonical import CorpusCanonicaliser, MentionRecord
from extractors.components import TITLE_SEPARATOR, TextKeepingTokenizer
from extractors.resolve import ConceptMention
from extractors.types import Entity, Mention, PaperConcepts
from extractors.workers import auto_processes, iter_findings
from kg.gc_tuning import fewer_gc_passes

__all__ = [
    "COMPONENTS",
    "DEFAULT_BATCH_SIZE",
    "PaperLike",
    "extract_corpus",
    "extract_text",
    "make_pipeline",
    "paper_text",
]

#: The components of :func:`make_pipeline`, in order.
COMPONENTS = (
    "paper_sentences", "paper_gazetteer", "paper_name_shapes", "paper_abbreviations", "paper_cue_phrases",
    "paper_urls", "paper_concepts",
)
DEFAULT_BATCH_SIZE = 256
#: Confidence of a mention typed only by another paper of the corpus.
CORPUS_CONFIDENCE = 0.6


class PaperLike(Protocol):
    """Anything with ``id``, ``title`` and ``abstract`` (e.g. :class:`kg.records.Paper`)."""

    id: str
    title: str
    abstract: str


def make_pipeline(*, gazetteer_paths: Sequence[str] | None = None, generic_path: str | None = None,
                  base: str = "en") -> Language:
    """Build the extraction pipeline on a blank spaCy language (offline, no model download).

    Parameters
    ----------
    gazetteer_paths : sequence of str, optional
        ``*.jsonl`` gazetteer files replacing the packaged ones.
    generic_path : str, optional
        A generic-phrase stop-list replacing the packaged one.
    base : str
        Language code for :func:`spacy.blank`.

    Returns
    -------
    spacy.Language
        With the components listed in :data:`COMPONENTS`. Feed it
        :func:`paper_text` strings (title, blank line, abstract).
    """
    nlp = spacy.blank(base)
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    gaz = {"gazetteer_paths": list(gazetteer_paths) if gazetteer_paths else None}
    nlp.add_pipe("paper_sentences")
    nlp.add_pipe("paper_gazetteer", config=gaz)
    nlp.add_pipe("paper_name_shapes", config=gaz)
    nlp.add_pipe("paper_abbreviations")
    nlp.add_pipe("paper_cue_phrases", config=gaz)
    nlp.add_pipe("paper_urls")
    nlp.add_pipe("paper_concepts", config={**gaz, "generic_path": generic_path})
    return nlp


def paper_text(title: str, abstract: str) -> str:
    """The document text for one paper: title, a blank line, abstract.

    Line breaks inside the title are folded to spaces so the first blank line
    always ends it.
    """
    return f"{' '.join((title or '').split())}{TITLE_SEPARATOR}{(abstract or '').strip()}"


@dataclass(slots=True)
class _DocResult:
    """The per-paper output of pass 1, free of spaCy objects."""

    id: str
    title: str
    title_len: int
    mentions: list[ConceptMention]
    unresolved: list[ConceptMention]
    abbreviations: list[tuple[str, str]]


#: Rules whose PROPOSES mentions can make a name the paper's own artifact (see ``own_names``), at
#: the confidence they give a name typed by the paper's own descriptor ("a generalist", "a benchmark").
_OWN_RULES, _OWN_CONFIDENCE = frozenset({"title", "propose"}), 0.9


def _records(mentions: Iterable[ConceptMention], title_len: int) -> list[MentionRecord]:
    return [
        MentionRecord(m.type or "METHOD", m.text, m.confidence, m.canonical, m.partner, m.start > title_len,
                      m.role == "PROPOSES" and m.rule in _OWN_RULES and m.confidence >= _OWN_CONFIDENCE)
        for m in mentions
    ]


def extract_corpus(
    papers: Iterable[PaperLike],
    nlp: Language | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    canonicaliser: CorpusCanonicaliser | None = None,
    progress: Callable[[int], None] | None = None,
    n_process: int | None = 1,
) -> list[PaperConcepts]:
    """Extract the concepts of every paper, with aliases merged across the whole corpus.

    Two passes: the pipeline runs over all papers (``nlp.pipe``), collecting
    mentions and acronym definitions; then the canonicaliser joins aliases
    corpus-wide and every paper's mentions are grouped into one
    :class:`~extractors.types.Entity` per concept.

    Parameters
    ----------
    papers : iterable of PaperLike
        Objects with ``.id``, ``.title`` and ``.abstract``.
    nlp : spacy.Language, optional
        A pipeline ending in ``paper_concepts`` (default: one :func:`make_pipeline`
        pipeline, built on first use and kept for the process).
    batch_size : int
        ``nlp.pipe`` batch size.
    canonicaliser : CorpusCanonicaliser, optional
        A fresh alias table to fill (default: a new one); pass one to reuse
        its concepts afterwards (e.g. to build graph nodes).
    progress : callable, optional
        Called with the number of papers just processed (for progress bars).
    n_process : int or None, default 1
        Processes for the first pass (see :mod:`extractors.workers`); ``None``
        chooses by corpus size and CPUs (:func:`~extractors.workers.auto_processes`).
        The result is the same for any value.

    Returns
    -------
    list of PaperConcepts
        In input order.
    """
    with fewer_gc_passes():
        return _extract_corpus(papers, nlp or _default_nlp(), batch_size, canonicaliser, progress, n_process)


def _extract_corpus(
    papers: Iterable[PaperLike],
    nlp: Language,
    batch_size: int,
    canonicaliser: CorpusCanonicaliser | None,
    progress: Callable[[int], None] | None,
    n_process: int | None,
) -> list[PaperConcepts]:
    canon = canonicaliser or CorpusCanonicaliser()
    papers = list(papers)
    texts = (paper_text(p.title, p.abstract) for p in papers)
    processes = auto_processes(len(papers)) if n_process is None else n_process
    results: list[_DocResult] = []
    findings = iter_findings(texts, nlp, processes, batch_size, progress)
    for paper, (mentions, unresolved, abbreviations) in zip(papers, findings, strict=True):
        title = " ".join((paper.title or "").split())
        results.append(_DocResult(paper.id, title, len(title), mentions, unresolved, abbreviations))
    for res in results:
        canon.observe(_records(res.mentions, res.title_len), res.abbreviations)
    canon.finalise()
    # each paper's pass-1 data is dropped once grouped: the two never all exist at once
    out = []
    for index, res in enumerate(results):
        results[index] = None  # type: ignore[call-overload]
        out.append(_paper_concepts(res, canon))
    return out


def _to_mention(m: ConceptMention, type_: str, title_len: int) -> Mention:
    if m.start < title_len:
        field, start, end = "title", m.start, m.end
    else:
        offset = title_len + len(TITLE_SEPARATOR)
        field, start, end = "abstract", m.start - offset, m.end - offset
    return Mention(type_, m.text, start, end, field, m.sentence, m.rule, m.confidence)


def _paper_concepts(res: _DocResult, canon: CorpusCanonicaliser) -> PaperConcepts:
    records = _records(res.mentions, res.title_len)
    local = canon.local_pairs(records)
    own = canon.own_names(records)
    grouped: dict[str, tuple[object, list[tuple[ConceptMention, Mention]]]] = {}
    for m in res.mentions:
        concept = canon.concept(m.type or "METHOD", m.text, local, m.canonical, own)
        mention = _to_mention(m, concept.kind, res.title_len)
        grouped.setdefault(concept.id, (concept, []))[1].append((m, mention))
    for m in res.unresolved:  # typed by another paper of the corpus
        known = canon.knows(m.text)
        if known is None:
            continue
        mention = _to_mention(m, known.kind, res.title_len)
        mention.rule, mention.confidence = "corpus", CORPUS_CONFIDENCE
        grouped.setdefault(known.id, (known, []))[1].append((m, mention))
    entities = []
    for concept, pairs in grouped.values():
        pairs.sort(key=lambda p: (p[1].field != "title", p[1].start))
        _best_raw, best = max(pairs, key=lambda p: (p[1].confidence, p[1].field == "title", -p[1].start))
        role = "PROPOSES" if any(raw.role == "PROPOSES" for raw, _ in pairs) else "USES"
        entities.append(Entity(
            type=concept.kind, name=concept.name, concept_id=concept.id, aliases=list(concept.aliases),
            text=best.text, start=best.start, end=best.end, field=best.field, sentence=best.sentence,
            rule=best.rule, confidence=best.confidence, role=role, mentions=[p[1] for p in pairs],
        ))
    _propagate_proposals(entities)
    entities.sort(key=lambda e: (e.mentions[0].field != "title", e.mentions[0].start, e.name))
    return PaperConcepts(res.id, res.title, entities)


def _propagate_proposals(entities: list[Entity]) -> None:
    """Variants of a proposed name are proposed too: "URSA" proposed → "URSA-7B", "URSA-RM-7B"."""
    proposed = {m.text for e in entities if e.role == "PROPOSES" and e.type != "REPO" for m in e.mentions}
    proposed = {p for p in proposed if len(p) >= 3}
    if not proposed:
        return
    for entity in entities:
        if entity.role == "USES" and entity.type in ("MODEL", "DATASET", "METHOD") and any(
                m.text.startswith(f"{p}-") for m in entity.mentions for p in proposed):
            entity.role = "PROPOSES"


@dataclass(frozen=True, slots=True)
class _Paper:
    id: str
    title: str
    abstract: str


def extract_text(title: str, abstract: str, nlp: Language | None = None, paper_id: str = "") -> PaperConcepts:
    """Extract the concepts of one paper (aliases merged within the paper only).

    Parameters
    ----------
    title, abstract : str
    nlp : spacy.Language, optional
        Default: a pipeline from :func:`make_pipeline` (built once and cached).
    paper_id : str
        Copied into the result.
    """
    return extract_corpus([_Paper(paper_id, title, abstract)], nlp or _default_nlp())[0]


_DEFAULT_NLP: list[Language] = []


def _default_nlp() -> Language:
    if not _DEFAULT_NLP:
        _DEFAULT_NLP.append(make_pipeline())
    return _DEFAULT_NLP[0]
