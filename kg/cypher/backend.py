"""The interface every Cypher engine implements (embedded ArcadeDB, Neo4j over Bolt).

Named queries and ``kg query`` talk only to this protocol, so the same query
text, parameters and result shape serve every engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import networkx as nx

__all__ = ["CypherBackend", "CypherError", "LoadStats", "QueryResult"]


class CypherError(RuntimeError):
    """A query the engine rejected or could not run; ``str()`` is one readable line."""


@dataclass(slots=True)
class QueryResult:
    """Rows of a query in column order; values are plain Python (str, int, float, list, dict, None)."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        """Rows as ``{column: value}`` dicts."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(slots=True)
class LoadStats:
    """What a load wrote: node and relationship counts per label/type, and rows sent."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    rows_sent: int = 0
    seconds: float = 0.0


@runtime_checkable
class CypherBackend(Protocol):
    """A Cypher engine holding (a copy of) the paper graph."""

    #: ``"arcadedb"`` or ``"neo4j"``: selects dialect variants in query files.
    dialect: str

    def run(self, query: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        """Run *query* with *params* (values only ever passed as parameters).

        With ``write=False`` the query must be read-only; the backend refuses a
        write clause with :class:`CypherError` before sending it.
        """
        ...

    def load_graph(self, graph: nx.MultiDiGraph, *, batch_size: int = 5000) -> LoadStats:
        """Idempotently upsert every node and relationship of *graph*."""
        ...

    def run_many(self, statements: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
        """Run write statements in one transaction (used by loaders)."""
        ...

    def close(self) -> None:
        """Release connections and any process or JVM resources."""
        ...
