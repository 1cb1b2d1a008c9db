"""The graph in Neo4j (or any Bolt server) through the official ``neo4j`` driver.

:class:`Neo4jBackend` implements :class:`~kg.cypher.backend.CypherBackend`:
read queries run in managed read transactions after the read-only guard, the
loader sends the batched ``UNWIND $rows AS row …`` statements of
:mod:`kg.cypher.load` in managed write transactions, and every driver failure surfaces as a
:class:`~kg.cypher.backend.CypherError` whose ``str()`` is one readable line.

Connecting retries with exponential back-off while the server is "not up yet"
(nothing listening, still starting, database unavailable) for a bounded time;
wrong credentials fail at once.

Server flavour
--------------
The same driver also talks to ArcadeDB's Bolt endpoint, which announces
``Neo4j/5.26.0 compatible (ArcadeDB …)``. It runs every statement of the
loader and the query library, but has no ``db.awaitIndexes`` procedure. The
flavour read from the server agent selects the few statements that differ
(:data:`AFTER_SCHEMA`); everything else is one text for both.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import neo4j
import networkx as nx
from neo4j import exceptions as neo4j_errors
from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point

from kg.cypher.backend import CypherError, LoadStats, QueryResult
from kg.cypher.guard import ensure_read_only
from kg.cypher.load import UpsertBatch, create_plan, schema_statements, upsert_plan
from kg.cypher.neo4j_settings import Neo4jConfigError, Neo4jSettings
from kg.cypher.values import node_value, path_value, relationship_value
from kg.schema import Label, Rel

__all__ = [
    "AFTER_SCHEMA",
    "ELEMENT_IDS_LAST",
    "PROJECT_LABELS",
    "PROJECT_RELS",
    "Neo4jAuthError",
    "Neo4jBackend",
    "Neo4jConfigError",
    "Neo4jConnectionError",
    "node_labels",
    "plain",
    "server_flavour",
]

NEO4J = "neo4j"
ARCADEDB = "arcadedb"

#: Statements run once the schema statements are sent, per server flavour. Neo4j builds
#: constraint indexes in the background; waiting for them keeps the first batches fast.
AFTER_SCHEMA: dict[str, tuple[str, ...]] = {
    NEO4J: ("CALL db.awaitIndexes(300)",),
    ARCADEDB: (),  # no db.awaitIndexes; its indexes are ready when created
}

#: Flavours whose element ids stay valid after the creating transaction (ArcadeDB: record ids), so
#: a first load can match relationship ends by element id instead of the ``id`` index. Neo4j
#: guarantees an element id within one transaction only, so it keeps the index.
ELEMENT_IDS_LAST: frozenset[str] = frozenset({ARCADEDB})

#: Seconds one connection attempt may take before it counts as failed.
ATTEMPT_TIMEOUT = 5.0
#: First and largest pause between connection attempts.
FIRST_BACKOFF = 0.25
MAX_BACKOFF = 4.0

#: Labels and relationship types the project owns (the only ones ``wipe`` touches).
PROJECT_LABELS: tuple[str, ...] = tuple(str(label) for label in Label)
PROJECT_RELS: tuple[str, ...] = tuple(str(rel) for rel in Rel)


class Neo4jConnectionError(CypherError):
    """The server could not be reached (refused, not up yet, lost connection)."""


class Neo4jAuthError(CypherError):
    """The server rejected the user name or password."""


def server_flavour(agent: str) -> str:
    """``"arcadedb"`` for ArcadeDB's Bolt endpoint, else ``"neo4j"``.

    Parameters
    ----------
    agent:
        The server agent string from the Bolt handshake, e.g. ``"Neo4j/5.26.0"``
        or ``"Neo4j/5.26.0 compatible (ArcadeDB 26.10.2)"``.
    """
    return ARCADEDB if "arcadedb" in agent.lower() else NEO4J


def one_line(text: str) -> str:
    """Collapse whitespace so a server message fits on one line."""
    return re.sub(r"\s+", " ", text).strip()


def _reason(exc: BaseException) -> str:
    """A short readable reason for a driver exception."""
    if isinstance(exc, neo4j_errors.Neo4jError):
        message = exc.message or str(exc)
        return one_line(f"{exc.code}: {message}" if exc.code else message)
    return one_line(str(exc)) or type(exc).__name__


#: Failures that mean "the server is not (yet) there": retried while connecting.
_NOT_UP = (
    neo4j_errors.ServiceUnavailable,
    neo4j_errors.SessionExpired,
    neo4j_errors.DatabaseUnavailable,
    ConnectionError,
)


def node_labels(labels: Iterable[str]) -> list[str]:
    """A node's labels in a stable order: the project's primary label first, then the others sorted.

    The driver gives labels as a set; the embedded engine lists the primary
    label first (``["Concept", "Dataset"]``), so results compare equal.
    """
    labels = set(labels)
    primary = [label for label in PROJECT_LABELS if label in labels]
    return primary + sorted(labels.difference(primary))


class _Plain:
    """Converts driver values into the plain values of :mod:`kg.cypher.values`.

    Nodes become ``{"_labels", "id", …}`` dicts, relationships ``{"_type",
    "_start", "_end", …}`` with the ``id`` properties of their end nodes (looked
    up in *end_ids* by element id when the result did not carry those nodes),
    paths ``{"nodes", "relationships"}``, temporal values ISO strings, points
    coordinate lists; lists and maps recursively.
    """

    def __init__(self, end_ids: Mapping[str, Any]) -> None:
        self._end_ids = end_ids

    def __call__(self, value: Any) -> Any:
        if value is None or isinstance(value, bool | int | float | str | bytes):
            return value
        if isinstance(value, Node):
            return node_value(node_labels(value.labels), {key: self(item) for key, item in value.items()})
        if isinstance(value, Relationship):
            return relationship_value(
                value.type,
                self._node_id(value.start_node),
                self._node_id(value.end_node),
                {key: self(item) for key, item in value.items()},
            )
        if isinstance(value, Path):
            nodes = [self(node) for node in value.nodes]
            return path_value(nodes, [self(rel) for rel in value.relationships])
        if isinstance(value, Mapping):
            return {str(key): self(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self(item) for item in value]
        if isinstance(value, Point):
            return list(value)
        if hasattr(value, "iso_format"):
            return value.iso_format()
        return value

    def _node_id(self, node: Node | None) -> Any:
        if node is None:
            return None
        if "id" in node:
            return self(node["id"])
        return self._end_ids.get(node.element_id)


def plain(value: Any) -> Any:
    """One driver value as a plain Python value (see :class:`_Plain`), without end-node look-ups."""
    return _Plain({})(value)


def _ends_without_id(values: Iterable[Any]) -> set[str]:
    """Element ids of relationship end nodes that carry no ``id`` property in the result."""
    missing: set[str] = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, Relationship):
            for node in (value.start_node, value.end_node):
                if node is not None and "id" not in node:
                    missing.add(node.element_id)
        elif isinstance(value, Mapping):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return missing


def _read_all(tx: neo4j.ManagedTransaction, query: str, params: Mapping[str, Any]) -> QueryResult:
    result = tx.run(query, dict(params))
    columns = list(result.keys())
    records = [record.values() for record in result]
    end_ids: dict[str, Any] = {}
    missing = _ends_without_id(value for values in records for value in values)
    if missing:
        lookup = tx.run(
            "MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n) AS element, n.id AS id",
            {"ids": sorted(missing)},
        )
        end_ids = {record["element"]: record["id"] for record in lookup}
    convert = _Plain(end_ids)
    return QueryResult(columns, [[convert(value) for value in values] for values in records])


def _write_rows(tx: neo4j.ManagedTransaction, statement: str, rows: list[Any]) -> None:
    tx.run(statement, {"rows": rows}).consume()


def _create_nodes(tx: neo4j.ManagedTransaction, statement: str, rows: list[Any]) -> dict[str, str]:
    """Run a node ``CREATE … RETURN row[0] AS id, elementId(n) AS element``; the element id of every id."""
    return {record["id"]: record["element"] for record in tx.run(statement, {"rows": rows})}


def _upsert_rows(tx: neo4j.ManagedTransaction, batch: UpsertBatch) -> int:
    """Update the rows that exist; create the missing ones only if some did not match.

    Both statements run in the one transaction, so the rows the update did not
    find are exactly the ones the second statement creates. Returns how many
    rows were missing (and so created).
    """
    params = {"rows": batch.rows}
    matched = int(tx.run(batch.update, params).single(strict=True)["matched"])
    if matched >= len(batch.rows):
        return 0
    tx.run(batch.create_missing, params).consume()
    return len(batch.rows) - matched


def _write_all(tx: neo4j.ManagedTransaction, statements: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
    for statement, params in statements:
        tx.run(statement, dict(params)).consume()


def _delete_batch(tx: neo4j.ManagedTransaction, label: str, limit: int) -> int:
    # ``label`` is one of PROJECT_LABELS (never user input); labels cannot be parameters.
    result = tx.run(f"MATCH (n:`{label}`) WITH n LIMIT $limit DETACH DELETE n", {"limit": limit})
    return int(result.consume().counters.nodes_deleted)


def _count_all(tx: neo4j.ManagedTransaction) -> tuple[dict[str, int], dict[str, int]]:
    nodes = {
        label: int(tx.run(f"MATCH (n:`{label}`) RETURN count(n) AS c").single(strict=True)["c"])
        for label in PROJECT_LABELS
    }
    rels = {
        rel: int(tx.run(f"MATCH ()-[r:`{rel}`]->() RETURN count(r) AS c").single(strict=True)["c"])
        for rel in PROJECT_RELS
    }
    return nodes, rels


class Neo4jBackend:
    """A :class:`~kg.cypher.backend.CypherBackend` on a Neo4j server over Bolt.

    Create it with :meth:`from_settings` (or :meth:`connect`), which verifies
    the connection; close it (or use it as a context manager) to release the
    driver's connections.
    """

    dialect = NEO4J

    def __init__(self, driver: neo4j.Driver, settings: Neo4jSettings, server_agent: str) -> None:
        self._driver = driver
        self.settings = settings
        #: The server's agent string, e.g. ``"Neo4j/5.26.0"``.
        self.server_agent = server_agent
        #: ``"neo4j"`` or ``"arcadedb"``: selects the statements that differ between servers.
        self.flavour = server_flavour(server_agent)

    # -- connecting ---------------------------------------------------------------------------

    @classmethod
    def from_settings(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        *,
        connect_timeout: float | None = None,
    ) -> Neo4jBackend:
        """Connect with explicit settings, falling back to ``NEO4J_*`` variables and defaults.

        Parameters
        ----------
        uri, user, password, database:
            See :mod:`kg.cypher.neo4j_settings`; ``None`` reads ``NEO4J_URI``,
            ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``.
        connect_timeout:
            Seconds to keep retrying a server that is not up yet
            (default ``NEO4J_CONNECT_TIMEOUT`` or 30).

        Raises
        ------
        Neo4jConfigError
            Bad URI or no password anywhere.
        Neo4jAuthError
            Wrong user name or password (not retried).
        Neo4jConnectionError
            Nothing answered within the connect timeout.
        """
        settings = Neo4jSettings.from_env(uri, user, password, database, connect_timeout)
        return cls.connect(settings)

    @classmethod
    def connect(cls, settings: Neo4jSettings, *, sleep: Callable[[float], None] = time.sleep) -> Neo4jBackend:
        """Open a driver for *settings* and wait, with back-off, until the server answers.

        See :meth:`from_settings` for the errors raised.
        """
        if settings.password is None:
            raise Neo4jConfigError(
                f"no password for {settings.user}@{settings.uri}: set NEO4J_PASSWORD (see .env.example)"
            )
        try:
            driver = neo4j.GraphDatabase.driver(
                settings.uri,
                auth=(settings.user, settings.password),
                connection_timeout=min(ATTEMPT_TIMEOUT, max(settings.connect_timeout, 0.5)),
                max_transaction_retry_time=max(settings.connect_timeout, 1.0),
            )
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise Neo4jConfigError(f"invalid Neo4j settings for {settings.uri}: {_reason(exc)}") from None
        try:
            agent = _wait_until_up(driver, settings, sleep)
        except BaseException:
            driver.close()
            raise
        return cls(driver, settings, agent)

    # -- CypherBackend ------------------------------------------------------------------------

    def run(self, query: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        """Run *query* with *params*; read-only unless ``write=True``.

        Read queries pass :func:`kg.cypher.guard.ensure_read_only` first and then
        run in a managed read transaction, so a write clause is refused before
        anything reaches the server (and Neo4j refuses it again in read mode).
        """
        if not write:
            ensure_read_only(query)
        with self._session() as session, self._errors(query):
            work = session.execute_write if write else session.execute_read
            return work(_read_all, query, dict(params or {}))

    def run_many(self, statements: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
        """Run write statements in one managed write transaction (all or nothing)."""
        with self._session() as session, self._errors("write transaction"):
            session.execute_write(_write_all, list(statements))

    def load_graph(
        self,
        graph: nx.MultiDiGraph,
        *,
        batch_size: int = 5000,
        on_batch: Callable[[int, str], None] | None = None,
        into_empty: bool | None = None,
    ) -> LoadStats:
        """Idempotently upsert every node and relationship of *graph*.

        Sends the schema statements (uniqueness constraints and indexes, ``IF
        NOT EXISTS``) first, then batches of ``UNWIND $rows AS row …``, each in
        its own managed write transaction; finally reads the counts back from
        the server. Into an empty database the batches ``CREATE``
        (:func:`kg.cypher.load.create_plan`; on ArcadeDB relationships find
        their ends by the element ids the node batches returned,
        :data:`ELEMENT_IDS_LAST`). Into a database that holds project data
        each batch updates the rows that exist, matched through the ``id``
        index, and creates the missing ones only when some did not match
        (:func:`kg.cypher.load.upsert_plan`): the result of a ``MERGE``, but
        one index look-up per row on every server (ArcadeDB's ``MERGE`` of a
        two-label node uses no index).

        Parameters
        ----------
        graph:
            The paper graph (:mod:`kg.schema`).
        batch_size:
            Rows (nodes or relationships) per transaction.
        on_batch:
            Called with the number of rows and the statement after each batch
            is committed (progress bars, benchmarks).
        into_empty:
            Whether the database holds none of the project's nodes and
            relationships, so that they can be written with ``CREATE`` alone
            (the same result without a search per row; see
            :func:`kg.cypher.load.load_batches`). ``None`` (default) asks the
            server first: a first load creates, every later one updates and
            creates what is missing, so loading is idempotent. Only two loads
            running into the same database *at the same time* could then
            collide. ``True`` is checked too: a database holding any project
            node or relationship is refused with a
            :class:`~kg.cypher.backend.CypherError` before anything is
            written. ``False`` always takes the update path.

        Returns
        -------
        LoadStats
            Node counts per project label and relationship counts per type as
            found on the server after the load, the rows sent (one per node
            and relationship) and the seconds taken.

        Raises
        ------
        CypherError
            ``into_empty=True`` and the database is not empty, or the server
            refused a statement.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        started = time.perf_counter()
        rows_sent = 0
        nodes, relationships = self.counts()
        empty = not any(nodes.values()) and not any(relationships.values())
        if into_empty is None:
            into_empty = empty
        elif into_empty and not empty:
            held = ", ".join(f"{n:,} {name}" for name, n in {**nodes, **relationships}.items() if n)
            raise CypherError(
                f"cannot load into {self.settings.uri} as into an empty database: it holds {held}; "
                "load without into_empty (idempotent update) or wipe first"
            )
        with self._session() as session:
            for statement in [*schema_statements(NEO4J), *AFTER_SCHEMA[self.flavour]]:
                with self._errors(statement):
                    session.run(statement).consume()
            if into_empty:
                by_element = self.flavour in ELEMENT_IDS_LAST
                elements: dict[str, str] = {}
                for batch in create_plan(graph, batch_size=batch_size):
                    rows = batch.rows
                    if not by_element:
                        statement = batch.create
                        with self._errors(statement):
                            session.execute_write(_write_rows, statement, rows)
                    elif batch.target[0] == "node":
                        statement = batch.create_by_element
                        with self._errors(statement):
                            elements.update(session.execute_write(_create_nodes, statement, rows))
                    else:
                        statement = batch.create_by_element
                        for row in rows:  # [src, dst, value, …]: the ends by element id
                            row[0], row[1] = elements[row[0]], elements[row[1]]
                        with self._errors(statement):
                            session.execute_write(_write_rows, statement, rows)
                    rows_sent += len(rows)
                    if on_batch is not None:
                        on_batch(len(rows), statement)
            else:
                for batch in upsert_plan(graph, batch_size=batch_size):
                    with self._errors(batch.update):
                        session.execute_write(_upsert_rows, batch)
                    rows_sent += len(batch.rows)
                    if on_batch is not None:
                        on_batch(len(batch.rows), batch.update)
        nodes, relationships = self.counts()
        return LoadStats(nodes, relationships, rows_sent, time.perf_counter() - started)

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()

    # -- extras -------------------------------------------------------------------------------

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per project label and relationships per project type, as stored on the server."""
        with self._session() as session, self._errors("count nodes and relationships"):
            return session.execute_read(_count_all)

    def wipe(self, *, batch_size: int = 10_000) -> dict[str, int]:
        """Delete the project's nodes (``Paper``, ``Concept``, ``Repo``) and their relationships.

        Other labels in the database are left alone. Deletes in batches of
        *batch_size* nodes, each in its own transaction, so a large graph does
        not need one huge transaction. Constraints and indexes are kept.

        Returns
        -------
        dict
            Nodes deleted per label.
        """
        deleted = dict.fromkeys(PROJECT_LABELS, 0)
        with self._session() as session:
            for label in PROJECT_LABELS:
                while True:
                    with self._errors(f"delete :{label} nodes"):
                        removed = session.execute_write(_delete_batch, label, batch_size)
                    deleted[label] += removed
                    if removed == 0:
                        break
        return deleted

    def __enter__(self) -> Neo4jBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = f"uri={self.settings.uri!r}, database={self.settings.database!r}"
        return f"Neo4jBackend({where}, agent={self.server_agent!r})"

    # -- internals ----------------------------------------------------------------------------

    def _session(self) -> neo4j.Session:
        return self._driver.session(database=self.settings.database)

    @contextlib.contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Turn driver exceptions raised while doing *what* into one-line CypherErrors."""
        try:
            yield
        except neo4j_errors.AuthError as exc:
            raise Neo4jAuthError(_auth_message(self.settings, exc)) from None
        except _NOT_UP as exc:
            raise Neo4jConnectionError(
                f"lost the connection to {self.settings.uri}: {_reason(exc)}"
            ) from None
        except neo4j_errors.Neo4jError as exc:
            raise CypherError(f"{_reason(exc)} (in: {_excerpt(what)})") from None
        except neo4j_errors.DriverError as exc:
            raise CypherError(f"{_reason(exc)} (in: {_excerpt(what)})") from None


