"""Cypher statements that put the paper graph into an engine: schema first, then batched upserts.

The same statements load the embedded engine and Neo4j, so both hold the same
graph, built from the one schema in :mod:`kg.schema`:

* :func:`schema_statements` — uniqueness constraints on ``id`` for every label
  and indexes on ``Concept.name``, ``Concept.kind`` and ``Paper.title``
  (Neo4j 5 syntax, ``IF NOT EXISTS``, so running them twice is harmless);
* :func:`load_batches` — parameterised ``UNWIND $rows AS row MERGE …``
  statements with their rows: every node first (grouped by label, concepts
  also by kind so they get their second label ``:Dataset``/``:Model``/…), then
  every relationship (grouped by type and endpoint labels, so the ``MATCH`` of
  both ends uses the ``id`` index of a label);
* :func:`create_plan` — the same batches as ``CREATE`` statements for an
  empty database, and :func:`upsert_plan` — the same result as ``MERGE`` for a
  database that holds the graph already, written as an update through the
  ``id`` index plus a ``CREATE`` of the rows it did not find (what the Neo4j
  loader sends).

Values travel only as parameters. ``MERGE`` on ``id`` plus ``SET … +=`` makes
the load idempotent: loading the same graph twice leaves the same nodes,
relationships and properties. Every schema property is sent on every row (a
missing one as ``null``), so a schema property removed from the graph is
removed from the engine too; extra attributes outside the schema are sent when
present (and so added or updated, never removed).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

import networkx as nx

from kg.schema import NODE_PROPERTIES, REL_PROPERTIES, ConceptKind, Label, Rel

__all__ = [
    "CONCEPT_KINDS",
    "DIALECTS",
    "STRUCTURAL_EDGE_ATTRS",
    "STRUCTURAL_NODE_ATTRS",
    "CreateBatch",
    "UpsertBatch",
    "create_plan",
    "graph_counts",
    "inline_properties",
    "label_of_node",
    "load_batches",
    "load_plan",
    "plain_value",
    "property_keys",
    "row_properties",
    "schema_statements",
    "type_of_edge",
    "upsert_plan",
]

#: Dialects the statements are written for: ``"neo4j"`` (Neo4j 5) and ``"arcadedb"`` (embedded engine).
DIALECTS: Final[tuple[str, ...]] = ("neo4j", "arcadedb")

#: Node attributes of the networkx graph that are structure, not properties.
STRUCTURAL_NODE_ATTRS: Final[frozenset[str]] = frozenset({"label"})
STRUCTURAL_EDGE_ATTRS: Final[frozenset[str]] = frozenset({"type", "key"})
#: The concept kinds, which are also a concept's second label (``Concept:Dataset``).
CONCEPT_KINDS: Final[frozenset[str]] = frozenset(str(kind) for kind in ConceptKind)


def schema_statements(dialect: str = "neo4j") -> list[str]:
    """Constraints and indexes to create before loading, in Neo4j 5 syntax.

    Parameters
    ----------
    dialect
        ``"neo4j"`` or ``"arcadedb"``. The embedded engine (ArcadeDB 26.10)
        accepts the Neo4j 5 statements unchanged — ``CREATE CONSTRAINT … IF NOT
        EXISTS FOR (n:L) REQUIRE n.id IS UNIQUE`` becomes a unique index on
        ``L[id]`` and ``CREATE INDEX … IF NOT EXISTS FOR (n:L) ON (n.p)`` a
        non-unique one — so both dialects get the same list; the parameter is
        kept so a statement one engine lacks can get a variant without changing
        callers.

    Returns
    -------
    list[str]
        Statements without parameters, each safe to run again.
    """
    _check_dialect(dialect)
    statements = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in Label
    ]
    statements += [
        f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
        for label, prop in ((Label.CONCEPT, "name"), (Label.CONCEPT, "kind"), (Label.PAPER, "title"))
    ]
    return statements


def load_batches(
    graph: nx.MultiDiGraph, batch_size: int = 5000, *, into_empty: bool = False
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Parameterised upsert statements for every node and relationship of *graph*.

    Parameters
    ----------
    graph
        A paper graph as built by :mod:`kg.graph` (node attribute ``label``,
        edge attribute ``type`` or the edge key, properties per :mod:`kg.schema`).
    batch_size
        Rows per statement (5,000 keeps one message well under engine limits).
    into_empty
        The target database is known to be empty (a fresh engine database):
        nodes and relationships are written with ``CREATE`` instead of
        ``MERGE``, with every property in the created pattern (``CREATE (n:L
        {id: row.id, `name`: row.props.`name`, …})``) rather than a later
        ``SET``. Node ids are unique and the graph holds at most one
        relationship of a type between two nodes, so the result is the same
        (a ``null`` property is not stored either way), but the engine
        searches nothing per row and writes each record once — a record grown
        by ``SET`` after creation is moved, which made a later scan of 50,000
        concepts five times slower. Measured on ArcadeDB 26.10:
        ``MERGE (n:Concept:Dataset {id: …})`` does not use the ``id`` index of
        a two-label node and slowed from 1 to 7 ms per row between the first
        and second 5,000 concepts, against 0.1 ms for ``CREATE``; and
        ``MERGE`` of a relationship searches the existing relationships of
        both ends, which dominates on hub concepts. Not idempotent: never use
        it to load into a database that may hold the graph already.

    Yields
    ------
    tuple[str, list[dict]]
        ``(statement, rows)``; run each as ``statement`` with parameter
        ``rows``. Node rows are ``{"id", "props"}``, relationship rows
        ``{"src", "dst", "props"}``. All node batches come before any
        relationship batch, and the order is deterministic (sorted by id).
        Rows are built one batch at a time, so memory holds the graph and a
        batch, not a second copy of every property.

    Raises
    ------
    ValueError
        A node without a known label, or an edge without a known type.
    """
    for statement, rows, _target in load_plan(graph, batch_size, into_empty=into_empty):
        yield statement, rows


