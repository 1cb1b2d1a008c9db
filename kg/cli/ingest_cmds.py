"""``kg stats`` and ``kg build``: read the inputs and report what was read, merged and skipped.

:func:`read_inputs` (reading with a progress bar) and :func:`print_read_report`
are the reusable halves: ``kg build`` calls both before doing its own work.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ClassVar

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from kg.cli.app import JobsOption, app, console, default_graph_dir, fail, out
from kg.sources import FileResult, ReadReport, expand_paths, read_papers

if TYPE_CHECKING:
    from kg.pipeline import BuildResult

__all__ = ["ReportFormat", "print_read_report", "read_inputs"]

#: How many skipped records the table output lists before summarising the rest.
DEFAULT_SHOWN_SKIPPED = 20


class ReportFormat(StrEnum):
    """Output format of the reading report."""

    table = "table"
    json = "json"


InputsArgument = Annotated[
    list[Path],
    typer.Argument(
        help="Paper files (.txt/.md listing copies, .jsonl/.ndjson, .csv/.tsv, .bib) or directories of them.",
        metavar="INPUT",
        show_default=False,
    ),
]
FormatOption = Annotated[
    ReportFormat,
    typer.Option("--format", "-f", help="table for people, json for scripts (everything on stdout)."),
]
ShowSkippedOption = Annotated[
    int,
    typer.Option("--show-skipped", min=0, help="How many skipped records the table lists (json lists all)."),
]


def read_inputs(inputs: list[Path]) -> ReadReport:
    """Read *inputs* with :func:`kg.sources.read_papers`, showing a progress bar on a terminal.

    The bar counts files and, inside a large file, records; it goes to stderr
    and only appears when stderr is a terminal, so piped and captured output
    stays clean.
    """
    if not console.is_terminal:
        return read_papers(inputs)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files, {task.fields[records]:,} records"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("Reading papers", total=len(expand_paths(inputs)), records=0)

        def file_done(result: FileResult) -> None:
            progress.update(task, advance=1, description=f"Read {Path(result.path).name}")

        def records_read(count: int) -> None:
            progress.update(task, records=count)

        return read_papers(inputs, on_file=file_done, on_records=records_read)


def _summary_table(report: ReadReport) -> Table:
    table = Table(title="Papers read", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("files read", str(report.files_read))
    if len(report.files) != report.files_read:
        table.add_row("files not read", str(len(report.files) - report.files_read))
    table.add_row("raw records", str(report.raw_count))
    table.add_row("distinct papers", str(len(report.papers)))
    table.add_row("duplicates merged", str(report.duplicates_merged))
    table.add_row("skipped records", str(len(report.skipped)))
    return table


def _files_table(report: ReadReport) -> Table:
    """One row per file; why a file gave nothing is in the skipped list (a row without a line number)."""
    table = Table(title="Files", title_justify="left")
    longest = max((len(r.path) for r in report.files), default=4)
    table.add_column("file", overflow="fold", min_width=min(longest, 40))
    table.add_column("format")
    table.add_column("records", justify="right")
    table.add_column("skipped", justify="right")
    for result in report.files:
        style = "red" if result.error else ""
        table.add_row(
            Text(result.path, style=style), result.format or "-", str(result.records), str(result.skipped)
        )
    return table


def _skipped_table(report: ReadReport, limit: int) -> Table:
    shown = report.skipped[:limit]
    title = (
        f"Skipped ({len(shown)} of {len(report.skipped)})" if len(shown) < len(report.skipped) else "Skipped"
    )
    table = Table(title=title, title_justify="left")
    table.add_column("where", overflow="fold")
    table.add_column("reason", overflow="fold")
    for item in shown:
        table.add_row(Text(item.location), Text(item.reason))
    return table


def print_read_report(
    report: ReadReport,
    fmt: ReportFormat = ReportFormat.table,
    show_skipped: int = DEFAULT_SHOWN_SKIPPED,
) -> None:
    """Print the reading report on stdout: rich tables, or one JSON object.

    In table form at most *show_skipped* skipped records are listed, followed by
    a line counting the rest; the JSON form lists every one.
    """
    if fmt is ReportFormat.json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    out.print(_summary_table(report))
    out.print(_files_table(report))
    if report.skipped:
        out.print(_skipped_table(report, show_skipped))
        hidden = len(report.skipped) - min(show_skipped, len(report.skipped))
        if hidden:
            out.print(
                f"… and {hidden} more skipped records (--show-skipped N or --format json lists them)",
                highlight=False,
            )


def _require_papers(report: ReadReport) -> None:
    if not report.papers:
        raise fail("no papers could be read from the inputs (see the report above for why)")


@app.command()
def stats(
    inputs: InputsArgument,
    fmt: FormatOption = ReportFormat.table,
    show_skipped: ShowSkippedOption = DEFAULT_SHOWN_SKIPPED,
) -> None:
    """Read inputs and print what was read, merged and skipped.

    Exits with status 1 only when no paper at all could be read.
    """
    report = read_inputs(inputs)
    print_read_report(report, fmt, show_skipped)
    _require_papers(report)


@app.command()
def build(
    inputs: InputsArgument,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Graph directory (default: $KG_GRAPH or ./kg-out).", show_default=False
        ),
    ] = None,
    update: Annotated[
        bool,
        typer.Option("--update", help="Add the inputs' new papers to the graph already in the directory."),
    ] = False,
    jobs: JobsOption = None,
    show_skipped: ShowSkippedOption = DEFAULT_SHOWN_SKIPPED,
) -> None:
    """Read inputs, extract concepts, build and save the graph (and an overview view)."""
    from kg.pipeline import BuildError
    from kg.pipeline import build as run_build

    graph_dir = output or default_graph_dir()
    try:
        with _BuildProgress() as progress:
            # the command only writes the graph: it need not be held as a networkx graph
            result = run_build(
                inputs, graph_dir, update=update, progress=progress, jobs=jobs, keep_graph=False
            )
    except BuildError as exc:
        raise fail(str(exc)) from None
    print_read_report(result.report.read, ReportFormat.table, show_skipped)
    out.print(_build_table(result))
    for warning in result.report.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))


class _BuildProgress:
    """A rich progress display for the build stages on a terminal; a no-op callback otherwise."""

    _LABELS: ClassVar[dict[str, str]] = {
        "read": "Reading files",
        "extract": "Extracting concepts",
        "graph": "Building the graph",
        "save": "Saving",
        "view": "Drawing the overview",
    }

    def __enter__(self) -> _BuildProgress:
        self._progress = None
        if console.is_terminal:
            self._progress = Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            self._progress.start()
        self._tasks: dict[str, object] = {}
        return self

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if self._progress is None:
            return
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(self._LABELS.get(stage, stage), total=total)
        self._progress.update(self._tasks[stage], completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def _build_table(result: BuildResult) -> Table:
    """The summary of a build: what the graph holds, what changed, what was written."""
    report = result.report
    title = "Graph updated" if report.updated else "Graph built"
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right", overflow="fold")
    table.add_row("papers", str(report.papers_total))
    if report.updated:
        table.add_row("  new papers added", str(report.papers_new))
        table.add_row("  papers already in the graph", str(report.papers_already_present))
        table.add_row("  of which completed with new details", str(report.papers_enriched))
    table.add_row("concepts", str(report.nodes.get("Concept", 0)))
    for kind, count in report.concepts_by_kind.items():
        table.add_row(f"  {kind}", str(count))
    table.add_row("repos", str(report.nodes.get("Repo", 0)))
    for rel, count in report.edges.items():
        table.add_row(f"{rel} edges", str(count))
    table.add_row("skipped records", str(len(report.read.skipped)))
    if report.seconds:
        stages = ", ".join(f"{name} {seconds:.1f}" for name, seconds in report.seconds.items())
        table.add_row("time", f"{sum(report.seconds.values()):.1f} s ({stages})")
    if report.diff is not None:
        diff = report.diff
        added_nodes = ", ".join(f"{n} {label}" for label, n in diff.added_by_label(result.graph).items())
        added_edges = ", ".join(f"{n} {rel}" for rel, n in diff.added_by_type().items())
        table.add_row("added nodes", added_nodes or "none")
        table.add_row("added edges", added_edges or "none")
        changes = len(diff.changed_nodes) + len(diff.changed_edges)
        removals = len(diff.removed_nodes) + len(diff.removed_edges)
        if changes or removals:
            table.add_row("changed / removed (re-canonicalised)", f"{changes} / {removals}")
    if report.changed:
        for name, path in result.paths.items():
            table.add_row(f"wrote {name}", Text(str(path)))
    else:
        table.add_row("written", "nothing: no new papers")
    return table
