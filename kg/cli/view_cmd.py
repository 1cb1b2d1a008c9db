"""``kg view``: self-contained pyvis HTML views."""

from __future__ import annotations

from kg.cli.app import app, fail


@app.command()
def view() -> None:
    """Write an HTML view of the graph that opens offline in any browser."""
    raise fail("`kg view` is not available in this version yet.")
