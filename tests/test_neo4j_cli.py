"""kg neo4j load/status end to end: the real command in a child process against a Bolt server."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from benchmarks.bolt_server import BoltServer, free_port
from kg.cypher.neo4j_backend import Neo4jBackend
from kg.graph.persistence import save_graph
from tests.bolt_graph import SMALL_NODES, small_graph

pytest_plugins = ["tests.bolt_fixtures"]

pytestmark = pytest.mark.bolt

EMPTY_RELS = {"PROPOSES": 0, "USES": 0, "HAS_CODE": 0, "CITES": 0}
SMALL_RELS_IN_ORDER = {"PROPOSES": 1, "USES": 7, "HAS_CODE": 1, "CITES": 2}


def kg_command() -> list[str]:
    """The installed ``kg`` console script of this environment."""
    script = Path(sys.executable).with_name("kg")
    if script.exists():
        return [str(script)]
    found = shutil.which("kg")
    assert found, "the kg console script is not installed"
    return [found]


def kg_env(server: BoltServer, **overrides: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    env.update(
        NEO4J_URI=server.uri,
        NEO4J_USER=server.user,
        NEO4J_PASSWORD=server.password,
        NEO4J_DATABASE=server.database,
        NEO4J_CONNECT_TIMEOUT="10",
        COLUMNS="200",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_kg(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*kg_command(), *args],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
    )


def run_kg_on_terminal(
    args: list[str], env: dict[str, str], cwd: Path, answers: list[tuple[str, str]]
) -> tuple[int, str]:
    """Run kg on a new pseudo-terminal (its controlling terminal); answer each (prompt, reply) in turn.

    A reply to a prompt ending in ``(hidden)`` is typed only once the terminal's
    echo is off, as a person would see it: proof the input is not displayed.
    """
    command = [*kg_command(), *args]
    pid, fd = pty.fork()
    if pid == 0:  # child: the pty is stdin, stdout, stderr and /dev/tty
        try:
            os.chdir(cwd)
            os.execve(command[0], command, env)
        finally:
            os._exit(127)
    output = b""
    pending = list(answers)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child has exited and closed the terminal
                break
            if not chunk:
                break
            output += chunk
            if pending and pending[0][0].removesuffix(" (hidden)").encode() in output:
                prompt, reply = pending.pop(0)
                if prompt.endswith(" (hidden)"):
                    wait_for_echo_off(fd, deadline)
                os.write(fd, reply.encode() + b"\n")
    finally:
        os.close(fd)
        if time.monotonic() >= deadline:
            os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", errors="replace")


def wait_for_echo_off(fd: int, deadline: float) -> None:
    """Wait until the terminal behind *fd* no longer echoes input (a hidden prompt is reading)."""
    while time.monotonic() < deadline:
        if not termios.tcgetattr(fd)[3] & termios.ECHO:
            return
        time.sleep(0.02)
    raise AssertionError("the prompt never turned the terminal's echo off")


@pytest.fixture
def graph_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "kg-out"
    save_graph(small_graph(), directory, inputs=["test"])
    return directory


def assert_one_error_line(result: subprocess.CompletedProcess[str], starts: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: {starts}"), errors[0]


def test_load_twice_gives_the_same_counts(
    bolt_server, bolt_backend: Neo4jBackend, graph_dir, tmp_path
) -> None:
    env = kg_env(bolt_server)
    for _ in range(2):
        result = run_kg(["neo4j", "load", "-g", str(graph_dir), "--batch-size", "4"], env, tmp_path)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert "sent 21 rows in" in result.stderr
        table = [line.split("│")[1:-1] for line in result.stdout.splitlines() if line.count("│") == 5]
        rows = {cells[1].strip(): (cells[2].strip(), cells[3].strip()) for cells in table}
        assert rows == {
            "Paper": ("4", "4"),
            "Concept": ("5", "5"),
            "Repo": ("1", "1"),
            "PROPOSES": ("1", "1"),
            "USES": ("7", "7"),
            "HAS_CODE": ("1", "1"),
            "CITES": ("2", "2"),
        }
        assert bolt_backend.counts() == (SMALL_NODES | {}, SMALL_RELS_IN_ORDER)


def test_options_override_the_environment(
    bolt_server, bolt_backend: Neo4jBackend, graph_dir, tmp_path
) -> None:
    env = kg_env(bolt_server, NEO4J_URI="bolt://127.0.0.1:1", NEO4J_USER="nobody", NEO4J_DATABASE="nowhere")
    args = [
        "neo4j",
        "load",
        "-g",
        str(graph_dir),
        "--uri",
        bolt_server.uri.replace("bolt:", "neo4j:"),
        "--user",
        bolt_server.user,
        "--database",
        bolt_server.database,
    ]
    result = run_kg(args, env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert bolt_backend.counts()[0] == {"Paper": 4, "Concept": 5, "Repo": 1}


def test_wipe_with_yes_replaces_only_project_nodes(bolt_server, bolt_backend, graph_dir, tmp_path) -> None:
    bolt_backend.run_many(
        [
            ("CREATE (:Paper {id: 'stale-paper'})-[:USES]->(:Concept {id: 'stale-concept'})", {}),
            ("CREATE (:Bookmark {note: 'mine'})", {}),
        ]
    )
    result = run_kg(["neo4j", "load", "-g", str(graph_dir), "--wipe", "--yes"], kg_env(bolt_server), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "deleted 1 Paper, 1 Concept, 0 Repo" in result.stderr
    assert bolt_backend.counts() == ({"Paper": 4, "Concept": 5, "Repo": 1}, SMALL_RELS_IN_ORDER)
    assert bolt_backend.run("MATCH (p:Paper {id: 'stale-paper'}) RETURN count(p) AS c").rows == [[0]]
    assert bolt_backend.run("MATCH (b:Bookmark) RETURN b.note AS note").rows == [["mine"]]
    bolt_backend.run("MATCH (b:Bookmark) DELETE b", write=True)


def test_wipe_without_a_terminal_needs_yes(bolt_server, bolt_backend, graph_dir, tmp_path) -> None:
    bolt_backend.run_many([("CREATE (:Paper {id: 'keep-me'})", {})])
    result = run_kg(["neo4j", "load", "-g", str(graph_dir), "--wipe"], kg_env(bolt_server), tmp_path)
    assert_one_error_line(
        result, "--wipe deletes data and needs confirmation: run it on a terminal or add --yes"
    )
    assert bolt_backend.counts() == ({"Paper": 1, "Concept": 0, "Repo": 0}, EMPTY_RELS)


def test_wipe_asks_and_a_no_changes_nothing(bolt_server, bolt_backend, graph_dir, tmp_path) -> None:
    bolt_backend.run_many([("CREATE (:Paper {id: 'keep-me'})", {})])
    code, output = run_kg_on_terminal(
        ["neo4j", "load", "-g", str(graph_dir), "--wipe"],
        kg_env(bolt_server),
        tmp_path,
        [("Delete every Paper, Concept, Repo node and their relationships in", "n")],
    )
    assert code == 1, output
    assert "nothing deleted, nothing loaded" in output
    assert bolt_backend.counts() == ({"Paper": 1, "Concept": 0, "Repo": 0}, EMPTY_RELS)


def test_wipe_asks_and_a_yes_wipes_then_loads(bolt_server, bolt_backend, graph_dir, tmp_path) -> None:
    bolt_backend.run_many([("CREATE (:Paper {id: 'stale'})", {})])
    code, output = run_kg_on_terminal(
        ["neo4j", "load", "-g", str(graph_dir), "--wipe"],
        kg_env(bolt_server),
        tmp_path,
        [("Delete every Paper", "y")],
    )
    assert code == 0, output
    assert bolt_backend.counts() == ({"Paper": 4, "Concept": 5, "Repo": 1}, SMALL_RELS_IN_ORDER)


def test_password_is_prompted_hidden_when_not_in_the_environment(
    bolt_server, bolt_backend, graph_dir, tmp_path
) -> None:
    env = kg_env(bolt_server, NEO4J_PASSWORD=None)
    code, output = run_kg_on_terminal(
        ["neo4j", "load", "-g", str(graph_dir)],
        env,
        tmp_path,
        [(f"Neo4j password for root@{bolt_server.uri}: (hidden)", bolt_server.password)],
    )
    assert code == 0, output
    assert bolt_server.password not in output  # hidden input: not echoed
    assert bolt_backend.counts()[0] == {"Paper": 4, "Concept": 5, "Repo": 1}


def test_no_password_and_no_terminal_is_one_clear_error(bolt_server, graph_dir, tmp_path) -> None:
    result = run_kg(
        ["neo4j", "load", "-g", str(graph_dir)], kg_env(bolt_server, NEO4J_PASSWORD=None), tmp_path
    )
    assert_one_error_line(result, f"no password for root@{bolt_server.uri}: set NEO4J_PASSWORD")


def test_password_is_not_a_command_line_option() -> None:
    result = subprocess.run(
        [*kg_command(), "neo4j", "load", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 0
    assert "--uri" in result.stdout and "--user" in result.stdout and "--database" in result.stdout
    assert "--password" not in result.stdout


def test_wrong_password_is_one_clear_error(bolt_server, graph_dir, tmp_path) -> None:
    result = run_kg(
        ["neo4j", "load", "-g", str(graph_dir)], kg_env(bolt_server, NEO4J_PASSWORD="wrong-pw"), tmp_path
    )
    assert_one_error_line(result, f"authentication failed for user 'root' at {bolt_server.uri}")


def test_nothing_listening_is_one_clear_error(bolt_server, graph_dir, tmp_path) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    result = run_kg(
        ["neo4j", "load", "-g", str(graph_dir), "--uri", uri, "--connect-timeout", "1"],
        kg_env(bolt_server),
        tmp_path,
    )
    assert_one_error_line(result, f"cannot reach a Neo4j server at {uri} (")


def test_bad_uri_is_one_clear_error(bolt_server, graph_dir, tmp_path) -> None:
    result = run_kg(
        ["neo4j", "load", "-g", str(graph_dir), "--uri", "http://localhost:7474"],
        kg_env(bolt_server),
        tmp_path,
    )
    assert_one_error_line(result, "invalid Neo4j URI 'http://localhost:7474': the scheme must be one of")


def test_missing_graph_is_one_clear_error(bolt_server, tmp_path) -> None:
    result = run_kg(["neo4j", "load", "-g", str(tmp_path / "nothing-here")], kg_env(bolt_server), tmp_path)
    assert_one_error_line(result, "")
    assert str(tmp_path / "nothing-here") in result.stderr


def test_status_shows_the_server_and_counts(bolt_server, bolt_backend, tmp_path) -> None:
    bolt_backend.load_graph(small_graph())
    result = run_kg(["neo4j", "status"], kg_env(bolt_server), tmp_path)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == f"{bolt_server.uri} ({bolt_server.database}): Neo4j/5.26.0 compatible (ArcadeDB 26.10.2)"
    table = [line.split("│")[1:-1] for line in result.stdout.splitlines() if line.count("│") == 4]
    rows = {cells[1].strip(): cells[2].strip() for cells in table}
    assert rows == {
        "Paper": "4",
        "Concept": "5",
        "Repo": "1",
        "PROPOSES": "1",
        "USES": "7",
        "HAS_CODE": "1",
        "CITES": "2",
    }


@pytest.mark.parametrize(
    "args",
    [
        ["run", "papers-sharing-datasets", "--paper", "Robust Fine-Tuning", "-f", "json"],
        ["run", "top-concepts", "--kind", "dataset", "-f", "csv"],
        [
            "query",
            "MATCH (p:Paper)-[:USES]->(c:Concept) RETURN p.id AS paper, count(c) AS n ORDER BY paper",
            "-f",
            "json",
        ],
    ],
)
def test_query_commands_print_the_same_over_neo4j(
    bolt_server, bolt_backend, graph_dir, tmp_path, args
) -> None:
    bolt_backend.load_graph(small_graph())
    over_bolt = run_kg([*args, "--neo4j"], kg_env(bolt_server), tmp_path)
    embedded = run_kg([*args, "-g", str(graph_dir)], kg_env(bolt_server), tmp_path)
    assert over_bolt.returncode == 0, over_bolt.stderr
    assert embedded.returncode == 0, embedded.stderr
    assert over_bolt.stdout == embedded.stdout
    assert over_bolt.stdout.strip()


def test_run_over_neo4j_prompts_for_a_missing_password(bolt_server, bolt_backend, tmp_path) -> None:
    bolt_backend.load_graph(small_graph())
    code, output = run_kg_on_terminal(
        ["run", "top-concepts", "--neo4j", "-f", "json"],
        kg_env(bolt_server, NEO4J_PASSWORD=None),
        tmp_path,
        [(f"Neo4j password for root@{bolt_server.uri}: (hidden)", bolt_server.password)],
    )
    assert code == 0, output
    assert bolt_server.password not in output  # hidden input: not echoed
    assert '"concept":' in output


def test_query_over_neo4j_without_password_or_terminal_is_one_clear_error(bolt_server, tmp_path) -> None:
    result = run_kg(
        ["query", "MATCH (p:Paper) RETURN count(p) AS n", "--neo4j"],
        kg_env(bolt_server, NEO4J_PASSWORD=None),
        tmp_path,
    )
    assert_one_error_line(result, f"no password for root@{bolt_server.uri}: set NEO4J_PASSWORD")


def test_codec_hint_only_for_large_loads_without_the_rust_extension(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    from kg.cli.neo4j_cmds import CODEC_HINT_ROWS, codec_hint

    monkeypatch.setitem(sys.modules, "neo4j._rust", None)  # not installed: importing it fails
    assert codec_hint(CODEC_HINT_ROWS - 1) is None
    assert codec_hint(CODEC_HINT_ROWS) == (
        "note: installing neo4j-rust-ext (the driver's Rust extension) made large loads "
        "2–3 times faster in the load benchmark (docs/NEO4J.md)"
    )
    monkeypatch.setitem(sys.modules, "neo4j._rust", types.ModuleType("neo4j._rust"))  # installed
    assert codec_hint(10 * CODEC_HINT_ROWS) is None
