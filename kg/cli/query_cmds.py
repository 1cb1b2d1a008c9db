"""``kg query`` (ad-hoc Cypher) and ``kg run`` (named queries from the library).

Both run on the embedded engine over the graph directory (``-g``), or on Neo4j
with ``--neo4j``. Results go to stdout as a table, JSON or CSV; messages and
errors go to stderr, errors as one line with exit status 1.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kg.cli.app import GraphOption, app, console, default_graph_dir, fail, out
from kg.cypher import open_backend
from kg.cypher.backend import CypherBackend, CypherError, QueryResult

__all__ = ["OutputFormat", "format_result", "parse_param"]


class OutputFormat(StrEnum):
    """How results are printed."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output: table, json (list of objects) or csv.")
]
Neo4jOption = Annotated[
    bool,
    typer.Option(
        "--neo4j",
        help="Run on Neo4j instead of the embedded engine (settings from NEO4J_URI, NEO4J_USER, "
        "NEO4J_PASSWORD, NEO4J_DATABASE).",
    ),
]


@app.command()
def query(
    cypher: Annotated[
        str, typer.Argument(help="The Cypher query ('-' reads it from stdin).", show_default=False)
    ],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="A query parameter name=value, used as $name. Numbers, true/false and [lists] are "
            "read as JSON; anything else is a string.",
            show_default=False,
        ),
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
    write: Annotated[
        bool,
        typer.Option("--write", help="Allow clauses that change the graph (CREATE, MERGE, SET, DELETE …)."),
    ] = False,
    graph: GraphOption = None,
    neo4j: Neo4jOption = False,
) -> None:
    """Run a Cypher query on the graph; read-only unless --write.

    Values belong in parameters, not in the query text:
    kg query 'MATCH (c:Concept {name: $name})<-[:USES]-(p) RETURN p.title' -p name=ImageNet
    """
    text = sys.stdin.read() if cypher == "-" else cypher
    try:
        params = dict(parse_param(item) for item in param or [])
    except ValueError as error:
        raise fail(error) from None
    with _backend(graph, neo4j) as backend:
        started = time.perf_counter()
        try:
            result = backend.run(text, params, write=write)
        except CypherError as error:
            raise fail(error) from None
        _print_result(result, output, time.perf_counter() - started)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def run(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(help="Named query (see --list), followed by --PARAM VALUE …", show_default=False),
    ] = None,
    list_queries: Annotated[
        bool, typer.Option("--list", help="List the named queries and their parameters.")
    ] = False,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param", "-p", help="A parameter as name=value (same as --name value).", show_default=False
        ),
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
    graph: GraphOption = None,
    neo4j: Neo4jOption = False,
) -> None:
    """Run a named query from the library: kg run papers-sharing-datasets --paper "InsertNeRF".

    Papers and concepts can be named by id, exact title/name/alias, or a unique
    case-insensitive prefix; an ambiguous name lists the candidates.
    """
    from queries import list_queries as library

    if list_queries:
        if name is not None or ctx.args:
            raise fail("--list takes no query name or parameters")
        _print_library(library(), output)
        return
    if name is None:
        raise fail("name a query to run (kg run --list shows them)")
    try:
        params = dict(_extra_params(ctx.args))
        params.update(dict(parse_param(item, as_json=False) for item in param or []))
    except ValueError as error:
        raise fail(error) from None
    from kg.cypher.named import run_named

    with _backend(graph, neo4j) as backend:
        started = time.perf_counter()
        try:
            result = run_named(backend, name, params)
        except CypherError as error:
            raise fail(error) from None
        _print_result(result, output, time.perf_counter() - started)


# -- parameters -------------------------------------------------------------------------------------


def parse_param(item: str, *, as_json: bool = True) -> tuple[str, Any]:
    """``name=value`` → ``(name, value)``; with *as_json*, JSON numbers, booleans and lists are decoded.

    Raises
    ------
    ValueError
        No ``=``, or a name that is not an identifier.
    """
    name, sep, value = item.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise ValueError(f"parameter {item!r} must look like name=value")
    if as_json:
        try:
            decoded = json.loads(value)
        except ValueError:
            return name, value
        if isinstance(decoded, bool | int | float | list):
            return name, decoded
    return name, value


