"""Cypher on the graph: the embedded engine (default) and Neo4j, behind one interface.

>>> from kg.cypher import open_backend
>>> with open_backend("kg-out") as backend:  # doctest: +SKIP
...     backend.run("MATCH (p:Paper) RETURN count(p) AS papers").records()
[{'papers': 386}]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kg.cypher.backend import CypherBackend, CypherError, LoadStats, QueryResult

__all__ = ["CypherBackend", "CypherError", "LoadStats", "QueryResult", "default_graph_dir", "open_backend"]

#: Graph directory used when none is given and ``$KG_GRAPH`` is unset.
DEFAULT_GRAPH_DIR = "kg-out"


def default_graph_dir() -> Path:
    """``$KG_GRAPH`` if set, else ``./kg-out`` (the same default as the ``kg`` commands)."""
    return Path(os.environ.get("KG_GRAPH") or DEFAULT_GRAPH_DIR)


def open_backend(
    graph_dir: str | os.PathLike[str] | None = None, *, neo4j: bool = False, **neo4j_settings: Any
) -> CypherBackend:
    """Open the Cypher engine holding the graph.

    Parameters
    ----------
    graph_dir
        Graph directory written by ``kg build`` (default ``$KG_GRAPH`` or
        ``./kg-out``); used by the embedded engine, which refreshes its copy
        when the saved graph changed.
    neo4j
        Use a Neo4j server instead (connection from ``NEO4J_URI``,
        ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE`` or
        *neo4j_settings*); the graph must have been loaded with ``kg neo4j load``.
    **neo4j_settings
        Passed to ``Neo4jBackend.from_settings`` (e.g. ``uri``, ``user``, ``database``).

    Returns
    -------
    CypherBackend
        Close it when done (it is also a context manager).

    Raises
    ------
    CypherError
        The graph or the server is not available.
    """
    if neo4j:
        try:
            from kg.cypher.neo4j_backend import Neo4jBackend
        except ImportError as error:
            raise CypherError(f"the Neo4j backend is not available in this installation ({error})") from error
        return Neo4jBackend.from_settings(**neo4j_settings)
    if neo4j_settings:
        raise TypeError(f"Neo4j settings given without neo4j=True: {', '.join(sorted(neo4j_settings))}")
    from kg.cypher.embedded import EmbeddedBackend

    return EmbeddedBackend(default_graph_dir() if graph_dir is None else graph_dir)
