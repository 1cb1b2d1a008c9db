"""docker-compose.yml and .env.example: they parse, pin Neo4j 5 community, and document every variable."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from kg.cypher.neo4j_settings import DEFAULT_URI, DEFAULT_USER, Neo4jSettings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def env_example() -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate(ENV_EXAMPLE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line)
        assert match, f".env.example:{number}: not KEY=value: {line!r}"
        values[match.group(1)] = match.group(2)
    return values


def test_compose_runs_a_pinned_neo4j_5_community_image() -> None:
    service = compose()["services"]["neo4j"]
    assert re.fullmatch(r"neo4j:5\.\d+\.\d+-community", service["image"]), service["image"]


def test_compose_publishes_bolt_and_http_on_loopback() -> None:
    ports = compose()["services"]["neo4j"]["ports"]
    assert ports == ["127.0.0.1:${NEO4J_HTTP_PORT:-7474}:7474", "127.0.0.1:${NEO4J_BOLT_PORT:-7687}:7687"]


def test_compose_keeps_data_in_a_named_volume() -> None:
    document = compose()
    mounts = document["services"]["neo4j"]["volumes"]
    assert "neo4j-data:/data" in mounts
    assert "neo4j-data" in document["volumes"]


def test_compose_takes_auth_from_the_environment_and_requires_a_password() -> None:
    environment = compose()["services"]["neo4j"]["environment"]
    assert (
        environment["NEO4J_AUTH"]
        == "${NEO4J_USER:-neo4j}/${NEO4J_PASSWORD:?set NEO4J_PASSWORD (see .env.example)}"
    )
    assert not any("PLUGINS" in key or "apoc" in str(value).lower() for key, value in environment.items())


def test_compose_healthcheck_logs_in_over_bolt() -> None:
    check = compose()["services"]["neo4j"]["healthcheck"]
    assert check["test"][0] == "CMD-SHELL"
    command = check["test"][1]
    assert command.startswith("cypher-shell -a bolt://localhost:7687 ")
    assert '"$${NEO4J_AUTH%%/*}"' in command and '"$${NEO4J_AUTH#*/}"' in command
    assert {"interval", "timeout", "retries", "start_period"} <= set(check)


def test_every_compose_variable_is_documented_in_env_example() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    used = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", text))
    assert used == {
        "NEO4J_USER",
        "NEO4J_PASSWORD",
        "NEO4J_HTTP_PORT",
        "NEO4J_BOLT_PORT",
        "NEO4J_HEAP",
        "NEO4J_PAGECACHE",
    }
    assert used <= set(env_example())


def test_env_example_documents_the_connection_settings() -> None:
    values = env_example()
    assert {"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "NEO4J_CONNECT_TIMEOUT"} <= set(
        values
    )
    settings = Neo4jSettings.from_env(environ=values)
    assert settings.uri == DEFAULT_URI
    assert settings.user == DEFAULT_USER
    assert settings.database is None  # empty means the server's default database
    assert settings.connect_timeout == 30.0
    assert len(values["NEO4J_PASSWORD"]) >= 8  # Neo4j refuses shorter initial passwords