def load_plan(
    graph: nx.MultiDiGraph, batch_size: int = 5000, *, into_empty: bool = False
) -> Iterator[tuple[str, list[dict[str, Any]], tuple[str, ...]]]:
    """:func:`load_batches` with what each batch writes: ``(statement, rows, target)``.

    *target* is ``("node", label, …)`` with every label of the created nodes
    (``("node", "Concept", "Dataset")``), or ``("rel", type)``, so an engine
    with a native bulk path can write the same rows without parsing the
    statement.
    """
    for group, rows in _grouped_rows(graph, batch_size, inline=into_empty):
        statement = group.create if into_empty else group.merge
        yield statement, rows, group.target


@dataclass(frozen=True)
class CreateBatch:
    """One batch of :func:`create_plan`: rows and two forms of the statement that creates them.

    Attributes
    ----------
    create:
        The statement of :func:`load_batches` with ``into_empty=True``, for
        list rows (``CREATE (n:Paper {id: row[0], `title`: row[1], …})``):
        relationships find their ends through the ``id`` index of each end's label.
    create_by_element:
        For nodes, *create* followed by ``RETURN row[0] AS id, elementId(n) AS
        element``; for relationships, the same ``CREATE`` with both ends
        matched by ``elementId`` instead (``MATCH (a:Paper) WHERE elementId(a)
        = row[0]``), to be run with rows whose first two items are the
        element ids the node statements returned. Only for a server whose
        element ids stay valid after the transaction that created the node
        (ArcadeDB: they are record ids); Neo4j guarantees them within one
        transaction only.
    rows:
        Lists, not maps: ``[id, value, …]`` for nodes, ``[src, dst, value, …]``
        for relationships, the values in the order of the properties in the
        statements (``None`` for a missing one, which is then not stored).
        Positional rows cost the server less than maps (``row.props.`title```):
        on ArcadeDB 26.10, 0.073 against 0.094 ms of server CPU per ``USES``
        relationship and 0.18 against 0.23 per paper (20,000 papers, batches
        alternated on one server).
    target:
        As :func:`load_plan` yields it.
    """

    create: str
    create_by_element: str
    rows: list[list[Any]]
    target: tuple[str, ...]


def create_plan(graph: nx.MultiDiGraph, batch_size: int = 5000) -> Iterator[CreateBatch]:
    """The batches of :func:`load_batches` with ``into_empty=True``, each with its element-id form.

    Matching a relationship's two ends by element id is a direct record read
    instead of two index look-ups: on ArcadeDB 26.10 it took 0.10–0.12 ms of
    server CPU per relationship against 0.22 for the ``id`` index (20,000
    papers, batches alternated on one server).
    """
    for group, rows in _grouped_rows(graph, batch_size, inline=True, positional=True):
        yield CreateBatch(group.create, group.create_by_element, rows, group.target)


