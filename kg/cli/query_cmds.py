"""``kg query`` (ad-hoc Cypher) and ``kg run`` (named queries)."""

from __future__ import annotations

from kg.cli.app import app, fail


@app.command()
def query() -> None:
    """Run a Cypher query against the graph (read-only unless --write)."""
    raise fail("`kg query` is not available in this version yet.")


@app.command()
def run() -> None:
    """Run a named query from the query library."""
    raise fail("`kg run` is not available in this version yet.")
