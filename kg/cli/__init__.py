"""The ``kg`` command line. Each verb lives in its own module and registers on :data:`app`."""

from __future__ import annotations

from kg.cli import extract_cmd, ingest_cmds, neo4j_cmds, query_cmds, view_cmd  # noqa: F401
from kg.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
