"""``kg stats`` and ``kg build``."""

from __future__ import annotations

from kg.cli.app import app, fail


@app.command()
def stats() -> None:
    """Read inputs and print what was read, merged and skipped."""
    raise fail("`kg stats` is not available in this version yet.")


@app.command()
def build() -> None:
    """Read inputs, extract concepts, build and save the graph."""
    raise fail("`kg build` is not available in this version yet.")