@dataclass(frozen=True)
class UpsertBatch:
    """One batch of :func:`upsert_plan`: rows and the two statements that write them.

    Attributes
    ----------
    update:
        ``UNWIND $rows AS row MATCH … SET … += row.props`` — updates the nodes
        (matched on their primary label's ``id``) or relationships (matched on
        both ends' ``id`` and the type) that exist, and returns one row with
        ``matched``: how many of *rows* found theirs.
    create_missing:
        Creates, with every property at once, the nodes or relationships of
        *rows* that do not exist (``OPTIONAL MATCH … WHERE m IS NULL`` for
        nodes, ``WHERE NOT (a)-[:T]->(b)`` for relationships). Needed only when
        ``matched`` is below ``len(rows)``.
    create:
        The first-load statement of the same rows (:func:`load_batches` with
        ``into_empty=True``), for naming the batch.
    rows:
        As :func:`load_batches` yields them.
    target:
        As :func:`load_plan` yields it.
    """

    update: str
    create_missing: str
    create: str
    rows: list[dict[str, Any]]
    target: tuple[str, ...]


def upsert_plan(graph: nx.MultiDiGraph, batch_size: int = 5000) -> Iterator[UpsertBatch]:
    """Idempotent batches for a database that may hold the graph already: update, then create what is missing.

    The same result as the ``MERGE`` statements of :func:`load_batches`, in
    the same order and batches, but written as standard Cypher that every
    engine answers from the ``id`` index of one label: run :attr:`UpsertBatch.update`
    and, only when it matched fewer rows than it was given,
    :attr:`UpsertBatch.create_missing`, both in one transaction. Reloading an
    unchanged graph then runs one index look-up and one property update per
    row and never searches for a node or relationship to create. (On ArcadeDB,
    ``MERGE (n:Concept:Dataset {id: …})`` uses no index at all — 250 rows/s
    at 30,000 concepts against 11,000–27,000 for the ``MATCH (n:Concept {id:
    …})`` of the update — and ``MERGE`` of a relationship searches the
    existing relationships of both ends.)

    A node found by its primary label and ``id`` keeps its labels: a
    concept's second label comes from its kind, which is part of its ``id``.
    """
    for group, rows in _grouped_rows(graph, batch_size, inline=True):
        yield UpsertBatch(group.update, group.create_missing, group.create, rows, group.target)


@dataclass(frozen=True)
class _Group:
    """The statements of one node label set or one relationship type between two labels."""

    target: tuple[str, ...]
    merge: str
    create: str
    create_by_element: str
    update: str
    create_missing: str


def _positional(keys: list[str], first: int) -> list[str]:
    """``["`a`: row[2]", "`b`: row[3]"]`` — the properties of a list row whose values start at *first*."""
    return [f"{_quote(key)}: row[{index}]" for index, key in enumerate(keys, start=first)]


def _node_group(
    label: str, second: str | None, keys: list[str] | None, *, positional: bool = False
) -> _Group:
    labels = f"{label}:{second}" if second else label
    inline = inline_properties(keys) if keys is not None else ""
    if positional and keys is not None:
        properties = "".join(f", {item}" for item in _positional(keys, 1))
        create = f"UNWIND $rows AS row CREATE (n:{labels} {{id: row[0]{properties}}})"
        returning = " RETURN row[0] AS id, elementId(n) AS element"
    else:
        create = f"UNWIND $rows AS row CREATE (n:{labels} {{id: row.id{inline}}})"
        returning = " RETURN row.id AS id, elementId(n) AS element"
    return _Group(
        target=("node", label, second) if second else ("node", label),
        merge=f"UNWIND $rows AS row MERGE (n:{labels} {{id: row.id}}) SET n += row.props",
        create=create,
        create_by_element=create + returning,
        update=(
            f"UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) SET n += row.props "
            "RETURN count(n) AS matched"
        ),
        create_missing=(
            f"UNWIND $rows AS row OPTIONAL MATCH (m:{label} {{id: row.id}}) WITH row WHERE m IS NULL "
            f"CREATE (n:{labels} {{id: row.id{inline}}})"
        ),
    )


