"""A real Bolt server for tests and benchmarks: ArcadeDB's server with its Bolt plugin, in a child process.

Lives with the benchmarks (``benchmarks.neo4j_load`` times the loader against
it) and is imported from here by the test fixtures (``tests/bolt_fixtures.py``).

No Neo4j server can run on a development machine without Docker, but ArcadeDB's
server (shipped in ``arcadedb-embedded``, with its own JRE) speaks Bolt and
announces itself as Neo4j 5 compatible, so the official ``neo4j`` driver talks to
it over a real socket exactly as it would to Neo4j.

The server runs in a **child process**: the embedded engine starts a JVM inside
the test process, and one process cannot host two JVMs with different
configurations. The child keeps every file it writes (databases, ``log/``)
inside its own temporary directory, binds loopback only, and is stopped by its
own pid — terminated, then killed if it does not exit in time.

Run as a script it is the child: it starts the server, creates the database,
prints ``READY <bolt port>`` and serves until its stdin closes or it receives
SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
DEFAULT_USER = "root"
DEFAULT_DATABASE = "kg"
START_TIMEOUT = 120.0


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_answers(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:*port*."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


@dataclass
class BoltServer:
    """An ArcadeDB server with Bolt on a free loopback port, in a child process.

    Parameters
    ----------
    root:
        Directory for the server's databases and logs (created if missing).
    password:
        Password of the ``root`` user (ArcadeDB requires at least 8 characters).
    database:
        Name of the database created at start; Bolt sessions select it with
        ``session(database=…)``.
    heap:
        Maximum JVM heap of the child.
    settings:
        Extra server settings, in the keys of ``arcadedb_embedded.create_server``
        (``{"txWAL": False}`` becomes ``arcadedb.txWAL=false``). Empty by
        default: the engine's own defaults.
    jvm_args:
        Extra JVM flags of the child (``-XX:+UseParallelGC``).
    """

    root: Path
    password: str = "bolt-test-pw"
    database: str = DEFAULT_DATABASE
    heap: str = "1g"
    bolt_port: int = 0
    http_port: int = 0
    user: str = DEFAULT_USER
    settings: dict[str, object] = field(default_factory=dict)
    jvm_args: tuple[str, ...] = ()
    _proc: subprocess.Popen[str] | None = field(default=None, repr=False)
    _log: Path | None = field(default=None, repr=False)

    @property
    def uri(self) -> str:
        """``bolt://127.0.0.1:<port>``."""
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def pid(self) -> int | None:
        """Process id of the child server, or ``None`` when not running."""
        return self._proc.pid if self._proc is not None else None

    def start(self, timeout: float = START_TIMEOUT) -> BoltServer:
        """Start the child and return once Bolt accepts connections.

        Raises
        ------
        RuntimeError
            If the child exits or does not report readiness within *timeout*;
            the message carries the tail of its output.
        """
        self.root = Path(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.bolt_port = self.bolt_port or free_port()
        self.http_port = self.http_port or free_port()
        self._log = self.root / "server-output.log"
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--root",
            str(self.root / "server"),
            "--bolt-port",
            str(self.bolt_port),
            "--http-port",
            str(self.http_port),
            "--database",
            self.database,
            "--heap",
            self.heap,
            "--settings",
            json.dumps(self.settings),
            *(f"--jvm-arg={arg}" for arg in self.jvm_args),
        ]
        env = {**os.environ, "BOLT_SERVER_PASSWORD": self.password}
        log_file = self._log.open("w", encoding="utf-8")
        self._proc = subprocess.Popen(
            cmd,
            cwd=self.root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
        )
        log_file.close()
        ready = threading.Event()

        def read_stdout() -> None:
            assert self._proc is not None and self._proc.stdout is not None
            for line in self._proc.stdout:
                if line.startswith("READY"):
                    ready.set()

        threading.Thread(target=read_stdout, daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"Bolt server exited with {self._proc.returncode}: {self._tail()}")
            if ready.is_set() and _port_answers(self.bolt_port):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Bolt server not ready after {timeout:.0f} s: {self._tail()}")

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the child (this process's own child only): close stdin, SIGTERM, then SIGKILL."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(OSError):
            assert proc.stdin is not None
            proc.stdin.close()
        try:
            proc.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            pass
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)

    def _tail(self, lines: int = 15) -> str:
        if self._log is None or not self._log.exists():
            return ""
        return " | ".join(self._log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def __enter__(self) -> BoltServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def running_bolt_server(**kwargs: object):
    """Context manager: a started :class:`BoltServer` in a fresh temporary directory."""
    with tempfile.TemporaryDirectory(prefix="kg-bolt-") as tmp, BoltServer(Path(tmp), **kwargs) as server:
        yield server


def _serve(args: argparse.Namespace) -> int:
    """Child side: start the server, create the database, report readiness, serve until told to stop."""
    import arcadedb_embedded
    from arcadedb_embedded.jvm import start_jvm
    from arcadedb_embedded.server import create_server

    start_jvm(heap_size=args.heap, jvm_args=args.jvm_arg or None)
    # Create the database before the server (and its Bolt listener) starts, so that
    # a client connecting as soon as the port opens never finds it missing.
    database_path = Path(args.root) / "databases" / args.database
    if not database_path.exists():
        arcadedb_embedded.create_database(str(database_path)).close()
    server = create_server(
        args.root,
        root_password=os.environ["BOLT_SERVER_PASSWORD"],
        config={
            "host": "127.0.0.1",
            "http_port": args.http_port,
            "server_plugins": BOLT_PLUGIN,
            "bolt_port": args.bolt_port,
            **json.loads(args.settings),
        },
    )
    server.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        server.create_database(args.database)
        print(f"READY {args.bolt_port}", flush=True)

        def wait_stdin() -> None:
            sys.stdin.read()  # returns when the parent closes our stdin or dies
            stop.set()

        threading.Thread(target=wait_stdin, daemon=True).start()
        while not stop.wait(0.2):
            pass
    finally:
        server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the child process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--bolt-port", type=int, required=True)
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--settings", default="{}", help="extra server settings as a JSON object")
    parser.add_argument("--jvm-arg", action="append", default=[], help="extra JVM flag (repeatable)")
    return _serve(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
