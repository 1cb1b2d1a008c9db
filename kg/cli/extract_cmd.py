"""``kg extract``: concepts per paper as JSON lines."""

from __future__ import annotations

from kg.cli.app import app, fail


@app.command()
def extract() -> None:
    """Extract datasets, models, methods, tasks and repos from titles and abstracts."""
    raise fail("`kg extract` is not available in this version yet.")