def _rel_group(
    rel_type: str, src_label: str, dst_label: str, keys: list[str] | None, *, positional: bool = False
) -> _Group:
    inline = inline_properties(keys).removeprefix(", ") if keys is not None else ""
    match = (
        f"UNWIND $rows AS row MATCH (a:{src_label} {{id: row.src}}) MATCH (b:{dst_label} {{id: row.dst}}) "
    )
    src, dst, created = "row.src", "row.dst", inline
    if positional and keys is not None:
        src, dst, created = "row[0]", "row[1]", ", ".join(_positional(keys, 2))
    return _Group(
        target=("rel", rel_type),
        merge=match + f"MERGE (a)-[r:{rel_type}]->(b) SET r += row.props",
        create=(
            f"UNWIND $rows AS row MATCH (a:{src_label} {{id: {src}}}) MATCH (b:{dst_label} {{id: {dst}}}) "
            f"CREATE (a)-[r:{rel_type} {{{created}}}]->(b)"
        ),
        create_by_element=(
            f"UNWIND $rows AS row MATCH (a:{src_label}) WHERE elementId(a) = {src} "
            f"MATCH (b:{dst_label}) WHERE elementId(b) = {dst} CREATE (a)-[r:{rel_type} {{{created}}}]->(b)"
        ),
        # Counted per row, not per relationship: a pair the database holds twice counts once.
        update=(
            f"UNWIND $rows AS row MATCH (a:{src_label} {{id: row.src}})-[r:{rel_type}]->"
            f"(b:{dst_label} {{id: row.dst}}) SET r += row.props "
            "WITH row.src AS src, row.dst AS dst, count(r) AS found RETURN count(*) AS matched"
        ),
        create_missing=(
            match + f"WHERE NOT (a)-[:{rel_type}]->(b) CREATE (a)-[r:{rel_type} {{{inline}}}]->(b)"
        ),
    )


def _grouped_rows(
    graph: nx.MultiDiGraph, batch_size: int, *, inline: bool, positional: bool = False
) -> Iterator[tuple[_Group, list[Any]]]:
    """Every batch of rows with the statements of its group; see :func:`load_batches` for the order.

    *inline*: compute the property names of each group for the ``CREATE``
    statements (one pass over the group's attributes). *positional* (with
    *inline*): rows are lists — ``[id, value, …]`` or ``[src, dst, value, …]``
    in the order of the group's property names — and only the group's
    ``create`` and ``create_by_element`` statements read them.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")

    node_groups: dict[tuple[str, str | None], list[tuple[str, Any]]] = defaultdict(list)
    node_label: dict[Any, str] = {}
    for node_id, attrs in graph.nodes(data=True):
        label = label_of_node(node_id, attrs)
        node_label[node_id] = label
        kind = attrs.get("kind") if label == Label.CONCEPT else None
        second = str(kind) if kind is not None and str(kind) in CONCEPT_KINDS else None
        node_groups[(label, second)].append((str(node_id), node_id))
    ordered = sorted(node_groups.items(), key=lambda item: (item[0][0], item[0][1] or ""))
    for (label, second), members in ordered:
        schema_props = NODE_PROPERTIES[Label(label)]
        keys = (
            property_keys((graph.nodes[node] for _, node in members), schema_props, STRUCTURAL_NODE_ATTRS)
            if inline
            else None
        )
        group = _node_group(label, second, keys, positional=positional)
        members.sort(key=_first)
        for start in range(0, len(members), batch_size):
            if positional and keys is not None:
                yield group, [
                    [node_key, *(plain_value(graph.nodes[node].get(name)) for name in keys)]
                    for node_key, node in members[start : start + batch_size]
                ]
                continue
            yield (
                group,
                [
                    {"id": node_key,
                     "props": row_properties(graph.nodes[node], schema_props, STRUCTURAL_NODE_ATTRS)}
                    for node_key, node in members[start : start + batch_size]
                ],
            )
        del members[:]

    rel_groups: dict[tuple[str, str, str], list[tuple[str, str, Any, Any, Any]]] = defaultdict(list)
    for src, dst, key, attrs in graph.edges(keys=True, data=True):
        rel_type = type_of_edge(src, dst, key, attrs)
        rel_groups[(rel_type, node_label[src], node_label[dst])].append((str(src), str(dst), src, dst, key))
    del node_label
    adjacency = graph.adj
    for (rel_type, src_label, dst_label), members in sorted(rel_groups.items()):
        schema_props = REL_PROPERTIES[Rel(rel_type)]
        keys = (
            property_keys(
                (adjacency[src][dst][key] for *_, src, dst, key in members),
                schema_props,
                STRUCTURAL_EDGE_ATTRS,
            )
            if inline
            else None
        )
        group = _rel_group(rel_type, src_label, dst_label, keys, positional=positional)
        members.sort(key=_first_two)
        for start in range(0, len(members), batch_size):
            if positional and keys is not None:
                yield group, [
                    [src_key, dst_key, *(plain_value(adjacency[src][dst][key].get(name)) for name in keys)]
                    for src_key, dst_key, src, dst, key in members[start : start + batch_size]
                ]
                continue
            yield (
                group,
                [
                    {
                        "src": src_key,
                        "dst": dst_key,
                        "props": row_properties(
                            adjacency[src][dst][key], schema_props, STRUCTURAL_EDGE_ATTRS),
                    }
                    for src_key, dst_key, src, dst, key in members[start : start + batch_size]
                ],
            )
        del members[:]


def property_keys(
    attr_dicts: Iterator[Mapping[str, Any]], schema_props: tuple[str, ...], structural: frozenset[str]
) -> list[str]:
    """Every property name rows of a group can carry: the schema's, then extra attributes, sorted."""
    extra: set[str] = set()
    for attrs in attr_dicts:
        extra.update(name for name in attrs if name not in structural)
    known = [name for name in schema_props if name != "id"]
    return known + sorted(extra - set(known) - {"id"})


