"""The ``kg`` Typer application and the options shared by its commands."""

from __future__ import annotations

import os
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

#: Messages for people go to stderr; data (tables, JSON, CSV) goes to stdout.
console = Console(stderr=True)
out = Console()

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
