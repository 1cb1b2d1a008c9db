"""Curated gazetteers: the field's well-known datasets, models, methods and tasks.

The lists ship as package data in ``extractors/data/``:

* ``datasets.jsonl``, ``models.jsonl``, ``methods.jsonl``, ``tasks.jsonl`` — one JSON
  object per line::

      {"name": "ImageNet", "type": "DATASET", "aliases": ["ILSVRC"], "case_sensitive": false,
       "ambiguous": ["MODEL"], "parent": "ImageNet", "field": "CV"}

  ``name`` is the canonical name, ``aliases`` other spellings, ``case_sensitive``
  whether matching must respect case (short acronyms such as ``SAM`` or ``ORM``),
  ``ambiguous`` other types the same surface is known to take, ``parent`` the
  family the entry belongs to and ``field`` the research area.
* ``generic_phrases.txt`` — one lower-case phrase a line (``#`` starts a comment):
  category words that are never concepts ("large language models", "training").

A broken line raises :class:`GazetteerError` naming the file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "DATA_DIR",
    "ENTITY_TYPES",
    "GAZETTEER_FILES",
    "GazetteerEntry",
    "GazetteerError",
    "load_gazetteer",
    "load_generic_phrases",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
GAZETTEER_FILES = ("datasets.jsonl", "models.jsonl", "methods.jsonl", "tasks.jsonl")
GENERIC_FILE = "generic_phrases.txt"
ENTITY_TYPES = frozenset({"DATASET", "MODEL", "METHOD", "TASK"})


class GazetteerError(ValueError):
    """A gazetteer or phrase file is malformed (the message names file and line)."""


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One known concept: canonical name, type and the spellings that denote it."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    case_sensitive: bool = False
    ambiguous: tuple[str, ...] = ()
    parent: str | None = None
    field: str | None = None

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The canonical name followed by every alias, without duplicates."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


def _parse_entry(obj: object, where: str) -> GazetteerEntry:
    if not isinstance(obj, dict):
        raise GazetteerError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    name = obj.get("name")
    etype = obj.get("type")
    if not isinstance(name, str) or not name.strip():
        raise GazetteerError(f"{where}: 'name' must be a non-empty string")
    if etype not in ENTITY_TYPES:
        raise GazetteerError(f"{where}: 'type' must be one of {sorted(ENTITY_TYPES)}, got {etype!r}")
    aliases = obj.get("aliases") or []
    ambiguous = obj.get("ambiguous") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise GazetteerError(f"{where}: 'aliases' must be a list of strings")
    if not isinstance(ambiguous, list) or not all(a in ENTITY_TYPES for a in ambiguous):
        raise GazetteerError(f"{where}: 'ambiguous' must be a list of entity types")
    parent = obj.get("parent")
    field = obj.get("field")
    return GazetteerEntry(
        name=" ".join(name.split()),
        type=etype,
        aliases=tuple(" ".join(a.split()) for a in aliases if a.strip()),
        case_sensitive=bool(obj.get("case_sensitive", False)),
        ambiguous=tuple(ambiguous),
        parent=parent if isinstance(parent, str) and parent.strip() else None,
        field=field if isinstance(field, str) and field.strip() else None,
    )


def read_gazetteer_file(path: Path) -> list[GazetteerEntry]:
    """Read one ``*.jsonl`` gazetteer file; blank lines are skipped."""
    entries = []
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GazetteerError(f"{where}: invalid JSON ({exc.msg})") from exc
            entries.append(_parse_entry(obj, where))
    return entries


def load_gazetteer(paths: Iterable[Path | str] | None = None) -> tuple[GazetteerEntry, ...]:
    """Load gazetteer entries.

    Parameters
    ----------
    paths : iterable of path, optional
        ``*.jsonl`` files to read; by default the packaged files in
        :data:`DATA_DIR` (missing packaged files are skipped).

    Returns
    -------
    tuple of GazetteerEntry
        In file order. Later duplicates of the same (name, type) are merged into
        the first (aliases united).
    """
    if paths is None:
        return _packaged_gazetteer()
    return _merge_duplicates(e for p in paths for e in read_gazetteer_file(Path(p)))


@lru_cache(maxsize=1)
def _packaged_gazetteer() -> tuple[GazetteerEntry, ...]:
    files = [DATA_DIR / name for name in GAZETTEER_FILES if (DATA_DIR / name).is_file()]
    return _merge_duplicates(e for p in files for e in read_gazetteer_file(p))


def _merge_duplicates(entries: Iterable[GazetteerEntry]) -> tuple[GazetteerEntry, ...]:
    merged: dict[tuple[str, str], GazetteerEntry] = {}
    for entry in entries:
        key = (entry.name, entry.type)
        if key in merged:
            old = merged[key]
            aliases = tuple(dict.fromkeys(old.aliases + entry.aliases))
            ambiguous = tuple(dict.fromkeys(old.ambiguous + entry.ambiguous))
            merged[key] = GazetteerEntry(
                old.name, old.type, aliases, old.case_sensitive or entry.case_sensitive,
                ambiguous, old.parent or entry.parent, old.field or entry.field,
            )
        else:
            merged[key] = entry
    return tuple(merged.values())


def read_phrase_file(path: Path) -> frozenset[str]:
    """Read a one-phrase-a-line file: lower-cased, ``#`` comments and blanks dropped."""
    phrases = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            text = line.split("#", 1)[0].strip()
            if text:
                phrases.add(" ".join(text.lower().split()))
    return frozenset(phrases)


def load_generic_phrases(path: Path | str | None = None) -> frozenset[str]:
    """Load the stop-list of generic phrases (lower case).

    Parameters
    ----------
    path : path, optional
        A phrase file; by default the packaged ``generic_phrases.txt`` (empty if absent).
    """
    if path is not None:
        return read_phrase_file(Path(path))
    return _packaged_generic()


@lru_cache(maxsize=1)
def _packaged_generic() -> frozenset[str]:
    path = DATA_DIR / GENERIC_FILE
    return read_phrase_file(path) if path.is_file() else frozenset()
