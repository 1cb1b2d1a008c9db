"""The ``kg`` Typer application and the options shared by its commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

app = typer.Typer(
    name="kg",
    help="Turn paper abstracts into a concept/citation knowledge graph; query it with Cypher; view it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Width of tables written to a pipe or file when ``$COLUMNS`` does not say (a terminal's own width is used).
PIPE_WIDTH = 200


def _data_width() -> int | None:
    """Console width for data on stdout: ``None`` (Rich decides) on a terminal or with ``$COLUMNS``,
    else :data:`PIPE_WIDTH`, so that ``kg run … | less`` does not wrap rows at 80 columns."""
    if os.environ.get("COLUMNS") or sys.stdout.isatty():
        return None
    return PIPE_WIDTH


#: Messages for people go to stderr; data (tables, JSON, CSV) goes to stdout.
console = Console(stderr=True)
out = Console(width=_data_width())

DEFAULT_GRAPH_DIR = "kg-out"


def default_graph_dir() -> Path:
    """``$KG_GRAPH`` if set, else ``./kg-out``."""
    return Path(os.environ.get("KG_GRAPH") or DEFAULT_GRAPH_DIR)


GraphOption = Annotated[
    Path | None,
    typer.Option(
        "--graph",
        "-g",
        help="Graph directory written by `kg build` (default: $KG_GRAPH or ./kg-out).",
        show_default=False,
    ),
]


def fail(error: Exception | str, code: int = 1) -> typer.Exit:
    """Print *error* as one readable line and return the exit to raise.

    The text is printed literally (Rich markup in user-supplied names is escaped) and never
    wrapped, so scripts and logs see one line per error.
    """
    console.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True, highlight=False)
    return typer.Exit(code)


JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Processes for extraction (default: one per 2,000 papers, at most one per CPU). "
        "The result does not depend on it.",
        show_default=False,
    ),
]
