"""The embedded Cypher engine: ArcadeDB running in this process, holding a copy of the saved graph.

No server and no Docker: ``pip install`` brings the engine (ArcadeDB, with its
own Java runtime, driven through JPype). Everything it writes lives in the
graph directory::

    <graph dir>/engine/
        db/                      the ArcadeDB database (a disposable copy of the saved graph)
        fingerprint              fingerprint of the saved graph the database was built from
        log/                     the engine's log (arcadedb.log.*) and JVM crash reports
        arcadedb-log.properties  logging configuration written on first start

The saved graph (``kg build``) is the source of truth. On opening, the
fingerprint of the saved graph is compared with the one recorded next to the
database; when they differ (or there is no database yet) the database is
rebuilt from the saved graph — into a temporary directory, swapped in only when
complete — so queries always see the graph as last saved.

The Java VM starts once per process (about a second) and cannot be restarted;
its maximum heap comes from ``$KG_ENGINE_HEAP`` (default ``2g``: a ceiling the
JVM grows towards as it allocates, see ``_DEFAULT_HEAP``). Open databases are
closed on normal exit (``atexit``) and on Ctrl-C (a ``KeyboardInterrupt``
unwinds through :meth:`EmbeddedBackend.close`); the database's file lock is
released by the operating system if the process is killed outright, so the
next open works either way.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import threading
import time
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import networkx as nx

from kg.cypher.backend import CypherError, LoadStats, QueryResult
from kg.cypher.columns import return_columns
from kg.cypher.guard import ensure_read_only
from kg.cypher.load import (
    CONCEPT_KINDS,
    STRUCTURAL_EDGE_ATTRS,
    STRUCTURAL_NODE_ATTRS,
    graph_counts,
    inline_properties,
    label_of_node,
    load_batches,
    plain_value,
    property_keys,
    row_properties,
    schema_statements,
    type_of_edge,
)
from kg.cypher.values import node_value, path_value, relationship_value
from kg.schema import NODE_PROPERTIES, REL_PROPERTIES, Label, Rel

__all__ = ["ENGINE_DIR", "EmbeddedBackend", "engine_heap", "graph_fingerprint_of"]

#: Sub-directory of the graph directory that belongs to the embedded engine.
ENGINE_DIR: Final[str] = "engine"
_DB_DIR: Final[str] = "db"
_FINGERPRINT_FILE: Final[str] = "fingerprint"
_LANGUAGE: Final[str] = "opencypher"
#: Default maximum Java heap. The JVM grows its heap towards the ceiling while the rebuild allocates, so
#: the ceiling sets the rebuild's peak: streaming the 100k-abstract graph (886,714 rows) peaked at 2,297 MiB
#: with ``4g``, 1,406 MiB with ``2g`` and 1,068 MiB with ``1g``, at the same CPU time within noise
#: (113-126 CPU s on a shared machine; docs/PERFORMANCE.md). ``2g`` keeps a 512 MB page cache (a quarter
#: of the heap) for queries.
_DEFAULT_HEAP: Final[str] = "2g"
#: Vertices per transaction when rebuilding from the saved graph. Measured on the 100k-abstract graph with
#: the streamed rebuild (record API) and a ``2g`` heap: 20,000 records took more CPU (147 against 117 s) and
#: memory (1,681 against 1,406 MiB) than 5,000 (larger transactions hold more modified pages in the heap).
_REBUILD_BATCH: Final[int] = 5_000
#: Edges the engine's bulk graph writer buffers before writing them (one transaction per flush) in a rebuild.
_REBUILD_EDGE_BATCH: Final[int] = 5_000

_open_backends: weakref.WeakSet[EmbeddedBackend] = weakref.WeakSet()
#: Open live databases by path: ``[database, number of backends using it]``.
_shared_databases: dict[Path, list[Any]] = {}
_jvm_lock = threading.RLock()


def engine_heap() -> str:
    """Maximum Java heap for the engine: ``$KG_ENGINE_HEAP`` (e.g. ``512m``, ``4g``) or ``2g``."""
    heap = os.environ.get("KG_ENGINE_HEAP", "").strip() or _DEFAULT_HEAP
    if not re.fullmatch(r"\d+[kKmMgG]?", heap):
        raise CypherError(f"KG_ENGINE_HEAP must look like 512m or 4g, got {heap!r}")
    return heap


def graph_fingerprint_of(graph_dir: Path) -> str:
    """Fingerprint of the graph saved in *graph_dir* (changes whenever the saved graph changes).

    Raises
    ------
    CypherError
        *graph_dir* holds no valid saved graph (the message says how to build one).
    """
    from kg.graph.persistence import GraphFileError, graph_fingerprint

    try:
        return graph_fingerprint(graph_dir)
    except GraphFileError as error:
        raise CypherError(str(error)) from None


class EmbeddedBackend:
    """A :class:`~kg.cypher.backend.CypherBackend` on ArcadeDB embedded, kept in step with a saved graph.

    Parameters
    ----------
    graph_dir
        A directory written by ``kg build``. The engine's files go to
        ``<graph_dir>/engine/``.
    refresh
        Rebuild the engine database when the saved graph changed (default).
        With ``False`` an existing database is used as it is, and a missing
        one is created empty (for loading a graph with :meth:`load_graph`).

    Raises
    ------
    CypherError
        No saved graph (with ``refresh=True``), the database is in use by
        another process, or the engine cannot start.

    Examples
    --------
    >>> with EmbeddedBackend("kg-out") as backend:  # doctest: +SKIP
    ...     backend.run("MATCH (p:Paper) RETURN count(p) AS papers").rows
    [[386]]
    """

    dialect = "arcadedb"

    def __init__(self, graph_dir: str | os.PathLike[str], *, refresh: bool = True) -> None:
        self.graph_dir = Path(graph_dir)
        self.engine_dir = self.graph_dir / ENGINE_DIR
        self._db: Any = None
        #: True when opening rebuilt the database from the saved graph.
        self.rebuilt = False
        #: What the last rebuild loaded (``None`` if the database was up to date).
        self.last_load: LoadStats | None = None
        self._live = (self.engine_dir / _DB_DIR).resolve()
        if refresh:
            fingerprint = graph_fingerprint_of(self.graph_dir)
            self.engine_dir.mkdir(parents=True, exist_ok=True)
            with _rebuild_lock(self.engine_dir):
                if self._recorded_fingerprint() != fingerprint or not self._live.is_dir():
                    self._rebuild(fingerprint)
                self._db = self._open_shared()
        else:
            self.engine_dir.mkdir(parents=True, exist_ok=True)
            self._db = self._open_shared()
        _open_backends.add(self)

    # -- the CypherBackend protocol ---------------------------------------------------------------

    def run(self, query: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        """Run one Cypher statement; results as plain Python values in column order.

        Read-only unless ``write=True`` (a write clause is refused by
        :func:`kg.cypher.guard.ensure_read_only` before the engine sees it, and
        reads go through the engine's read-only entry point as well). Values
        reach the engine only as parameters.

        Raises
        ------
        CypherError
            A refused write, or an error from the engine, as one readable line.
        """
        db = self._require_open()
        if not write:
            ensure_read_only(query)
        args = (dict(params),) if params else ()
        try:
            if write:
                with db.transaction():
                    result = db.command(_LANGUAGE, query, *args)
                    rows = result.to_list() if result is not None else []
            else:
                rows = db.query(_LANGUAGE, query, *args).to_list()
        except Exception as error:  # the engine wraps every Java error in ArcadeDBError
            raise CypherError(engine_error_line(error)) from error
        return _to_result(query, rows)

    def run_many(self, statements: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
        """Run write statements in one transaction: all of them, or none if one fails."""
        db = self._require_open()
        try:
            with db.transaction():
                for statement, params in statements:
                    if params:
                        db.command(_LANGUAGE, statement, dict(params))
                    else:
                        db.command(_LANGUAGE, statement)
        except Exception as error:
            raise CypherError(engine_error_line(error)) from error

    def load_graph(self, graph: nx.MultiDiGraph, *, batch_size: int = 5000) -> LoadStats:
        """Idempotently upsert *graph*: constraints and indexes first, then one transaction per batch.

        Returns
        -------
        LoadStats
            Node and relationship counts per label/type found in the engine
            afterwards, rows sent and seconds taken.
        """
        return self._load(graph, batch_size=batch_size)

    def _load(self, graph: nx.MultiDiGraph, *, batch_size: int) -> LoadStats:
        """:meth:`load_graph`: the idempotent ``MERGE`` batches of :func:`load_batches`."""
        self._require_open()
        started = time.perf_counter()
        self._create_schema()
        rows_sent = 0
        for statement, rows in load_batches(graph, batch_size=batch_size):
            self.run_many([(statement, {"rows": rows})])
            rows_sent += len(rows)
        nodes, rels = graph_counts(graph)
        stats = LoadStats(
            nodes={label: self._count(f"MATCH (n:{label}) RETURN count(n) AS n") for label in nodes},
            relationships={t: self._count(f"MATCH ()-[r:{t}]->() RETURN count(r) AS n") for t in rels},
            rows_sent=rows_sent,
        )
        stats.seconds = time.perf_counter() - started
        return stats

    def _load_saved(self, batch_size: int, edge_batch: int) -> LoadStats:
        """Stream the saved graph into this just-created database; what the engine holds afterwards.

        The saved ``graph.json`` is read one node or edge at a time
        (:func:`kg.graph.persistence.iter_saved`) and written as it is read, so
        memory holds one batch of vertices or edges, the engine's bulk writer
        state and the id → record id map of the nodes, never a networkx graph
        of the whole file. Vertices are created *batch_size* per transaction,
        edges written *edge_batch* per flush. What queries see is exactly what
        :func:`kg.cypher.load.load_batches` with ``into_empty=True`` creates
        (see :class:`_SavedGraphWriter`). The counts per label and type are
        read back from the engine and must equal those streamed.

        Raises
        ------
        CypherError
            The saved graph is missing, corrupt (the message names the file,
            and the line where known) or holds an unknown label or type; or
            the engine failed.
        """
        from kg.graph.persistence import GRAPH_FILE, GraphFileError, iter_saved

        db = self._require_open()
        started = time.perf_counter()
        self._create_schema()
        path = self.graph_dir / GRAPH_FILE
        writer = _SavedGraphWriter(db, batch_size, path, edge_batch)
        try:
            for kind, key, attrs in iter_saved(self.graph_dir, share_values=False):
                if kind == "node":
                    writer.node(key, attrs)
                elif kind == "edge":
                    writer.edge(*key, attrs)
            writer.finish()
        except GraphFileError as error:
            writer.abort()
            raise CypherError(str(error)) from None
        except ValueError as error:  # an unknown label or relationship type
            writer.abort()
            raise CypherError(f"{path}: {error}") from None
        except CypherError:
            writer.abort()
            raise
        except Exception as error:  # the engine wraps every Java error in ArcadeDBError
            writer.abort()
            raise CypherError(engine_error_line(error)) from error
        except BaseException:  # Ctrl-C: hand the bulk writer's slot back before the database is closed
            writer.abort()
            raise
        stats = LoadStats(
            nodes={
                label: self._count(f"MATCH (n:{label}) RETURN count(n) AS n")
                for label in sorted(writer.node_counts)
            },
            relationships={
                t: self._count(f"MATCH ()-[r:{t}]->() RETURN count(r) AS n")
                for t in sorted(writer.rel_counts)
            },
            rows_sent=writer.rows_sent,
        )
        if stats.nodes != dict(sorted(writer.node_counts.items())) or stats.relationships != dict(
            sorted(writer.rel_counts.items())
        ):
            raise CypherError(
                f"the engine holds {stats.nodes} nodes and {stats.relationships} relationships after loading "
                f"{dict(writer.node_counts)} and {dict(writer.rel_counts)} from {path}"
            )
        stats.seconds = time.perf_counter() - started
        return stats

    def _create_schema(self) -> None:
        """Constraints and indexes of :func:`schema_statements`, each in its own transaction."""
        for statement in schema_statements(self.dialect):
            self.run_many([(statement, {})])

    def close(self) -> None:
        """Close this backend (idempotent). The JVM stays up for the rest of the process.

        Backends on the same graph directory in one process share one open
        database; it is closed when the last of them closes.
        """
        db, self._db = self._db, None
        _open_backends.discard(self)
        if db is None:
            return
        with _jvm_lock:
            entry = _shared_databases.get(self._live)
            if entry is not None and entry[0] is db:
                entry[1] -= 1
                if entry[1] > 0:
                    return
                del _shared_databases[self._live]
        with contextlib.suppress(Exception):
            db.close()

    # -- context manager ----------------------------------------------------------------------------

    def __enter__(self) -> EmbeddedBackend:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------------------

    def _require_open(self) -> Any:
        if self._db is None:
            raise CypherError(f"the engine for {self.graph_dir} is closed")
        return self._db

    def _count(self, query: str) -> int:
        return int(self.run(query).rows[0][0])

    def _recorded_fingerprint(self) -> str | None:
        try:
            return (self.engine_dir / _FINGERPRINT_FILE).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None

    def _open_shared(self) -> Any:
        """The live database, opened once per process and shared by every backend on this graph."""
        with _jvm_lock:
            entry = _shared_databases.get(self._live)
            if entry is not None:
                entry[1] += 1
                return entry[0]
        db = self._open_database(self._live)
        with _jvm_lock:
            _shared_databases[self._live] = [db, 1]
        return db

    def _rebuild(self, fingerprint: str) -> None:
        """Build a fresh database from the saved graph next to the live one, then swap it in."""
        if self._live in _shared_databases:
            raise CypherError(
                f"the graph in {self.graph_dir} changed while its engine is open in this process; "
                "close the other backend first"
            )
        for stale in self.engine_dir.glob(f"{_DB_DIR}.*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by an interrupted rebuild
        building = self.engine_dir / f"{_DB_DIR}.building-{os.getpid()}"
        self._db = self._open_database(building, create=True)
        try:
            self.last_load = self._load_saved(_REBUILD_BATCH, _REBUILD_EDGE_BATCH)
        except BaseException:
            self.close()
            shutil.rmtree(building, ignore_errors=True)
            raise
        self.close()
        live = self.engine_dir / _DB_DIR
        fingerprint_file = self.engine_dir / _FINGERPRINT_FILE
        fingerprint_file.unlink(missing_ok=True)
        if live.exists():
            retired = self.engine_dir / f"{_DB_DIR}.retired-{os.getpid()}"
            os.replace(live, retired)
            shutil.rmtree(retired, ignore_errors=True)
        os.replace(building, live)
        tmp = fingerprint_file.with_name(f"{_FINGERPRINT_FILE}.tmp-{os.getpid()}")
        tmp.write_text(fingerprint + "\n", encoding="utf-8")
        os.replace(tmp, fingerprint_file)
        self.rebuilt = True

    def _open_database(self, path: Path, *, create: bool = False) -> Any:
        arcadedb = _start_engine(self.engine_dir)
        try:
            if create or not arcadedb.database_exists(str(path)):
                return arcadedb.create_database(str(path))
            return arcadedb.open_database(str(path))
        except Exception as error:
            line = engine_error_line(error)
            if "locked" in line.lower():
                line = f"the engine database {path} is in use by another process ({line})"
            raise CypherError(line) from error


class _SavedGraphWriter:
    """Writes the nodes and edges of a saved graph, in file order, into a just-created database.

    The result is what :func:`kg.cypher.load.load_batches` with
    ``into_empty=True`` creates: the same records with the same property
    values and Java value types (the loader's own property conversion, see
    :func:`_record_args`). The first row of each node group (label, concept
    kind) and relationship group (type, end labels) goes through the
    group's ``CREATE`` statement, so the engine makes its types exactly as
    Cypher does — e.g. ``Concept:Dataset`` a type ``Concept~Dataset``
    extending ``Concept`` and ``Dataset`` —; every other row goes through the
    engine's bulk graph writer (``GraphBatch``), with ``null`` properties
    left out as ``CREATE`` leaves them out:

    * vertices are collected per engine type and created with one
      ``createVertices(type, rows)`` call per type and batch (one crossing
      into Java per batch instead of three per vertex); the file lists nodes
      sorted by id, so every type receives its vertices — and record ids —
      in the order :func:`load_batches` sends them;
    * edges are handed to the writer one call each (source and target as the
      record ids noted when the vertices were created) and written by it per
      *edge_batch* edges: edge records first, then every source vertex's
      outgoing list in one sorted pass, and the incoming lists — the hub
      concepts' long ones included — in one sorted pass when the writer is
      closed, instead of one update of both ends' lists per edge. Edges stay
      bidirectional (Cypher traverses incoming edges) and are never
      "light" (every relationship is a record, as ``CREATE`` makes it).

    What queries cannot see differs from a database built by ``CREATE``:
    edge records are placed in their type's buckets by the bulk writer, and
    the order of the edges in a vertex's edge list is the writer's; no query
    result depends on either without an ``ORDER BY`` on something else.

    The writer runs its own transactions (one per vertex batch, one per edge
    flush) without the write-ahead log: the database is built beside the
    live one and replaces it only once complete, so a crash loses nothing.
    It is closed (its pending work written) before every ``CREATE`` of a
    group's first row, so the two never touch the same vertex at once.
    """

    def __init__(self, db: Any, batch_size: int, path: Path, edge_batch: int | None = None) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        import jpype

        self.db = db
        self.java_db = db._java_db
        self.schema = self.java_db.getSchema()
        self.batch_size = batch_size
        self.edge_batch = edge_batch or batch_size
        self.path = path
        #: Label of every node written, by node id (edges need both ends' labels for their group).
        self.labels: dict[str, str] = {}
        #: Record id of every node written, by node id.
        self.rids: dict[str, Any] = {}
        #: Engine type of each node group, or ``""`` where the engine named it otherwise (rows go as Cypher).
        self.node_types: dict[tuple[str, str | None], str] = {}
        self.node_statements: dict[tuple[str, str | None], str] = {}
        self.edge_groups: set[tuple[str, str, str]] = set()
        self.node_counts: Counter[str] = Counter()
        self.rel_counts: Counter[str] = Counter()
        self.rows_sent = 0
        self._batch: Any = None  # the engine's GraphBatch while one is open
        self._vertex_rows: dict[str, list[list[Any]]] = defaultdict(list)  # per engine type: [name, value, …]
        self._vertex_ids: dict[str, list[str]] = defaultdict(list)
        self._pending = 0  # vertices collected and not yet created
        self._cypher_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._rows_type = jpype.JArray(jpype.JObject, 2)
        self._args_type = jpype.JArray(jpype.JObject)
        self._node_specs = {
            label: _property_spec(props, STRUCTURAL_NODE_ATTRS) for label, props in NODE_PROPERTIES.items()
        }
        self._edge_specs = {
            rel: _property_spec(props, STRUCTURAL_EDGE_ATTRS) for rel, props in REL_PROPERTIES.items()
        }

    def node(self, node_id: Any, attrs: dict[str, Any]) -> None:
        """Write one node of the saved graph (created with the next batch of its type)."""
        label = label_of_node(node_id, attrs)
        if node_id in self.labels:
            raise CypherError(f"{self.path} is corrupt: node {node_id!r} is listed twice")
        self.labels[node_id] = label
        kind = attrs.get("kind") if label == Label.CONCEPT else None
        second = str(kind) if kind is not None and str(kind) in CONCEPT_KINDS else None
        group = (label, second)
        self.node_counts[label] += 1
        self.rows_sent += 1
        type_name = self.node_types.get(group)
        if type_name is None:  # the group's first row: CREATE makes the type
            schema_props = NODE_PROPERTIES[Label(label)]
            row = {"id": str(node_id), "props": row_properties(attrs, schema_props, STRUCTURAL_NODE_ATTRS)}
            labels = f"{label}:{second}" if second else label
            keys = property_keys(iter((attrs,)), schema_props, STRUCTURAL_NODE_ATTRS)
            statement = f"UNWIND $rows AS row CREATE (n:{labels} {{id: row.id{inline_properties(keys)}}})"
            self._cypher_alone(statement, row)
            candidate = "~".join(sorted(filter(None, (label, second))))
            self.node_types[group] = candidate if self.schema.existsType(candidate) else ""
            self.node_statements[group] = statement
            return
        if type_name:
            self._vertex_rows[type_name].append(
                ["id", str(node_id), *_record_args(attrs, self._node_specs[label])]
            )
            self._vertex_ids[type_name].append(node_id)
        else:  # an engine naming its types otherwise: the group's rows go through its statement
            schema_props = NODE_PROPERTIES[Label(label)]
            row = {"id": str(node_id), "props": row_properties(attrs, schema_props, STRUCTURAL_NODE_ATTRS)}
            self._cypher_rows[self.node_statements[group]].append(row)
        self._pending += 1
        if self._pending >= self.batch_size:
            self._create_vertices()

    def edge(self, source: Any, target: Any, key: Any, attrs: dict[str, Any]) -> None:
        """Write one edge of the saved graph (both ends already written)."""
        rel_type = type_of_edge(source, target, key, attrs)
        source_label = self.labels.get(source)
        target_label = self.labels.get(target)
        if source_label is None or target_label is None:
            raise CypherError(f"{self.path} is corrupt: an edge names a node that is not in the file")
        self.rel_counts[rel_type] += 1
        self.rows_sent += 1
        group = (rel_type, source_label, target_label)
        if group not in self.edge_groups:  # the group's first row: CREATE makes the type
            self.edge_groups.add(group)
            schema_props = REL_PROPERTIES[Rel(rel_type)]
            props = row_properties(attrs, schema_props, STRUCTURAL_EDGE_ATTRS)
            keys = property_keys(iter((attrs,)), schema_props, STRUCTURAL_EDGE_ATTRS)
            statement = (
                f"UNWIND $rows AS row MATCH (a:{source_label} {{id: row.src}}) "
                f"MATCH (b:{target_label} {{id: row.dst}}) "
                f"CREATE (a)-[r:{rel_type} {{{inline_properties(keys).removeprefix(', ')}}}]->(b)"
            )
            self._cypher_alone(statement, {"src": str(source), "dst": str(target), "props": props})
            return
        if self._pending:
            self._create_vertices()
        args = _record_args(attrs, self._edge_specs[rel_type])
        self._open_batch().newEdge(self._rid(source), rel_type, self._rid(target), self._args_type(args))

    def finish(self) -> None:
        """Write what is still collected or buffered, and close the bulk writer."""
        self._close_batch()

    def abort(self) -> None:
        """Drop what is collected or buffered, and roll back an open transaction (after a failure)."""
        self._vertex_rows.clear()
        self._vertex_ids.clear()
        self._cypher_rows.clear()
        self._pending = 0
        batch, self._batch = self._batch, None
        if batch is not None:
            with contextlib.suppress(Exception):
                batch.abandon()
        with contextlib.suppress(Exception):
            if self.db.is_transaction_active():
                self.db.rollback()

    # -- internals --

    def _open_batch(self) -> Any:
        """The engine's bulk graph writer, opened on first use."""
        if self._batch is None:
            self._batch = (
                self.java_db.batch()
                .withBatchSize(self.edge_batch)
                .withBidirectional(True)
                .withLightEdges(False)
                .withWAL(False)
                # without the log the writer would otherwise commit the incoming-list pass and the update of
                # every vertex's list heads at close in one transaction, holding every page they touch
                .withCommitEvery(self.edge_batch)
                .withParallelFlush(False)  # two cores, shared: the flush runs on this thread
                .withCommitRetries(0)  # a local database: nothing to retry
                .build()
            )
        return self._batch

    def _close_batch(self) -> None:
        """Create the collected vertices, then close the bulk writer (writing its buffered edges)."""
        self._create_vertices()
        batch, self._batch = self._batch, None
        if batch is not None:
            batch.close()

    def _create_vertices(self) -> None:
        """Create the collected vertices, one transaction per engine type, and note their record ids."""
        for type_name, rows in self._vertex_rows.items():
            if rows:
                rids = self._open_batch().createVertices(type_name, self._rows_type(rows))
                self.rids.update(zip(self._vertex_ids[type_name], rids, strict=True))
                rows.clear()
                self._vertex_ids[type_name].clear()
        if self._cypher_rows:
            batch, self._batch = self._batch, None
            if batch is not None:
                batch.close()
            for statement, rows in self._cypher_rows.items():
                with self.db.transaction():
                    self.db.command(_LANGUAGE, statement, {"rows": rows})
            self._cypher_rows.clear()
        self._pending = 0

    def _cypher_alone(self, statement: str, row: dict[str, Any]) -> None:
        """Run *statement* for one *row* in its own transaction, after writing what is collected."""
        self._close_batch()
        with self.db.transaction():
            self.db.command(_LANGUAGE, statement, {"rows": [row]})

    def _rid(self, node_id: str) -> Any:
        """The record id of *node_id*: noted on creation, or looked up (rows written by Cypher)."""
        rid = self.rids.get(node_id)
        if rid is None:
            label = self.labels[node_id]
            result = self.java_db.query(
                _LANGUAGE, f"MATCH (n:{label} {{id: $id}}) RETURN n", {"id": str(node_id)}
            )
            try:
                rid = self.rids[node_id] = result.next().getProperty("n").getIdentity()
            finally:
                result.close()
        return rid


#: What :func:`_record_args` needs of a label or type: its schema properties (without ``id``) in schema
#: order, the names that are not extra attributes, and the structural attributes.
_PropertySpec = tuple[tuple[str, ...], frozenset[str], frozenset[str]]
#: Values that :func:`kg.cypher.load.plain_value` returns unchanged.
_PLAIN_TYPES: Final[frozenset[type]] = frozenset({str, int, float, bool})


def _property_spec(schema_props: tuple[str, ...], structural: frozenset[str]) -> _PropertySpec:
    keys = tuple(name for name in schema_props if name != "id")
    return keys, frozenset(keys) | {"id"}, structural


def _record_args(attrs: Mapping[str, Any], spec: _PropertySpec) -> list[Any]:
    """``[name, value, …]`` of a record: the non-null values of ``row_properties(attrs, …)``, in its order.

    The same names, order and values as :func:`kg.cypher.load.row_properties`
    followed by dropping ``null`` values (what ``CREATE`` stores), with lists
    as Java lists — without building the intermediate dictionary, and calling
    :func:`~kg.cypher.load.plain_value` only for values it would change
    (every value in the saved graph is plain but lists).
    """
    keys, known, structural = spec
    args: list[Any] = []
    for name in keys:
        value = attrs.get(name)
        if value is None:
            continue
        if type(value) not in _PLAIN_TYPES:
            value = _java_value(plain_value(value))
        args.append(name)
        args.append(value)
    if len(attrs) > len(keys):  # possibly attributes outside the schema (or structural ones)
        for name, value in attrs.items():
            if value is None or name in known or name in structural:
                continue
            if type(value) not in _PLAIN_TYPES:
                value = _java_value(plain_value(value))
                if value is None:
                    continue
            args.append(name)
            args.append(value)
    return args


def _java_value(value: Any) -> Any:
    """A plain property value as the engine stores it from a parameter: lists as Java lists."""
    if isinstance(value, list):
        from arcadedb_embedded.type_conversion import convert_python_to_java

        return convert_python_to_java(value)
    return value


def _start_engine(engine_dir: Path) -> Any:
    """Import ArcadeDB and start its JVM once per process, with logs under *engine_dir*/log."""
    with _jvm_lock:
        import jpype

        if jpype.isJVMStarted():
            import arcadedb_embedded

            return arcadedb_embedded
        log_dir = (engine_dir / "log").resolve()
        log_dir.mkdir(parents=True, exist_ok=True)
        properties = engine_dir.resolve() / "arcadedb-log.properties"
        pattern = str(log_dir / "arcadedb.log").replace("%", "%%")
        properties.write_text(
            "handlers = java.util.logging.FileHandler\n"
            ".level = INFO\n"
            "com.arcadedb.level = INFO\n"
            "java.util.logging.FileHandler.level = INFO\n"
            f"java.util.logging.FileHandler.pattern = {_escape_properties(pattern)}\n"
            "java.util.logging.FileHandler.formatter = com.arcadedb.log.LogFormatter\n"
            "java.util.logging.FileHandler.limit = 10000000\n"
            "java.util.logging.FileHandler.count = 2\n",
            encoding="utf-8",
        )
        os.environ.setdefault("ARCADEDB_JVM_ERROR_FILE", str(log_dir / "hs_err_pid%p.log"))
        import arcadedb_embedded
        from arcadedb_embedded.jvm import start_jvm

        try:
            with _stderr_silenced():  # the JVM prints a warning about incubator modules on start
                start_jvm(
                    heap_size=engine_heap(),
                    jvm_args=[f"-Djava.util.logging.config.file={properties}"],
                    interrupt=False,
                )
        except Exception as error:
            raise CypherError(f"the embedded engine could not start: {engine_error_line(error)}") from error
        # Registered after the JVM started, so it runs before JPype's own exit hook shuts the JVM down.
        atexit.register(_close_all)
        return arcadedb_embedded


@contextlib.contextmanager
def _rebuild_lock(engine_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<engine dir>/rebuild.lock`` so two processes never rebuild at once."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no inter-process lock available
        yield
        return
    with open(engine_dir / "rebuild.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _escape_properties(value: str) -> str:
    """*value* escaped for a Java ``.properties`` file (backslashes and separators)."""
    return value.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=")


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null for the duration (for output written by native code)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


_JAVA_PREFIX = re.compile(r"^(?:[a-z_$][\w$]*\.)+([A-Z][\w$]*)(?:Exception|Error):\s*")
_WRAPPERS = re.compile(r"^(?:Query failed|Command failed|Reading the result set failed|Failed to [\w ]+):\s*")


def engine_error_line(error: BaseException) -> str:
    """One readable line for an engine error: no Java class names, no stack, no ``caused by`` chain."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    text = _WRAPPERS.sub("", text)
    text = re.sub(r"\s*\(caused by [^)]*\)\s*$", "", text)
    match = _JAVA_PREFIX.match(text)
    if match:
        kind = match.group(1)
        text = text[match.end() :]
        if kind not in ("CommandParsing", "Command", "Database", "Query"):
            words = re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()
            text = f"{words}: {text}"
    return text or "the engine reported an error without a message"


# -- results ----------------------------------------------------------------------------------------


def _to_result(query: str, rows: list[dict[str, Any]]) -> QueryResult:
    columns = list(rows[0]) if rows else return_columns(query)
    return QueryResult(
        columns=columns, rows=[[_plain(row.get(column)) for column in columns] for row in rows]
    )


_JAVA_TYPES: dict[str, Any] = {}


def _java(name: str) -> Any:
    if name not in _JAVA_TYPES:
        import jpype

        _JAVA_TYPES[name] = jpype.JClass(name)
    return _JAVA_TYPES[name]


def _plain(value: Any) -> Any:
    """A result value as plain Python: graph elements as in :mod:`kg.cypher.values`, containers unwrapped."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(item) for item in value), key=repr)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if not hasattr(value, "getClass"):
        return value
    from arcadedb_embedded.type_conversion import convert_java_to_python

    if isinstance(value, _java("com.arcadedb.graph.Edge")):
        return relationship_value(
            str(value.getTypeName()),
            _plain(convert_java_to_python(value.getOutVertex().get("id"))),
            _plain(convert_java_to_python(value.getInVertex().get("id"))),
            _properties(value),
        )
    if isinstance(value, _java("com.arcadedb.graph.Vertex")):
        return node_value(str(value.getTypeName()).split("~"), _properties(value))
    if isinstance(value, _java("com.arcadedb.database.Document")):
        return _properties(value)
    if hasattr(value, "getVertices") and hasattr(value, "getEdges"):
        return path_value([_plain(v) for v in value.getVertices()], [_plain(e) for e in value.getEdges()])
    converted = convert_java_to_python(value)
    if converted is value:
        return str(value)
    return _plain(converted)


def _properties(document: Any) -> dict[str, Any]:
    from arcadedb_embedded.type_conversion import convert_java_to_python

    return {
        str(name): _plain(convert_java_to_python(document.get(name))) for name in document.getPropertyNames()
    }


def _close_all() -> None:
    """Close every backend still open when the interpreter exits (before JPype shuts the JVM down)."""
    for backend in list(_open_backends):
        backend.close()
