"""Timing and peak-memory helpers shared by the benchmark scripts.

Peak resident memory is read from ``VmHWM`` in ``/proc/self/status`` (Linux),
which the kernel lets a process reset by writing ``5`` to
``/proc/self/clear_refs``; that gives the peak of each *stage* of a run, not
only of the whole process. Where either file is unavailable the process-wide
``ru_maxrss`` of :func:`resource.getrusage` is used instead (then a stage's
peak is the peak of the process so far, which :attr:`StageTimer.per_stage`
reports as ``False``).

Everything resident in the process counts, including the Java VM of the
embedded Cypher engine when it runs in the same process.
"""

from __future__ import annotations

import contextlib
import re
import resource
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["StageResult", "StageTimer", "current_rss_mb", "median", "peak_rss_mb", "percentile", "reset_peak"]

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")
_FIELD = {name: re.compile(rf"^{name}:\s+(\d+)\s+kB", re.MULTILINE) for name in ("VmHWM", "VmRSS")}


def _status_kb(name: str) -> int | None:
    try:
        match = _FIELD[name].search(_STATUS.read_text())
    except OSError:
        return None
    return int(match.group(1)) if match else None


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB since start or the last :func:`reset_peak`."""
    kb = _status_kb("VmHWM")
    if kb is None:  # not Linux: ru_maxrss is KiB on Linux, bytes on macOS
        raw = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        kb = raw // 1024 if sys.platform == "darwin" else raw
    return kb / 1024


def current_rss_mb() -> float:
    """Resident set size of this process now, in MiB (0 when unknown)."""
    kb = _status_kb("VmRSS")
    return (kb or 0) / 1024


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark to the current RSS; False where that is not possible."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The *fraction* quantile of *samples* by the nearest-rank method (``0.5`` = median, ``0.95`` = p95)."""
    if not samples:
        raise ValueError("percentile of no samples")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def median(samples: Sequence[float]) -> float:
    """:func:`statistics.median`, kept here so callers need one import."""
    return statistics.median(samples)


@dataclass(slots=True)
class StageResult:
    """One stage of one run: wall-clock and CPU seconds, peak RSS (MiB), how many documents it handled.

    ``cpu_seconds`` is the CPU time of every thread of the process (the Java
    VM's included): on a machine shared with other work it moves far less than
    wall-clock time, so it is the figure to compare before/after a change.
    """

    stage: str
    seconds: float
    peak_rss_mb: float
    docs: int = 0
    cpu_seconds: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class StageTimer:
    """Times consecutive stages of one process and records each stage's own peak RSS.

    Examples
    --------
    >>> timer = StageTimer()
    >>> with timer.stage("read", docs=1000):
    ...     pass
    >>> timer.results[0].stage
    'read'
    """

    def __init__(self) -> None:
        self.results: list[StageResult] = []
        #: True when every stage's peak is its own (the peak mark could be reset).
        self.per_stage = True

    @contextlib.contextmanager
    def stage(self, name: str, docs: int = 0) -> Iterator[StageResult]:
        """Measure the ``with`` block as stage *name*; the yielded result may be updated inside it."""
        self.per_stage = reset_peak() and self.per_stage
        result = StageResult(name, 0.0, 0.0, docs)
        started = time.perf_counter()
        cpu_started = time.process_time()
        try:
            yield result
        finally:
            result.seconds = time.perf_counter() - started
            result.cpu_seconds = time.process_time() - cpu_started
            result.peak_rss_mb = peak_rss_mb()
            self.results.append(result)
