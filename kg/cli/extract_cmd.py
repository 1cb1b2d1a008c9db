"""``kg extract``: concepts per paper as JSON lines."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.cli.app import JobsOption, app, console, fail
from kg.cli.ingest_cmds import InputsArgument, read_inputs

__all__ = ["extract", "write_jsonl_atomic"]


def write_jsonl_atomic(path: Path, rows: Iterable[dict[str, object]]) -> int:
    """Write *rows* as JSON lines to *path* atomically (temp file in the same folder + ``os.replace``).

    Returns the number of rows written. On error the previous file, if any, is left untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False))
                handle.write("\n")
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


@app.command()
def extract(
    inputs: InputsArgument,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="JSON Lines file to write ('-' for stdout).", show_default=False),
    ],
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="spaCy nlp.pipe batch size.")] = 256,
    jobs: JobsOption = None,
) -> None:
    """Extract datasets, models, methods, tasks and repos from titles and abstracts.

    Writes one JSON object per paper: {"id", "title", "entities": [...]}, one
    entity per concept with its canonical name, aliases, best mention (text,
    start, end, field, sentence, rule, confidence), role and all mentions.
    Aliases are merged across all inputs. The same input gives the same file.
    """
    from extractors import extract_corpus, make_pipeline  # spaCy import only when needed

    report = read_inputs(inputs)
    for item in report.skipped[:10]:
        console.print(f"[yellow]skipped[/] {item.location}: {item.reason}", highlight=False)
    if len(report.skipped) > 10:
        console.print(f"… and {len(report.skipped) - 10} more skipped records (see `kg stats`)")
    if not report.papers:
        raise fail("no papers could be read from the inputs")

    nlp = make_pipeline()
    if console.is_terminal:
        columns = (TextColumn("Extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("papers"),
                   TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("extract", total=len(report.papers))
            results = extract_corpus(report.papers, nlp, batch_size=batch_size,
                                     progress=lambda n: progress.advance(task, n), n_process=jobs)
    else:
        results = extract_corpus(report.papers, nlp, batch_size=batch_size, n_process=jobs)

    rows = [pc.to_json() for pc in results]
    n_entities = sum(len(r["entities"]) for r in rows)
    if str(output) == "-":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    else:
        try:
            write_jsonl_atomic(output, rows)
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc.strerror or exc}") from exc
    where = "stdout" if str(output) == "-" else str(output)
    console.print(f"{len(rows)} papers, {n_entities} paper–concept entries written to {where}",
                  highlight=False)