def _extra_params(args: list[str]) -> Iterator[tuple[str, str]]:
    """``--name value`` / ``--name=value`` pairs left over by the option parser (``-`` in names → ``_``)."""
    index = 0
    while index < len(args):
        arg = args[index]
        if not arg.startswith("--") or len(arg) == 2:
            raise ValueError(f"unexpected argument {arg!r}; parameters are given as --name value")
        key, sep, value = arg[2:].partition("=")
        if not sep:
            if index + 1 >= len(args):
                raise ValueError(f"--{key} needs a value")
            index += 1
            value = args[index]
        yield key.replace("-", "_"), value
        index += 1


# -- engine -----------------------------------------------------------------------------------------


@contextmanager
def _backend(graph: Path | None, neo4j: bool) -> Iterator[CypherBackend]:
    """Open the engine for a command and always close it; Ctrl-C closes it and exits with status 130."""
    try:
        if neo4j:
            from kg.cli.neo4j_cmds import connect  # settings from NEO4J_*, password prompt on a terminal

            backend = connect(uri=None, user=None, database=None)
        else:
            with console.status("Opening the graph (its query engine is rebuilt when the graph changed)…"):
                backend = open_backend(graph or default_graph_dir())
    except CypherError as error:
        raise fail(error) from None
    except KeyboardInterrupt:
        raise fail("interrupted", code=130) from None
    try:
        with closing(backend):
            yield backend
    except KeyboardInterrupt:
        raise fail("interrupted", code=130) from None


# -- output -----------------------------------------------------------------------------------------


def format_result(result: QueryResult, output: OutputFormat) -> str:
    """*result* as JSON (a list of objects, keys in column order) or CSV (lists and maps as JSON text)."""
    if output is OutputFormat.JSON:
        return json.dumps(result.records(), ensure_ascii=False, indent=2) + "\n"
    if output is OutputFormat.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow([_cell(value, for_csv=True) for value in row])
        return buffer.getvalue()
    raise ValueError(f"format_result does not render {output}")


def _print_result(result: QueryResult, output: OutputFormat, seconds: float) -> None:
    if output is OutputFormat.TABLE:
        table = Table(show_lines=False, header_style="bold")
        for column in result.columns:
            table.add_column(column, overflow="fold")
        for row in result.rows:
            table.add_row(*(_cell(value) for value in row))
        if result.columns:
            out.print(table, highlight=False, markup=False)
    else:
        sys.stdout.write(format_result(result, output))
        sys.stdout.flush()
    count = len(result.rows)
    console.print(
        f"{count} row{'s' if count != 1 else ''} ({seconds * 1000:.0f} ms)", style="dim", highlight=False
    )


def _cell(value: Any, *, for_csv: bool = False) -> str:
    """One value as text: empty for null, lists joined by ', ' in tables, JSON for maps and CSV lists."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and not for_csv and all(not isinstance(item, dict | list) for item in value):
        return ", ".join(_cell(item) for item in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _print_library(named: list[Any], output: OutputFormat) -> None:
    rows = [
        [
            query.name,
            [
                f"{p.name} ({p.type}{'' if p.required else f', default {json.dumps(p.default)}'})"
                for p in query.params
            ],
            query.description,
        ]
        for query in named
        if not query.name.startswith("resolve-")
    ] + [
        [query.name, [f"{p.name} ({p.type})" for p in query.params], query.description]
        for query in named
        if query.name.startswith("resolve-")
    ]
    result = QueryResult(columns=["name", "params", "answers"], rows=rows)
    if output is OutputFormat.TABLE:
        table = Table(header_style="bold")
        for column in result.columns:
            table.add_column(column, overflow="fold")
        for name, params, answers in rows:
            table.add_row(name, "\n".join(params), answers)
        out.print(table, highlight=False, markup=False)
    else:
        sys.stdout.write(format_result(result, output))
