"""spaCy components that find datasets, models, methods, tasks and code repos in paper text.

Public API
----------
:func:`make_pipeline`
    a blank-English spaCy pipeline with the ``paper_*`` components.
:func:`extract_corpus`
    run it over many papers, merging aliases across the corpus.
:class:`SpilledExtraction`
    the same over corpora too large to hold: the first pass spilled to disk,
    the second yielding one paper at a time.
:func:`extract_text`
    one paper.
:class:`CorpusCanonicaliser`, :class:`Concept`, :func:`name_key`
    the alias table (reusable by a graph builder).
:class:`Entity`, :class:`Mention`, :class:`PaperConcepts`
    the results.

Importing the package registers the spaCy factories (``paper_concepts`` …),
so ``nlp.add_pipe("paper_concepts")`` works in any pipeline after ``import extractors``.
"""

from __future__ import annotations

from extractors.abbreviations import AbbreviationPair, find_abbreviations
from extractors.canonical import Concept, CorpusCanonicaliser, MentionRecord, name_key
from extractors.gazetteer import GazetteerEntry, load_gazetteer, load_generic_phrases
from extractors.pipeline import COMPONENTS, extract_corpus, extract_text, make_pipeline, paper_text
from extractors.resolve import ConceptMention
from extractors.streaming import SpilledExtraction
from extractors.types import Entity, Mention, PaperConcepts

__all__ = [
    "COMPONENTS",
    "AbbreviationPair",
    "Concept",
    "ConceptMention",
    "CorpusCanonicaliser",
    "Entity",
    "GazetteerEntry",
    "Mention",
    "MentionRecord",
    "PaperConcepts",
    "SpilledExtraction",
    "extract_corpus",
    "extract_text",
    "find_abbreviations",
    "load_gazetteer",
    "load_generic_phrases",
    "make_pipeline",
    "name_key",
    "paper_text",
]