def _excerpt(text: str, limit: int = 80) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _auth_message(settings: Neo4jSettings, exc: BaseException) -> str:
    return (
        f"authentication failed for user {settings.user!r} at {settings.uri} ({_reason(exc)}); "
        "check NEO4J_USER and NEO4J_PASSWORD"
    )


def _wait_until_up(driver: neo4j.Driver, settings: Neo4jSettings, sleep: Callable[[float], None]) -> str:
    """Retry until the server answers; return its agent string.

    Retries "not up yet" failures with exponential back-off (0.25 s, 0.5 s, …
    at most :data:`MAX_BACKOFF`) until ``settings.connect_timeout`` has passed;
    authentication and other errors end it at once.
    """
    started = time.monotonic()
    deadline = started + settings.connect_timeout
    backoff = FIRST_BACKOFF
    attempts = 0
    while True:
        attempts += 1
        try:
            info = driver.get_server_info()
            # Touch the database too: a missing database or one still starting fails here.
            with driver.session(database=settings.database) as session:
                session.run("RETURN 1").consume()
            return str(info.agent)
        except neo4j_errors.AuthError as exc:
            raise Neo4jAuthError(_auth_message(settings, exc)) from None
        except _NOT_UP as exc:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                waited = time.monotonic() - started
                raise Neo4jConnectionError(
                    f"cannot reach a Neo4j server at {settings.uri} "
                    f"({attempts} attempt{'s' if attempts != 1 else ''} in {waited:.1f} s): {_reason(exc)}. "
                    "Is it running (`docker compose up -d`) and is NEO4J_URI right?"
                ) from None
            sleep(min(backoff, remaining))
            backoff = min(backoff * 2, MAX_BACKOFF)
        except neo4j_errors.Neo4jError as exc:
            database = f"database {settings.database!r}" if settings.database else "the default database"
            raise CypherError(f"cannot use {database} at {settings.uri}: {_reason(exc)}") from None
        except neo4j_errors.DriverError as exc:
            raise Neo4jConnectionError(f"cannot connect to {settings.uri}: {_reason(exc)}") from None
