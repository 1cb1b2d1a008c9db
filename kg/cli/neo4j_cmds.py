"""``kg neo4j …``: load the graph into Neo4j."""

from __future__ import annotations

import typer

from kg.cli.app import app, fail

neo4j_app = typer.Typer(help="Load the graph into Neo4j and manage it there.", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")


@neo4j_app.command("load")
def load() -> None:
    """Load the saved graph into Neo4j (idempotent)."""
    raise fail("`kg neo4j load` is not available in this version yet.")
