"""Where the Neo4j server is and how to log in: explicit values, else the ``NEO4J_*`` environment.

The password is never a command-line option (it would land in shell history);
it comes from ``NEO4J_PASSWORD`` or an interactive prompt in the CLI.

Environment variables
---------------------
``NEO4J_URI``
    Server address, default ``bolt://localhost:7687`` (the docker-compose
    service). ``neo4j://`` enables routing (clusters, Aura); ``+s`` /
    ``+ssc`` variants encrypt (``neo4j+s://xxxx.databases.neo4j.io``).
``NEO4J_USER`` (or ``NEO4J_USERNAME``, as in Aura credential files)
    User name, default ``neo4j``.
``NEO4J_PASSWORD``
    Password.
``NEO4J_DATABASE``
    Database name; unset means the server's default database.
``NEO4J_CONNECT_TIMEOUT``
    Seconds to keep retrying a server that is not up yet, default 30.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kg.cypher.backend import CypherError

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_URI",
    "DEFAULT_USER",
    "URI_SCHEMES",
    "Neo4jConfigError",
    "Neo4jSettings",
]

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_CONNECT_TIMEOUT = 30.0
URI_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})


class Neo4jConfigError(CypherError):
    """The Neo4j settings are unusable (bad URI, missing password, bad timeout)."""


@dataclass(frozen=True, slots=True)
class Neo4jSettings:
    """Connection settings for a Neo4j (or any Bolt) server.

    Build it with :meth:`from_env`, which validates every field.
    """

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT

    @classmethod
    def from_env(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        connect_timeout: float | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Neo4jSettings:
        """Explicit values first, then ``NEO4J_*`` variables, then the defaults.

        Parameters
        ----------
        uri, user, password, database, connect_timeout:
            Explicit settings; ``None`` (or empty) falls back to the environment.
        environ:
            The environment to read (default :data:`os.environ`).

        Raises
        ------
        Neo4jConfigError
            For a URI without a Bolt scheme or host, or a timeout that is not a
            non-negative number.
        """
        env = os.environ if environ is None else environ
        resolved_uri = uri or env.get("NEO4J_URI") or DEFAULT_URI
        resolved_user = user or env.get("NEO4J_USER") or env.get("NEO4J_USERNAME") or DEFAULT_USER
        resolved_password = password if password else (env.get("NEO4J_PASSWORD") or None)
        resolved_database = database or env.get("NEO4J_DATABASE") or None
        if connect_timeout is None:
            raw = env.get("NEO4J_CONNECT_TIMEOUT")
            try:
                connect_timeout = float(raw) if raw else DEFAULT_CONNECT_TIMEOUT
            except ValueError:
                message = f"NEO4J_CONNECT_TIMEOUT must be a number of seconds, got {raw!r}"
                raise Neo4jConfigError(message) from None
        if connect_timeout < 0:
            raise Neo4jConfigError(f"connect timeout must be >= 0 seconds, got {connect_timeout}")
        check_uri(resolved_uri)
        return cls(resolved_uri, resolved_user, resolved_password, resolved_database, float(connect_timeout))


def check_uri(uri: str) -> None:
    """Raise :class:`Neo4jConfigError` unless *uri* is ``<bolt scheme>://host[:port]``."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as exc:
        raise Neo4jConfigError(f"invalid Neo4j URI {uri!r}: {exc}") from None
    if parts.scheme not in URI_SCHEMES:
        schemes = ", ".join(sorted(URI_SCHEMES))
        raise Neo4jConfigError(f"invalid Neo4j URI {uri!r}: the scheme must be one of {schemes}")
    if not parts.hostname:
        raise Neo4jConfigError(f"invalid Neo4j URI {uri!r}: no host")
    if port == 0:
        raise Neo4jConfigError(f"invalid Neo4j URI {uri!r}: port 0")
