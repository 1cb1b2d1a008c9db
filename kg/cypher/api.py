"""One-call Python API mirroring ``kg query`` and ``kg run`` (``kg.run_query``, ``kg.run_named``).

Each call opens the engine, runs one query and closes it again. For many
queries in a row, keep a backend open instead::

    from kg.cypher import open_backend
    from kg.cypher.named import run_named

    with open_backend("kg-out") as backend:
        for paper in papers:
            rows = run_named(backend, "similar-papers", {"paper": paper}).records()
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import closing
from typing import Any

from kg.cypher import open_backend
from kg.cypher.backend import QueryResult
from kg.cypher.named import run_named as _run_named

__all__ = ["run_named", "run_query"]


def run_query(
    query: str,
    params: Mapping[str, Any] | None = None,
    *,
    graph_dir: str | os.PathLike[str] | None = None,
    write: bool = False,
    neo4j: bool = False,
) -> QueryResult:
    """Run one Cypher *query* with *params* on the graph.

    Parameters
    ----------
    query
        Cypher text; values go in *params*, never into the text.
    params
        Query parameters (``$name`` in the text).
    graph_dir
        Graph directory (default ``$KG_GRAPH`` or ``./kg-out``).
    write
        Allow write clauses (refused by default).
    neo4j
        Run on Neo4j (``NEO4J_URI`` … from the environment) instead of the embedded engine.

    Returns
    -------
    QueryResult
        ``columns`` and ``rows``; ``records()`` gives dicts.

    Raises
    ------
    kg.cypher.CypherError
        A refused write, an engine error, or no graph.

    Examples
    --------
    >>> import kg
    >>> kg.run_query("MATCH (p:Paper) RETURN count(p) AS papers").records()  # doctest: +SKIP
    [{'papers': 386}]
    """
    with closing(open_backend(graph_dir, neo4j=neo4j)) as backend:
        return backend.run(query, params, write=write)


def run_named(
    name: str, *, graph_dir: str | os.PathLike[str] | None = None, neo4j: bool = False, **params: Any
) -> QueryResult:
    """Run the named query *name* from the library with keyword *params*.

    Examples
    --------
    >>> import kg
    >>> kg.run_named("papers-sharing-datasets", paper="InsertNeRF", limit=5)  # doctest: +SKIP
    """
    with closing(open_backend(graph_dir, neo4j=neo4j)) as backend:
        return _run_named(backend, name, params)
