"""Reader for JSON Lines (``.jsonl`` / ``.ndjson``): one JSON object per line.

Fields: ``title`` and ``abstract`` (required), ``id``, ``year``, ``authors``
(list or ``;``-separated string), ``url``, ``arxiv_id``, ``doi``, ``references``
(list of arXiv ids, DOIs, URLs, titles or ids of other records, or objects with
one of ``arxiv_id``/``doi``/``id``/``title``). See :func:`kg.sources.base.paper_from_fields`.
Blank lines are ignored; every other line that is not a usable object is reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from kg.sources.base import Sighting, SkippedRecord, paper_from_fields
from kg.sources.textio import numbered_lines

__all__ = ["read_jsonl"]


def read_jsonl(path: Path) -> Iterator[Sighting | SkippedRecord]:
    """Read one JSON Lines file, streaming line by line."""
    name = str(path)
    for item in numbered_lines(path):
        if isinstance(item, SkippedRecord):
            yield item
            continue
        number, line = item
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield SkippedRecord(name, number, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(value, dict):
            yield SkippedRecord(name, number, f"expected a JSON object, found {type(value).__name__}")
            continue
        result = paper_from_fields(value, f"{name}:{number}")
        yield result if isinstance(result, Sighting) else SkippedRecord(name, number, result)
