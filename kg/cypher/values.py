"""How graph values (nodes, relationships, paths) look in query results, the same on every engine.

Results are plain Python so they print as a table, JSON or CSV whatever the
engine. A query that returns whole graph elements gets:

* a node as ``{"_labels": ["Concept", "Dataset"], "id": …, <properties>}``;
* a relationship as ``{"_type": "USES", "_start": <id of its start node>,
  "_end": <id of its end node>, <properties>}``;
* a path as ``{"nodes": [<node>, …], "relationships": [<relationship>, …]}``.

Engine-internal identifiers (``#12:3`` in ArcadeDB, element ids in Neo4j)
never appear: the ``id`` property is the identity users know.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["node_value", "path_value", "relationship_value"]


def node_value(labels: Iterable[str], properties: Mapping[str, Any]) -> dict[str, Any]:
    """A node as a dict: ``_labels`` (primary label first, as stored) then its properties sorted by name."""
    return {"_labels": list(labels), **{key: properties[key] for key in sorted(properties)}}


def relationship_value(
    rel_type: str, start_id: Any, end_id: Any, properties: Mapping[str, Any]
) -> dict[str, Any]:
    """A relationship as a dict: ``_type``, ``_start``/``_end`` (node ``id`` properties), then properties."""
    return {
        "_type": rel_type,
        "_start": start_id,
        "_end": end_id,
        **{key: properties[key] for key in sorted(properties)},
    }


def path_value(nodes: list[dict[str, Any]], relationships: list[dict[str, Any]]) -> dict[str, Any]:
    """A path as its nodes in order and the relationships between them."""
    return {"nodes": nodes, "relationships": relationships}
