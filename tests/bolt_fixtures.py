"""Pytest fixtures for the Neo4j backend: a real Bolt server (ArcadeDB, child process) and a small graph.

Test modules enable them with ``pytest_plugins = ["tests.bolt_fixtures"]``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from benchmarks.bolt_server import BoltServer
from kg.cypher.neo4j_backend import Neo4jBackend


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoltServer]:
    """ArcadeDB's server with Bolt on a free loopback port, for the whole session; stopped after."""
    server = BoltServer(tmp_path_factory.mktemp("bolt-server"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def bolt_env(bolt_server: BoltServer, monkeypatch: pytest.MonkeyPatch) -> BoltServer:
    """``NEO4J_*`` variables pointing at the test Bolt server (restored after the test)."""
    monkeypatch.setenv("NEO4J_URI", bolt_server.uri)
    monkeypatch.setenv("NEO4J_USER", bolt_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", bolt_server.password)
    monkeypatch.setenv("NEO4J_DATABASE", bolt_server.database)
    monkeypatch.setenv("NEO4J_CONNECT_TIMEOUT", "10")
    return bolt_server


@pytest.fixture
def bolt_backend(bolt_server: BoltServer) -> Iterator[Neo4jBackend]:
    """A backend on the test server whose database starts empty of project nodes."""
    backend = Neo4jBackend.from_settings(
        bolt_server.uri, bolt_server.user, bolt_server.password, bolt_server.database, connect_timeout=10
    )
    try:
        backend.wipe()
        yield backend
    finally:
        backend.close()


@pytest.fixture(scope="session")
def real_neo4j() -> dict[str, str | None]:
    """Settings of a real Neo4j from ``NEO4J_URI`` etc.; skips the test when ``NEO4J_URI`` is unset."""
    if not os.environ.get("NEO4J_URI"):
        pytest.skip(
            "NEO4J_URI is not set: no real Neo4j server to test against "
            "(start one with `docker compose up -d` and export NEO4J_URI/NEO4J_PASSWORD)"
        )
    return {
        "uri": os.environ["NEO4J_URI"],
        "user": os.environ.get("NEO4J_USER"),
        "password": os.environ.get("NEO4J_PASSWORD"),
        "database": os.environ.get("NEO4J_DATABASE"),
    }
