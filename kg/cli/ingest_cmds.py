"""``kg stats`` and ``kg build``: read the inputs and report what was read, merged and skipped.

:func:`read_inputs` (reading with a progress bar) and :func:`print_read_report`
are the reusable halves: ``kg build`` calls both before doing its own work.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from kg.cli.app import app, console, default_graph_dir, fail, out
from kg.sources import FileResult, ReadReport, expand_paths, read_papers

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

    The bar goes to stderr and only appears when stderr is a terminal, so piped
    and captured output stays clean.
    """
    files = expand_paths(inputs)
    if not console.is_terminal:
        return read_papers(files)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("Reading papers", total=len(files))

        def advance(result: FileResult) -> None:
            progress.update(task, advance=1, description=f"Read {Path(result.path).name}")

        return read_papers(files, on_file=advance)


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
    table = Table(title="Files", title_justify="left")
    table.add_column("file", overflow="fold")
    table.add_column("format")
    table.add_column("records", justify="right")
    table.add_column("skipped", justify="right")
    table.add_column("note", overflow="fold")
    for result in report.files:
        table.add_row(
            Text(result.path),
            result.format or "-",
            str(result.records),
            str(result.skipped),
            Text(result.error or "", style="red"),
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
    show_skipped: ShowSkippedOption = DEFAULT_SHOWN_SKIPPED,
) -> None:
    """Read inputs, extract concepts, build and save the graph."""
    report = read_inputs(inputs)
    print_read_report(report, ReportFormat.table, show_skipped)
    _require_papers(report)
    graph_dir = output or default_graph_dir()
    message = "Concept extraction and graph writing are not available in this version"
    console.print(Text(f"{message}; nothing written to {graph_dir}."))
