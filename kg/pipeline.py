"""``kg build`` as a function: read → extract → graph → save → overview view.

:func:`build` is what the command line and :func:`kg.build` run. Every stage
is timed and counted in the :class:`BuildReport`, so the command can print a
summary and the benchmarks can print where the time goes.

Updating (``update=True``) adds new inputs to the graph saved in the output
directory. A paper already in the graph is merged with its new sighting by the
rules the readers apply to duplicates within one build (same arXiv id or DOI,
or same title without contradicting identifiers; missing fields filled in,
references united, a title id upgraded to an arXiv/DOI id); every other paper
is added. Extraction then runs over the old
and the new papers together, because concept names are canonicalised across
the whole corpus (an acronym defined in a new abstract can name a concept an
old abstract used): the updated graph is the graph a fresh build of all the
papers would give, and the report says what that added — and, should a new
paper's alias have merged two old concepts, what it changed or removed.
Updating with nothing new rewrites nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.gc_tuning import fewer_gc_passes
from kg.graph.citations import METADATA
from kg.graph.compact import CompactGraph
from kg.graph.compare import GraphDiff, diff_saved
from kg.graph.persistence import GraphFileError, iter_saved, load_graph, read_manifest
from kg.records import Paper
from kg.schema import Label, Rel

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.sources import ReadReport

__all__ = [
    "BuildError", "BuildReport", "BuildResult", "Progress", "build", "build_read", "papers_from_graph",
    "papers_from_saved",
]

#: Called as ``progress(stage, done, total)``: stage is ``"read"`` (files), ``"extract"``
#: (papers), ``"graph"``, ``"save"`` or ``"view"``; *total* is ``None`` when unknown.
Progress = Callable[[str, int, int | None], None]

OVERVIEW_FILE = "overview.html"
_ID_PREFIXES = ("arxiv:", "doi:", "title:")


class BuildError(RuntimeError):
    """A build that cannot produce a graph (no readable paper, unusable existing graph)."""


@dataclass(slots=True)
class BuildReport:
    """What a build read, extracted, wrote and how long each stage took.

    Attributes
    ----------
    read : ReadReport
        The reading report of the inputs of this run (files, raw records,
        duplicates merged, skipped records with ``file:line``).
    updated : bool
        True when new inputs were added to an existing graph.
    papers_total, papers_new, papers_already_present, papers_enriched : int
        Papers in the graph; papers of the inputs added by this run; papers of
        the inputs already in the graph, and how many of those the inputs told
        something new (an arXiv id, DOI, year, authors, references), exactly
        as a duplicate within one build is merged (update only; 0 otherwise).
    nodes, concepts_by_kind, edges : dict
        Counts per label, per concept kind and per relationship type.
    diff : GraphDiff or None
        Update only: the difference from the previous graph.
    seconds, cpu_seconds : dict
        Wall-clock and CPU (user + system, this process) seconds per stage
        (``read``, ``load``, ``extract``, ``graph``, ``save``, ``view``); CPU
        time tells the cost of a stage on a machine shared with other work.
    inputs : list of str
        Every input the graph was built from (previous ones first on update).
    warnings : list of str
        Things that did not stop the build (e.g. the overview view failed).
    """

    read: ReadReport
    updated: bool = False
    papers_total: int = 0
    papers_new: int = 0
    papers_already_present: int = 0
    papers_enriched: int = 0
    nodes: dict[str, int] = field(default_factory=dict)
    concepts_by_kind: dict[str, int] = field(default_factory=dict)
    edges: dict[str, int] = field(default_factory=dict)
    diff: GraphDiff | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """False only for an update that found nothing new (and wrote nothing)."""
        return not self.updated or self.diff is None or not self.diff.empty


@dataclass(slots=True)
class BuildResult:
    """The graph, the report and the files written (``graph``, ``manifest``, ``overview``).

    ``graph`` is ``None`` when the build was asked not to keep it (``keep_graph=False``).
    """

    graph: nx.MultiDiGraph | None
    report: BuildReport
    paths: dict[str, Path]


class _StageTimer:
    """Wall-clock and CPU time since creation, recorded into a report under a stage name."""

    def __init__(self) -> None:
        self._wall = time.perf_counter()
        self._cpu = time.process_time()

    def record(self, report: BuildReport, stage: str) -> None:
        report.seconds[stage] = time.perf_counter() - self._wall
        report.cpu_seconds[stage] = time.process_time() - self._cpu


def papers_from_graph(graph: nx.MultiDiGraph) -> list[Paper]:
    """Rebuild the paper records a graph was made from, sorted by id.

    References come back as ids: the metadata CITES targets plus the
    unresolved references that are ids (``arxiv:``/``doi:``/``title:``), so a
    rebuild resolves the same citations — and new papers can resolve
    references that were dangling before.
    """
    nodes = ((node, data) for node, data in graph.nodes(data=True) if data.get("label") == Label.PAPER.value)
    cites = (
        (source, target) for source, target, key, how in graph.edges(keys=True, data="source")
        if key == Rel.CITES.value and how == METADATA
    )
    return _papers(nodes, cites)


def papers_from_saved(directory: str | os.PathLike[str]) -> list[Paper]:
    """:func:`papers_from_graph` for a saved graph, streamed from its file without loading the graph."""
    nodes: list[tuple[str, dict[str, Any]]] = []
    cites: list[tuple[str, str]] = []
    for kind, key, attrs in iter_saved(directory):
        if kind == "node" and attrs.get("label") == Label.PAPER.value:
            nodes.append((key, attrs))
        elif kind == "edge" and key[2] == Rel.CITES.value and attrs.get("source") == METADATA:
            cites.append((key[0], key[1]))
    return _papers(nodes, cites)


def _papers(nodes: Iterable[tuple[str, dict[str, Any]]], cites: Iterable[tuple[str, str]]) -> list[Paper]:
    cited: dict[str, list[str]] = {}
    for source, target in cites:
        cited.setdefault(source, []).append(target)
    papers = []
    for node, data in sorted(nodes, key=lambda item: item[0]):
        dangling = [ref for ref in data.get("unresolved_refs") or [] if ref.startswith(_ID_PREFIXES)]
        papers.append(
            Paper(
                id=node,
                title=data.get("title") or "",
                abstract=data.get("abstract") or "",
                year=data.get("year"),
                authors=tuple(data.get("authors") or ()),
                url=data.get("url"),
                arxiv_id=data.get("arxiv_id"),
                doi=data.get("doi"),
                references=tuple(dict.fromkeys([*dangling, *sorted(cited.get(node, ()))])),
                source=data.get("source") or "",
            )
        )
    return papers


def _render_overview(graph: nx.MultiDiGraph | CompactGraph, path: Path, report: BuildReport) -> Path | None:
    """Call ``kg.views.render_overview`` when the views are installed; never fail the build.

    A :class:`~kg.graph.compact.CompactGraph` draws the same page from the shown nodes' neighbourhood.
    """
    if importlib.util.find_spec("kg.views") is None:
        return None
    render = getattr(importlib.import_module("kg.views"), "render_overview", None)
    if render is None:
        return None
    try:
        if isinstance(graph, CompactGraph):
            graph.render_overview(path)
        else:
            render(graph, path)
    except Exception as exc:  # the graph is saved; a view problem must not lose it
        report.warnings.append(f"overview view not written: {exc}")
        return None
    return path


def _count(graph: nx.MultiDiGraph | CompactGraph, report: BuildReport) -> None:
    if isinstance(graph, CompactGraph):
        nodes, edges = graph.counts()
        report.papers_total = len(graph.papers)
        report.nodes = dict(sorted(nodes.items()))
        report.concepts_by_kind = dict(sorted(graph.concept_kinds().items()))
        report.edges = dict(sorted(edges.items()))
        return
    report.papers_total = sum(1 for _, label in graph.nodes(data="label") if label == Label.PAPER.value)
    report.nodes = dict(sorted(Counter(str(label) for _, label in graph.nodes(data="label")).items()))
    concepts = (data for _, data in graph.nodes(data=True) if data.get("label") == Label.CONCEPT.value)
    kinds = Counter(str(data.get("kind")) for data in concepts)
    report.concepts_by_kind = dict(sorted(kinds.items()))
    report.edges = dict(sorted(Counter(str(key) for *_, key in graph.edges(keys=True)).items()))


@fewer_gc_passes()
def build(
    inputs: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str] = "kg-out",
    *,
    update: bool = False,
    progress: Progress | None = None,
    nlp: Language | None = None,
    overview: bool = True,
    jobs: int | None = None,
    keep_graph: bool = True,
) -> BuildResult:
    """Read *inputs*, extract concepts, build the graph and save it in *out_dir*.

    Parameters
    ----------
    inputs : iterable of path
        Paper files or directories (any format :func:`kg.sources.read_papers` reads).
    out_dir : path, default "kg-out"
        The graph directory (``graph.json``, ``manifest.json``, ``overview.html``).
    update : bool, default False
        Add the inputs to the graph already in *out_dir* instead of replacing
        it (see the module docstring). Without an existing graph this is a
        fresh build.
    progress : callable, optional
        See :data:`Progress`.
    nlp : spacy.Language, optional
        The extraction pipeline (default: :func:`extractors.make_pipeline`).
    overview : bool, default True
        Write ``overview.html`` when the views are available.
    jobs : int, optional
        Processes for extraction; by default as many as pay for the corpus
        size and the CPUs (:func:`extractors.workers.auto_processes`: one per
        2,000 papers, at most one per CPU). The graph is the same for any value.
    keep_graph : bool, default True
        Return the graph as a :class:`networkx.MultiDiGraph`. Without it (what
        ``kg build`` does) the graph is only written: it is built as compact
        rows (:class:`kg.graph.compact.CompactGraph`), saved and drawn from
        those — the same files, in a fraction of the memory — and
        :attr:`BuildResult.graph` is ``None``. An update always keeps it.

    Returns
    -------
    BuildResult
        The graph (equal to what :func:`kg.load_graph` gives back; ``None``
        with ``keep_graph=False``), the report and the paths written.

    Raises
    ------
    BuildError
        When no paper could be read from the inputs (and there is no graph to
        update), or the graph to update cannot be loaded.
    """
    from kg.sources import expand_paths, read_papers

    out = Path(out_dir)
    inputs = [str(path) for path in inputs]
    timer = _StageTimer()

    files = expand_paths(inputs)
    done = 0

    def on_file(_: object) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress("read", done, len(files))

    read = read_papers(files, on_file=on_file)
    report = BuildReport(read=read, inputs=list(inputs))
    timer.record(report, "read")

    if update and (out / "manifest.json").exists():
        timer = _StageTimer()
        try:
            previous_inputs = read_manifest(out).get("inputs") or []
            old_papers = papers_from_saved(out)
        except GraphFileError as exc:
            raise BuildError(f"cannot update the graph in {out}: {exc}") from exc
        report.updated = True
        report.inputs = list(dict.fromkeys([*previous_inputs, *inputs]))
        papers, report.papers_new = _merge_into(old_papers, read.papers)
        report.papers_already_present = len(read.papers) - report.papers_new
        report.papers_enriched = len(set(papers) - set(old_papers)) - report.papers_new
        timer.record(report, "load")
        if set(papers) == set(old_papers):
            old = load_graph(out)
            report.diff = GraphDiff()
            _count(old, report)
            return BuildResult(old, report, {"graph": out / "graph.json", "manifest": out / "manifest.json"})
        # Neither the old graph nor its diff is held in memory: both are streamed from the saved file.
    else:
        papers = list(read.papers)
    if not papers:
        raise BuildError("no papers could be read from the inputs")
    if not report.updated:
        report.papers_new = len(papers)
    return _extract_and_write(
        papers, out, report, progress=progress, nlp=nlp, overview=overview, jobs=jobs, keep_graph=keep_graph,
    )


@fewer_gc_passes()
def build_read(
    read: ReadReport,
    out_dir: str | os.PathLike[str] = "kg-out",
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    progress: Progress | None = None,
    nlp: Language | None = None,
    overview: bool = True,
    jobs: int | None = None,
    keep_graph: bool = True,
) -> BuildResult:
    """Build and save the graph of papers already read: :func:`build` after its read stage.

    For callers that read the inputs themselves (the benchmark suite times
    reading apart and tokenises the same papers before the build); the graph
    and files are exactly those :func:`build` writes for the same papers.

    Parameters
    ----------
    read : ReadReport
        What :func:`kg.sources.read_papers` returned.
    out_dir : path, default "kg-out"
        The graph directory, replaced as by a fresh :func:`build`.
    inputs : iterable of path
        The inputs *read* came from, recorded in the manifest.
    progress, nlp, overview, jobs, keep_graph
        As for :func:`build`.

    Returns
    -------
    BuildResult
        As :func:`build` returns it (no ``read`` stage time in the report).

    Raises
    ------
    BuildError
        When *read* holds no paper.
    """
    papers = list(read.papers)
    if not papers:
        raise BuildError("no papers could be read from the inputs")
    report = BuildReport(read=read, inputs=[str(path) for path in inputs], papers_new=len(papers))
    return _extract_and_write(
        papers, Path(out_dir), report, progress=progress, nlp=nlp, overview=overview, jobs=jobs,
        keep_graph=keep_graph,
    )


def _extract_and_write(
    papers: list[Paper],
    out: Path,
    report: BuildReport,
    *,
    progress: Progress | None,
    nlp: Language | None,
    overview: bool,
    jobs: int | None,
    keep_graph: bool,
) -> BuildResult:
    """The stages after reading: extract, graph, save and the overview, recorded in *report*."""
    from extractors.streaming import SpilledExtraction  # spaCy loads only when a build runs

    timer = _StageTimer()
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress("extract", done, len(papers))

    extraction = SpilledExtraction(papers, nlp, n_process=jobs, progress=advance)
    try:
        extraction.first_pass()
        timer.record(report, "extract")

        timer = _StageTimer()
        if progress is not None:
            progress("graph", 0, None)
        compact = CompactGraph.build(papers, extraction)  # the second extraction pass runs in here
    finally:
        extraction.close()
    del extraction
    graph = compact.to_networkx() if keep_graph or report.updated else None
    if graph is not None and report.updated:
        report.diff = diff_saved(out, graph)
    _count(compact, report)
    timer.record(report, "graph")

    timer = _StageTimer()
    if progress is not None:
        progress("save", 0, None)
    paths = compact.save(out, inputs=report.inputs)
    timer.record(report, "save")

    if overview:
        timer = _StageTimer()
        if progress is not None:
            progress("view", 0, None)
        view = _render_overview(graph if graph is not None else compact, out / OVERVIEW_FILE, report)
        if view is not None:
            paths["overview"] = view
        timer.record(report, "view")
    return BuildResult(graph, report, paths)


def _merge_into(old: list[Paper], new: list[Paper]) -> tuple[list[Paper], int]:
    """Merge *new* papers into *old* by the readers' rules; return (all papers, how many were new).

    :class:`kg.sources.dedup.PaperSet` decides, exactly as it does for
    duplicates within one build: same arXiv id or DOI, or same title without
    contradicting identifiers, is the same paper; references are rewritten to
    the final ids.
    """
    from kg.sources.base import Sighting
    from kg.sources.dedup import PaperSet

    merged = PaperSet()
    for paper in old:
        merged.add(Sighting(paper))
    added = sum(1 for paper in new if not merged.add(Sighting(paper)))
    return merged.papers(), added
