"""Drive Debian's headless Chromium over the DevTools protocol on a pipe (no extra dependency).

Chromium started with ``--remote-debugging-pipe`` reads protocol commands from
file descriptor 3 and writes replies and events to descriptor 4, one JSON
message per NUL-terminated chunk. :class:`Chromium` wraps that: open a page,
wait for a JavaScript condition, evaluate expressions, move the mouse, take a
screenshot, and list every network request the page attempted.

Used by the view benchmark (``benchmarks/views.py``) and the browser tests
(``tests/test_views_browser.py``).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from base64 import b64decode
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM_FLAGS", "BrowserError", "Chromium", "find_chromium"]

#: Flags for a quiet, isolated, offline-friendly headless browser.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
)


class BrowserError(RuntimeError):
    """The browser died, timed out or reported a protocol error."""


def find_chromium() -> str | None:
    """Path of the Chromium executable (``$CHROMIUM`` or ``chromium`` on PATH), or None."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if shutil.which(explicit) else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Chromium:
    """One headless Chromium process with one page, controlled over the DevTools pipe.

    Parameters
    ----------
    executable : str
        Chromium binary.
    width, height : int
        Viewport size in CSS pixels.
    """

    def __init__(self, executable: str, width: int = 1280, height: int = 860) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="kg-chromium-")
        self._next_id = 0
        self._buffer = b""
        self.events: list[dict[str, Any]] = []
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        # Move the child's ends above 10 so that dup2 onto 3/4 cannot clobber one with the other.
        child_in = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser_r)
        os.close(from_browser_w)

        def wire_pipes() -> None:  # runs in the child between fork and exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        args = [
            executable,
            *CHROMIUM_FLAGS,
            "--remote-debugging-pipe",
            f"--user-data-dir={self._profile.name}",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        self._process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=wire_pipes,
        )
        os.close(child_in)
        os.close(child_out)
        self._write = to_browser_w
        self._read = from_browser_r
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next((t for t in targets if t["type"] == "page"), None)
        if page is None:
            page = self.call("Target.createTarget", url="about:blank")
        target_id = page["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target_id, flatten=True)["sessionId"]
        self.page("Page.enable")
        self.page("Runtime.enable")
        self.page("Network.enable")
        self.page("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=False)

    # --- protocol -----------------------------------------------------------------------------------------

    def _send(self, method: str, params: dict[str, Any], session: str | None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError("timed out waiting for the browser")
            ready, _, _ = select.select([self._read], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise BrowserError(f"browser exited (code {self._process.poll()})")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _call(
        self, method: str, params: dict[str, Any], session: str | None, timeout: float
    ) -> dict[str, Any]:
        wanted = self._send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def call(self, method: str, timeout: float = 30.0, **params: Any) -> dict[str, Any]:
        """Send a browser-level command and return its result."""
        return self._call(method, params, None, timeout)

    def page(self, method: str, timeout: float = 30.0, **params: Any) -> dict[str, Any]:
        """Send a command to the page's session and return its result."""
        return self._call(method, params, self._session, timeout)

    # --- page helpers -------------------------------------------------------------------------------------

    def open(self, path: Path, *, offline: bool = True) -> None:
        """Load a local HTML file (network emulated offline by default) and forget earlier events."""
        self.events.clear()
        self.page("Network.emulateNetworkConditions", offline=offline, latency=0, downloadThroughput=-1,
                  uploadThroughput=-1)
        self.page("Page.navigate", url=Path(path).resolve().as_uri())

    def evaluate(self, expression: str, timeout: float = 30.0) -> Any:
        """Value of a JavaScript expression in the page (JSON-serialisable results only)."""
        result = self.page("Runtime.evaluate", timeout=timeout, expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r} raised {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0, interval: float = 0.05) -> Any:
        """Poll *expression* until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except BrowserError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out after {timeout}s waiting for {expression!r}")
            time.sleep(interval)

    def move_mouse(self, x: float, y: float) -> None:
        """Move the mouse pointer to viewport coordinates."""
        self.page("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)

    def screenshot(self) -> bytes:
        """PNG of the viewport."""
        return b64decode(self.page("Page.captureScreenshot", format="png")["data"])

    def requested_urls(self) -> list[str]:
        """Every URL the page tried to fetch since :meth:`open` (the document itself included)."""
        return [
            event["params"]["request"]["url"]
            for event in self.events
            if event.get("method") == "Network.requestWillBeSent"
        ]

    def console_errors(self) -> list[str]:
        """Exceptions thrown in the page since :meth:`open`."""
        return [
            str(event["params"]["exceptionDetails"].get("exception", {}).get("description")
                or event["params"]["exceptionDetails"].get("text"))
            for event in self.events
            if event.get("method") == "Runtime.exceptionThrown"
        ]

    def close(self) -> None:
        """Close the browser and remove its profile directory."""
        try:
            if self._process.poll() is None:
                with contextlib.suppress(BrowserError, OSError):
                    self._call("Browser.close", {}, None, 5.0)
                try:
                    self._process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait(timeout=5)
        finally:
            for fd in (self._write, self._read):
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._profile.cleanup()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
