"""``kg neo4j …``: load the saved graph into Neo4j and look at what is there.

Connection settings come from ``--uri``/``--user``/``--database`` or the
``NEO4J_*`` environment (see ``.env.example``). The password is deliberately
not an option — it would end up in shell history — so it comes from
``NEO4J_PASSWORD`` or a hidden prompt.

Expected failures (no graph, server down or still starting, wrong password,
bad URI) print one ``error:`` line and exit with status 1, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import networkx as nx
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.cli.app import GraphOption, app, console, default_graph_dir, fail, out
from kg.cypher.backend import CypherError, LoadStats
from kg.cypher.load import graph_counts
from kg.cypher.neo4j_backend import PROJECT_LABELS, PROJECT_RELS, Neo4jBackend
from kg.cypher.neo4j_settings import Neo4jSettings

__all__ = ["connect", "neo4j_app", "password_from_env_or_prompt"]

neo4j_app = typer.Typer(help="Load the graph into Neo4j and manage it there.", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")

UriOption = Annotated[
    str | None,
    typer.Option(
        "--uri", help="Server URI (default: $NEO4J_URI or bolt://localhost:7687).", show_default=False
    ),
]
UserOption = Annotated[
    str | None,
    typer.Option("--user", "-u", help="User name (default: $NEO4J_USER or neo4j).", show_default=False),
]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        "-d",
        help="Database (default: $NEO4J_DATABASE or the server's default).",
        show_default=False,
    ),
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--connect-timeout",
        min=0,
        help="Seconds to keep retrying a server that is not up yet (default: $NEO4J_CONNECT_TIMEOUT or 30).",
        show_default=False,
    ),
]


def password_from_env_or_prompt(settings: Neo4jSettings) -> str:
    """``$NEO4J_PASSWORD``, else a hidden prompt on a terminal.

    Raises
    ------
    typer.Exit
        When there is no password in the environment and no terminal to ask on.
    """
    if settings.password:
        return settings.password
    if not sys.stdin.isatty():
        raise fail(f"no password for {settings.user}@{settings.uri}: set NEO4J_PASSWORD (see .env.example)")
    return str(typer.prompt(f"Neo4j password for {settings.user}@{settings.uri}", hide_input=True))


def connect(
    uri: str | None, user: str | None, database: str | None, connect_timeout: float | None = None
) -> Neo4jBackend:
    """Resolve the settings, ask for the password if needed, and connect (with back-off).

    Raises
    ------
    typer.Exit
        With one readable error line for any expected failure.
    """
    try:
        settings = Neo4jSettings.from_env(uri, user, None, database, connect_timeout)
        password = password_from_env_or_prompt(settings)
        settings = Neo4jSettings.from_env(uri, user, password, database, connect_timeout)
        console.print(f"connecting to {settings.uri} …", highlight=False)
        return Neo4jBackend.connect(settings)
    except CypherError as error:
        raise fail(str(error)) from None


def _read_graph(graph_dir: Path) -> nx.MultiDiGraph:
    from kg.graph.persistence import GraphFileError, load_graph

    try:
        return load_graph(graph_dir)
    except GraphFileError as error:
        raise fail(str(error)) from None
    except OSError as error:
        raise fail(f"cannot read the graph in {graph_dir}: {error.strerror or error}") from None


def _confirm_wipe(backend: Neo4jBackend, yes: bool) -> None:
    where = f"{backend.settings.uri}" + (
        f" (database {backend.settings.database})" if backend.settings.database else ""
    )
    if yes:
        return
    if not sys.stdin.isatty():
        raise fail("--wipe deletes data and needs confirmation: run it on a terminal or add --yes")
    question = f"Delete every {', '.join(PROJECT_LABELS)} node and their relationships in {where}?"
    if not typer.confirm(question, default=False):
        raise fail("nothing deleted, nothing loaded")


#: Loads of at least this many rows get the hint of :func:`codec_hint`.
CODEC_HINT_ROWS = 100_000


def codec_hint(rows: int) -> str | None:
    """A note for a large load sent without the driver's Rust extension, else ``None``.

    The ``neo4j`` driver packs parameters in pure Python unless the optional
    ``neo4j-rust-ext`` package is installed; with it the 100k-abstract load ran
    2–3 times faster (docs/NEO4J.md, "Load speed").
    """
    if rows < CODEC_HINT_ROWS:
        return None
    try:
        import neo4j._rust  # noqa: F401  (present only with neo4j-rust-ext)
    except ImportError:
        return (
            "note: installing neo4j-rust-ext (the driver's Rust extension) made large loads "
            "2–3 times faster in the load benchmark (docs/NEO4J.md)"
        )
    return None


def _load_with_progress(backend: Neo4jBackend, graph: nx.MultiDiGraph, batch_size: int) -> LoadStats:
    total = graph.number_of_nodes() + graph.number_of_edges()
    columns = (
        TextColumn("loading"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("load", total=total)
        return backend.load_graph(
            graph, batch_size=batch_size, on_batch=lambda rows, _: progress.advance(task, rows)
        )


def _counts_table(
    title: str, graph: nx.MultiDiGraph | None, nodes: dict[str, int], rels: dict[str, int]
) -> Table:
    graph_nodes, graph_rels = graph_counts(graph) if graph is not None else ({}, {})
    table = Table(title=title or None, title_justify="left")
    table.add_column("kind")
    table.add_column("name")
    if graph is not None:
        table.add_column("in graph", justify="right")
    table.add_column("on server", justify="right")
    for kind, names, server, local in (
        ("node", PROJECT_LABELS, nodes, graph_nodes),
        ("relationship", PROJECT_RELS, rels, graph_rels),
    ):
        for name in names:
            cells = [kind, name]
            if graph is not None:
                cells.append(f"{local.get(name, 0):,}")
            cells.append(f"{server.get(name, 0):,}")
            table.add_row(*cells)
    return table


@neo4j_app.command("load")
def load(
    graph_dir: GraphOption = None,
    uri: UriOption = None,
    user: UserOption = None,
    database: DatabaseOption = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Rows per write transaction.")
    ] = 5000,
    wipe: Annotated[
        bool,
        typer.Option(
            "--wipe", help="First delete the Paper, Concept and Repo nodes already there (asks first)."
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before --wipe.")] = False,
    connect_timeout: TimeoutOption = None,
) -> None:
    """Load the saved graph into Neo4j: constraints and indexes first, then batches (idempotent).

    Loading the same graph twice leaves the same nodes and relationships. The
    password comes from $NEO4J_PASSWORD or a hidden prompt.
    """
    directory = graph_dir or default_graph_dir()
    graph = _read_graph(directory)
    with connect(uri, user, database, connect_timeout) as backend:
        console.print(f"connected: {backend.server_agent}", highlight=False)
        try:
            if wipe:
                _confirm_wipe(backend, yes)
                deleted = backend.wipe()
                console.print(
                    "deleted " + ", ".join(f"{count:,} {label}" for label, count in deleted.items()),
                    highlight=False,
                )
            stats = _load_with_progress(backend, graph, batch_size)
        except CypherError as error:
            raise fail(str(error)) from None
    out.print(_counts_table(f"{directory} → {backend.settings.uri}", graph, stats.nodes, stats.relationships))
    rate = stats.rows_sent / stats.seconds if stats.seconds > 0 else 0.0
    console.print(
        f"sent {stats.rows_sent:,} rows in {stats.seconds:.1f} s ({rate:,.0f} rows/s)", highlight=False
    )
    hint = codec_hint(stats.rows_sent)
    if hint:
        console.print(hint, highlight=False)
    graph_nodes, graph_rels = graph_counts(graph)
    if any(stats.nodes.get(k, 0) > v for k, v in graph_nodes.items()) or any(
        stats.relationships.get(k, 0) > v for k, v in graph_rels.items()
    ):
        console.print(
            "note: the database holds more than this graph (an earlier, different graph?); "
            "`kg neo4j load --wipe` replaces it",
            highlight=False,
        )


@neo4j_app.command("status")
def status(
    uri: UriOption = None,
    user: UserOption = None,
    database: DatabaseOption = None,
    connect_timeout: TimeoutOption = None,
) -> None:
    """Show the server and how many of the project's nodes and relationships it holds."""
    with connect(uri, user, database, connect_timeout) as backend:
        try:
            nodes, rels = backend.counts()
        except CypherError as error:
            raise fail(str(error)) from None
    where = backend.settings.database or "default database"
    out.print(f"{backend.settings.uri} ({where}): {backend.server_agent}", highlight=False)
    out.print(_counts_table("", None, nodes, rels))
