"""Corpus extraction for corpora too large to hold: two passes, the first one spilled to disk.

:func:`extractors.extract_corpus` returns every paper's concepts in one list,
after holding every paper's first-pass findings in another; at a million
abstracts the two are most of a build's memory. :class:`SpilledExtraction`
runs the same two passes with the same per-paper steps, but writes each
paper's first-pass findings to an unlinked temporary file as they come and
reads them back one paper at a time in the second pass, so a consumer that
handles each paper's concepts and lets go of them (the graph builder) holds
only the alias table and one paper at a time.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType

from spacy.language import Language

from extractors.canonical import CorpusCanonicaliser
from extractors.pipeline import (
    DEFAULT_BATCH_SIZE,
    PaperLike,
    _default_nlp,
    _DocResult,
    _paper_concepts,
    _records,
    paper_text,
)
from extractors.types import PaperConcepts
from extractors.workers import auto_processes, iter_findings

__all__ = ["SpilledExtraction"]


class SpilledExtraction:
    """The concepts of a corpus, extracted in two passes with the first pass spilled to a temporary file.

    Iterating yields each paper's :class:`~extractors.types.PaperConcepts`, in
    input order: the very objects :func:`extractors.extract_corpus` returns for
    the same papers and pipeline (a test compares them), so a graph built from
    either is the same.

    Parameters
    ----------
    papers : sequence of PaperLike
        Objects with ``.id``, ``.title`` and ``.abstract``; read in both passes.
    nlp : spacy.Language, optional
        A pipeline ending in ``paper_concepts`` (default: the process's
        :func:`~extractors.make_pipeline` pipeline).
    n_process : int or None, default None
        Processes for the first pass (:mod:`extractors.workers`); ``None``
        chooses by corpus size and CPUs. The result is the same for any value.
    batch_size : int
        ``nlp.pipe`` batch size.
    progress : callable, optional
        Called with the number of papers just processed by the first pass.

    Examples
    --------
    >>> with SpilledExtraction(papers) as extraction:  # doctest: +SKIP
    ...     extraction.first_pass()
    ...     for concepts in extraction:
    ...         handle(concepts)
    """

    def __init__(
        self,
        papers: Sequence[PaperLike],
        nlp: Language | None = None,
        *,
        n_process: int | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self._papers = papers
        self._nlp = nlp
        self._n_process = n_process
        self._batch_size = batch_size
        self._progress = progress
        self._canon: CorpusCanonicaliser | None = None
        self._spill = tempfile.TemporaryFile(prefix="kg-extract-", suffix=".pickle")  # noqa: SIM115 (see close)

    def first_pass(self) -> None:
        """Run the pipeline over every paper, collect the corpus's alias evidence, spill the findings."""
        papers = self._papers
        canon = CorpusCanonicaliser()
        texts = (paper_text(paper.title, paper.abstract) for paper in papers)
        processes = auto_processes(len(papers)) if self._n_process is None else self._n_process
        nlp = self._nlp or _default_nlp()
        findings = iter_findings(texts, nlp, processes, self._batch_size, self._progress)
        dump, spill = pickle.dump, self._spill
        for paper, (mentions, unresolved, abbreviations) in zip(papers, findings, strict=True):
            title = " ".join((paper.title or "").split())
            result = _DocResult(paper.id, title, len(title), mentions, unresolved, abbreviations)
            canon.observe(_records(result.mentions, result.title_len), result.abbreviations)
            dump(result, spill, pickle.HIGHEST_PROTOCOL)
        canon.finalise()
        self._canon = canon

    def __iter__(self) -> Iterator[PaperConcepts]:
        """The second pass: each paper's concepts under the corpus-wide names; closes when done.

        Raises
        ------
        RuntimeError
            When :meth:`first_pass` has not run (or the extraction was closed).
        """
        canon, spill = self._canon, self._spill
        if canon is None:
            raise RuntimeError("first_pass() must run before the concepts are read")
        try:
            spill.seek(0)
            load = pickle.load
            for _ in range(len(self._papers)):
                yield _paper_concepts(load(spill), canon)
        finally:
            self.close()

    def close(self) -> None:
        """Delete the spilled findings and drop the alias table."""
        self._canon = None
        self._spill.close()

    def __enter__(self) -> SpilledExtraction:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
