"""Pass 1 of corpus extraction — the spaCy pipeline over every paper — in one or several processes.

What pass 1 keeps of a document is small (its concept mentions, the distinctive
names it could not type, its acronym definitions: a :data:`DocFindings`), while
running the pipeline costs about a millisecond per abstract. So for a large
corpus it pays to run the pipeline in worker processes and send back only the
findings — unlike ``nlp.pipe(n_process=…)``, which sends whole ``Doc`` objects
back and is slower than one process for a cheap pipeline.

Workers are forked from the calling process, so they run the very pipeline
object the caller passed (custom components included) without pickling it. The
findings are identical to a single-process run and come back in input order.
Where ``fork`` is not available, extraction stays in one process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from extractors.components import findings_only
from extractors.resolve import ConceptMention

__all__ = ["MIN_PAPERS_PER_PROCESS", "DocFindings", "auto_processes", "findings_of", "iter_findings"]

#: (concept mentions, unresolved distinctive names, acronym definitions as (short, long)) of one text.
DocFindings = tuple[list[ConceptMention], list[ConceptMention], list[tuple[str, str]]]
#: Below this many papers per extra process, forking a worker does not pay for itself.
MIN_PAPERS_PER_PROCESS = 2_000
#: Texts per task sent to a worker.
CHUNK_SIZE = 500

_WORKER_NLP: list[Language] = []  # the pipeline workers inherit from the parent at fork time


def findings_of(doc: Doc) -> DocFindings:
    """What pass 1 keeps of a processed ``Doc``."""
    ext = doc._
    abbreviations = [(a.short, a.long) for a in ext.abbreviations or []]
    return ext.concepts or [], ext.unresolved_names or [], abbreviations


def auto_processes(n_texts: int, cpus: int | None = None) -> int:
    """How many processes pay for *n_texts* texts: one per :data:`MIN_PAPERS_PER_PROCESS` texts,
    at most one per CPU this process may use, at least one."""
    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, n_texts // MIN_PAPERS_PER_PROCESS))


def iter_findings(
    texts: Iterable[str],
    nlp: Language,
    n_process: int = 1,
    batch_size: int = 256,
    progress: Callable[[int], None] | None = None,
) -> Iterator[DocFindings]:
    """The :data:`DocFindings` of every text, in input order (texts are read as needed).

    Parameters
    ----------
    texts : iterable of str
        Document texts (:func:`extractors.paper_text`).
    nlp : spacy.Language
        A pipeline ending in ``paper_concepts``.
    n_process : int
        Processes to use; 1 runs ``nlp.pipe`` here. More are used only where
        ``fork`` is available.
    batch_size : int
        ``nlp.pipe`` batch size (in each process).
    progress : callable, optional
        Called with the number of texts just finished.
    """
    if n_process <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for doc in nlp.pipe(_marked_docs(nlp, texts), batch_size=batch_size):
            if progress is not None:
                progress(1)
            yield findings_of(doc)
        return
    yield from _in_workers(texts, nlp, n_process, batch_size, progress)


def _marked_docs(nlp: Language, texts: Iterable[str]) -> Iterator[Doc]:
    """The tokenized *texts*, each marked :func:`~extractors.components.findings_only`."""
    make_doc = nlp.make_doc
    for text in texts:
        yield findings_only(make_doc(text))


def _chunks(texts: Iterable[str]) -> Iterator[list[str]]:
    iterator = iter(texts)
    while chunk := list(islice(iterator, CHUNK_SIZE)):
        yield chunk


def _in_workers(texts: Iterable[str], nlp: Language, n_process: int, batch_size: int,
                progress: Callable[[int], None] | None) -> Iterator[DocFindings]:
    """Chunks of texts go to forked workers, at most two per worker in flight (so neither the texts
    nor the findings of the whole corpus are queued at once); results are yielded in order."""
    _WORKER_NLP[:] = [nlp]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=n_process, mp_context=context) as pool:
            pending: deque[Future[list[DocFindings]]] = deque()
            try:
                for chunk in _chunks(texts):
                    pending.append(pool.submit(_run_chunk, chunk, batch_size))
                    if len(pending) >= 2 * n_process:
                        yield from _finished(pending.popleft(), progress)
                while pending:
                    yield from _finished(pending.popleft(), progress)
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        _WORKER_NLP.clear()


def _finished(future: Future[list[DocFindings]], progress: Callable[[int], None] | None) -> list[DocFindings]:
    findings = future.result()
    if progress is not None:
        progress(len(findings))
    return findings


def _run_chunk(texts: list[str], batch_size: int) -> list[DocFindings]:
    """In a worker: run the inherited pipeline over *texts*."""
    nlp = _WORKER_NLP[0]
    return [findings_of(doc) for doc in nlp.pipe(_marked_docs(nlp, texts), batch_size=batch_size)]
