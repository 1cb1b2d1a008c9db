"""``kg view``: write a self-contained HTML view of the graph (opens offline in any browser)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kg.cli.app import GraphOption, app, console, default_graph_dir, fail
from kg.schema import slugify

__all__ = ["KindChoice", "default_output"]


class KindChoice(StrEnum):
    """Concept kinds accepted by ``--kind``."""

    dataset = "dataset"
    model = "model"
    method = "method"
    task = "task"


def default_output(kind: str, focus: str | None = None, concept_kind: str | None = None) -> Path:
    """File name used when ``-o`` is not given: ``overview.html``, ``paper-<id>.html`` …"""
    if kind == "overview" or focus is None:
        return Path("overview.html")
    stem = slugify(focus.removeprefix(f"{kind}:"))[:80]
    if kind == "shared":
        return Path(f"shared-{concept_kind}-{stem}.html")
    return Path(f"{kind}-{stem}.html")


@app.command()
def view(
    graph_dir: GraphOption = None,
    paper: Annotated[
        str | None,
        typer.Option("--paper", help="One paper's neighbourhood: paper id, title or unique title prefix."),
    ] = None,
    concept: Annotated[
        str | None,
        typer.Option("--concept", help="One concept's papers: concept id, name, alias or unique prefix."),
    ] = None,
    shared_with: Annotated[
        str | None,
        typer.Option("--shared-with", help="Papers sharing concepts of --kind with this paper (id/title)."),
    ] = None,
    kind: Annotated[
        KindChoice | None,
        typer.Option("--kind", help="Concept kind for --shared-with.", case_sensitive=False),
    ] = None,
    max_nodes: Annotated[
        int, typer.Option("--max-nodes", min=2, help="Upper bound on the nodes drawn.")
    ] = 500,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o",
            help="HTML file to write (default: overview.html, paper-<id>.html, concept-<id>.html, "
                 "shared-<kind>-<id>.html in the current directory).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write an HTML view of the graph that opens offline in any browser.

    Without --paper/--concept/--shared-with: the overview (top concepts per kind and the papers
    linking them). Views are bounded by --max-nodes and laid out the same way every time.
    """
    chosen = [name for name, value in (("--paper", paper), ("--concept", concept),
                                       ("--shared-with", shared_with)) if value is not None]
    if len(chosen) > 1:
        raise fail(f"use only one of --paper, --concept and --shared-with (got {' and '.join(chosen)})", 2)
    if shared_with is not None and kind is None:
        raise fail("--shared-with needs --kind (dataset, model, method or task)", 2)
    if kind is not None and shared_with is None:
        raise fail("--kind only applies to --shared-with", 2)

    from kg.graph import GraphFileError, load_graph
    from kg.graph.resolve import ResolveError
    from kg.views import ViewError, concept_spec, overview_spec, paper_spec, shared_spec, write_view

    directory = graph_dir or default_graph_dir()
    try:
        graph = load_graph(directory)
    except GraphFileError as exc:
        raise fail(exc) from None

    try:
        if paper is not None:
            spec = paper_spec(graph, paper, max_nodes)
        elif concept is not None:
            spec = concept_spec(graph, concept, max_nodes)
        elif shared_with is not None and kind is not None:
            spec = shared_spec(graph, shared_with, kind.value, max_nodes)
        else:
            spec = overview_spec(graph, max_nodes)
    except ResolveError as exc:
        hint = " — pass one of the ids listed" if getattr(exc, "candidates", None) else ""
        raise fail(f"{exc}{hint}") from None
    except ViewError as exc:
        raise fail(exc) from None

    focus = next(iter(sorted(spec.focus)), None)
    target = output or default_output(spec.kind, focus, kind.value if kind else None)
    try:
        result = write_view(graph, spec, target)
    except OSError as exc:
        raise fail(f"cannot write {target}: {exc}") from None
    console.print(
        f"Wrote [bold]{escape(str(result.path))}[/]: {escape(result.title)} — {result.nodes} nodes, "
        f"{result.edges} links, {result.size_bytes / 1024:.0f} KiB"
        + ("" if result.physics else " (precomputed layout, physics off)"),
        highlight=False,
        soft_wrap=True,
    )
