"""Reader for CSV (``.csv``, comma-separated) and TSV (``.tsv``, tab-separated) files.

The first non-empty row is the header. Columns (case-insensitive, spaces and
hyphens read as underscores): ``title`` and ``abstract`` (required), ``id``,
``year``, ``authors`` (``;``-separated), ``url``, ``arxiv_id``, ``doi``,
``references`` (``;``-separated arXiv ids, DOIs, URLs, titles or ids). Quoted
fields may span lines; a record's line is the line where it starts.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from kg.sources.base import Sighting, SkippedRecord, normalise_field_name, paper_from_fields
from kg.sources.textio import numbered_lines

__all__ = ["read_csv"]


class _LineFeed:
    """Feeds decoded lines to :mod:`csv` while remembering where each row starts.

    Undecodable lines are set aside (reported by the reader) instead of being fed.
    """

    def __init__(self, path: Path) -> None:
        self._source = numbered_lines(path)
        self.problems: list[SkippedRecord] = []
        self.row_start = 0
        self._at_row_start = True

    def mark_row_start(self) -> None:
        self._at_row_start = True

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        while True:
            item = next(self._source)
            if isinstance(item, SkippedRecord):
                self.problems.append(item)
                if item.line is None:
                    raise StopIteration
                continue
            number, line = item
            if self._at_row_start:
                self.row_start = number
                self._at_row_start = False
            return line + "\n"


def read_csv(path: Path, delimiter: str = ",") -> Iterator[Sighting | SkippedRecord]:
    """Read one CSV/TSV file, streaming row by row."""
    name = str(path)
    feed = _LineFeed(path)
    reader = csv.reader(feed, delimiter=delimiter)
    header: list[str] | None = None
    while True:
        feed.mark_row_start()
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield from _drain(feed)
            yield SkippedRecord(name, feed.row_start, f"malformed CSV row: {exc}")
            continue
        yield from _drain(feed)
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [normalise_field_name(cell) for cell in row]
            missing = [col for col in ("title", "abstract") if col not in header]
            if missing:
                found = ", ".join(repr(cell.strip()) for cell in row)
                wanted = " and ".join(repr(col) for col in missing)
                yield SkippedRecord(
                    name, feed.row_start, f"header has no {wanted} column (found {found}); file not read"
                )
                return
            continue
        if len(row) != len(header):
            yield SkippedRecord(
                name,
                feed.row_start,
                f"expected {len(header)} fields as in the header, found {len(row)} (unquoted delimiter?)",
            )
            continue
        result = paper_from_fields(dict(zip(header, row, strict=True)), f"{name}:{feed.row_start}")
        yield result if isinstance(result, Sighting) else SkippedRecord(name, feed.row_start, result)
    yield from _drain(feed)


def _drain(feed: _LineFeed) -> Iterator[SkippedRecord]:
    while feed.problems:
        yield feed.problems.pop(0)
