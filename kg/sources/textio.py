"""Reading input files as numbered text lines, robust to bad bytes.

Readers get ``(line_number, text)`` pairs and, in between, :class:`SkippedRecord`
entries for lines that are not valid UTF-8. Whole-file problems (missing, empty,
binary) are reported as one :class:`SkippedRecord` with no line number and no
lines follow. Files are read line by line, never whole.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path

from kg.sources.base import SkippedRecord

__all__ = ["numbered_lines"]

#: How much of the start of a file is inspected to tell text from binary data.
SNIFF_BYTES = 8192
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}


def _looks_binary(head: bytes) -> bool:
    """NUL bytes, or more than 10 % control characters, mean the file is not text."""
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b in _CONTROL)
    return controls > len(head) * 0.1


def _undecodable_reason(raw: bytes, error: UnicodeDecodeError) -> str:
    bad = raw[error.start]
    # The column is counted in characters of the valid prefix, 1-based, as editors show it.
    column = len(raw[: error.start].decode("utf-8", errors="replace")) + 1
    return f"not valid UTF-8 (byte 0x{bad:02x} at column {column}); line skipped"


def numbered_lines(path: Path) -> Iterator[tuple[int, str] | SkippedRecord]:
    """Yield ``(line_number, line)`` for each line of *path* (1-based, line ending removed).

    * A missing/unreadable file, an empty file, or a binary file yields a single
      :class:`SkippedRecord` with ``line=None``.
    * A file that starts with a UTF-16 byte-order mark is decoded as UTF-16.
    * Otherwise the file is UTF-8 (a leading BOM is dropped); a line that is not
      valid UTF-8 yields a :class:`SkippedRecord` naming the line and byte instead.
    """
    name = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield SkippedRecord(name, None, f"cannot open file: {exc.strerror or exc}")
        return
    with handle:
        head = handle.read(SNIFF_BYTES)
        if not head:
            yield SkippedRecord(name, None, "empty file")
            return
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            handle.seek(0)
            try:
                text = io.TextIOWrapper(handle, encoding="utf-16", newline=None)
                for number, line in enumerate(text, start=1):
                    yield number, line.rstrip("\r\n")
            except UnicodeDecodeError as exc:
                yield SkippedRecord(name, None, f"invalid UTF-16 text ({exc.reason}); rest of file skipped")
            return
        if _looks_binary(head):
            yield SkippedRecord(name, None, "binary file (not text); not read")
            return
        handle.seek(0)
        for number, raw in enumerate(handle, start=1):
            raw = raw.rstrip(b"\r\n")
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            if b"\x00" in raw:
                yield SkippedRecord(name, number, "line contains NUL bytes (binary data); line skipped")
                continue
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield SkippedRecord(name, number, _undecodable_reason(raw, exc))
