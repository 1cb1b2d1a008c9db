"""Neo4j connection settings: explicit values, then NEO4J_* variables, then defaults; bad values rejected."""

from __future__ import annotations

import pytest

from kg.cypher.neo4j_settings import Neo4jConfigError, Neo4jSettings


def test_defaults_without_environment() -> None:
    settings = Neo4jSettings.from_env(environ={})
    assert settings == Neo4jSettings("bolt://localhost:7687", "neo4j", None, None, 30.0)


def test_environment_is_read() -> None:
    env = {
        "NEO4J_URI": "neo4j+s://abcd1234.databases.neo4j.io",
        "NEO4J_USER": "reader",
        "NEO4J_PASSWORD": "s3cret-pw",
        "NEO4J_DATABASE": "papers",
        "NEO4J_CONNECT_TIMEOUT": "5.5",
    }
    settings = Neo4jSettings.from_env(environ=env)
    assert settings == Neo4jSettings(
        "neo4j+s://abcd1234.databases.neo4j.io", "reader", "s3cret-pw", "papers", 5.5
    )


def test_explicit_values_win_over_the_environment() -> None:
    env = {
        "NEO4J_URI": "bolt://env:7687",
        "NEO4J_USER": "env-user",
        "NEO4J_PASSWORD": "env-pw",
        "NEO4J_DATABASE": "envdb",
    }
    settings = Neo4jSettings.from_env("bolt://cli:7687", "cli-user", "cli-pw", "clidb", 3, environ=env)
    assert settings == Neo4jSettings("bolt://cli:7687", "cli-user", "cli-pw", "clidb", 3.0)


def test_aura_style_username_variable_is_accepted() -> None:
    assert Neo4jSettings.from_env(environ={"NEO4J_USERNAME": "aura-user"}).user == "aura-user"
    both = {"NEO4J_USER": "first", "NEO4J_USERNAME": "second"}
    assert Neo4jSettings.from_env(environ=both).user == "first"


def test_empty_values_fall_back() -> None:
    settings = Neo4jSettings.from_env(environ={"NEO4J_URI": "", "NEO4J_DATABASE": "", "NEO4J_PASSWORD": ""})
    assert (settings.uri, settings.database, settings.password) == ("bolt://localhost:7687", None, None)


def test_password_is_not_in_the_repr() -> None:
    assert "hunter2-pw" not in repr(Neo4jSettings.from_env(password="hunter2-pw", environ={}))


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        (
            "http://localhost:7474",
            "the scheme must be one of bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc",
        ),
        ("localhost:7687", "the scheme must be one of"),
        ("bolt://", "no host"),
        ("bolt://localhost:notaport", "invalid Neo4j URI 'bolt://localhost:notaport': "),
    ],
)
def test_bad_uris_are_rejected_with_the_value(uri: str, message: str) -> None:
    with pytest.raises(Neo4jConfigError) as caught:
        Neo4jSettings.from_env(uri, environ={})
    assert str(caught.value).startswith(f"invalid Neo4j URI {uri!r}")
    assert message in str(caught.value)


@pytest.mark.parametrize("value", ["soon", "-1"])
def test_bad_timeouts_are_rejected(value: str) -> None:
    with pytest.raises(Neo4jConfigError, match="seconds"):
        Neo4jSettings.from_env(environ={"NEO4J_CONNECT_TIMEOUT": value})