def inline_properties(keys: list[str]) -> str:
    """``, `a`: row.props.`a`, …`` — each property set at creation, so the record is written once."""
    return "".join(f", {_quote(key)}: row.props.{_quote(key)}" for key in keys)


def _quote(name: str) -> str:
    """*name* as a backtick-quoted Cypher name (backticks inside doubled)."""
    return "`" + name.replace("`", "``") + "`"


def _first(item: tuple[Any, ...]) -> Any:
    return item[0]


def _first_two(item: tuple[Any, ...]) -> tuple[Any, Any]:
    return item[0], item[1]


def graph_counts(graph: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type of *graph*, to compare with an engine's counts."""
    nodes: dict[str, int] = defaultdict(int)
    for node_id, attrs in graph.nodes(data=True):
        nodes[label_of_node(node_id, attrs)] += 1
    rels: dict[str, int] = defaultdict(int)
    for src, dst, key, attrs in graph.edges(keys=True, data=True):
        rels[type_of_edge(src, dst, key, attrs)] += 1
    return dict(sorted(nodes.items())), dict(sorted(rels.items()))


def plain_value(value: Any) -> Any:
    """A property value both engines store: a scalar, or a list of scalars of one type.

    ``None``, ``bool``, ``int``, ``float`` and ``str`` pass unchanged; lists,
    tuples and sets become lists (sets sorted); a list mixing types becomes a
    list of strings; maps and nested lists — which Neo4j cannot store as
    properties — become JSON text; anything else becomes its ``str()``.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        if any(isinstance(item, list | tuple | set | frozenset | Mapping) for item in items):
            return json.dumps(items, sort_keys=True, default=str, ensure_ascii=False)
        items = [item for item in items if item is not None]
        kinds = {_scalar_kind(item) for item in items}
        if len(kinds) > 1 or kinds - {"bool", "number", "str"}:
            return [str(item) for item in items]
        return items
    if isinstance(value, Mapping):
        return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return str(value)


def _scalar_kind(item: Any) -> str:
    if isinstance(item, bool):
        return "bool"
    if isinstance(item, int | float):
        return "number"
    if isinstance(item, str):
        return "str"
    return "other"


def row_properties(
    attrs: Mapping[str, Any], schema_props: tuple[str, ...], structural: frozenset[str]
) -> dict[str, Any]:
    """Schema properties (``None`` when absent) plus any extra attributes, converted to plain values."""
    props = {name: plain_value(attrs.get(name)) for name in schema_props if name != "id"}
    for name, value in attrs.items():
        if name not in props and name != "id" and name not in structural:
            props[name] = plain_value(value)
    return props


def label_of_node(node_id: Any, attrs: Mapping[str, Any]) -> str:
    """The schema label of a node (``Paper``, ``Concept``, ``Repo``); ``ValueError`` if it has none."""
    label = attrs.get("label")
    if label is None or str(label) not in NODE_PROPERTIES:
        raise ValueError(f"node {node_id!r} has no known label (label={label!r})")
    return str(label)


def type_of_edge(src: Any, dst: Any, key: Any, attrs: Mapping[str, Any]) -> str:
    """The relationship type of an edge (its ``type``, else its key); ``ValueError`` if it has none."""
    rel_type = attrs.get("type", key)
    if rel_type is None or str(rel_type) not in REL_PROPERTIES:
        raise ValueError(f"edge {src!r} -> {dst!r} has no known type (type={rel_type!r})")
    return str(rel_type)


def _check_dialect(dialect: str) -> None:
    if dialect not in DIALECTS:
        raise ValueError(f"unknown Cypher dialect {dialect!r}; expected one of {', '.join(DIALECTS)}")
