"""Shared pieces of the readers: what a reader yields and how loose fields become a :class:`Paper`.

Every reader turns one file into a stream of :class:`Sighting` (a paper as seen in
that file) and :class:`SkippedRecord` (something that could not become a paper,
with the file and line so a user can fix it). Readers never raise for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from kg.records import Paper, reference_id

__all__ = [
    "Sighting",
    "SkippedRecord",
    "paper_from_fields",
    "parse_year",
    "split_list",
]


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """Something in an input that was not read as a paper, and why.

    Attributes
    ----------
    path : str
        The input file.
    line : int or None
        1-based line where the problem is; ``None`` when it concerns the whole
        file (missing, empty, binary, unsupported type).
    reason : str
        A sentence a user can act on.
    """

    path: str
    line: int | None
    reason: str

    @property
    def location(self) -> str:
        """``path:line``, or just ``path`` for a whole-file problem."""
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"

    def to_dict(self) -> dict[str, object]:
        """Plain-data form for JSON output."""
        return {"path": self.path, "line": self.line, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Sighting:
    """One paper as read from one place, plus the source's own names for it.

    ``aliases`` are paper ids (in :func:`kg.records.reference_id` form) under which
    other records may cite this one, e.g. a BibTeX key or a JSONL ``id`` such as
    ``W2741809807``. They let references by such names resolve to the paper.
    """

    paper: Paper
    aliases: tuple[str, ...] = ()


_FIELD_ALIASES = {
    "arxiv": "arxiv_id",
    "arxivid": "arxiv_id",
    "eprint": "arxiv_id",
    "summary": "abstract",
    "author": "authors",
    "refs": "references",
    "cites": "references",
    "link": "url",
}

_YEAR_RE = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


@lru_cache(maxsize=1024)
def normalise_field_name(name: str) -> str:
    """``"arXiv ID"`` → ``"arxiv_id"``; known synonyms map to the canonical field name."""
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return _FIELD_ALIASES.get(key, key)


def parse_year(value: object) -> int | None:
    """A publication year from an int or a string such as ``"2023"`` or ``"2023-10-04"``; else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value if 1500 <= value <= 2099 else None
    if isinstance(value, str) and (match := _YEAR_RE.search(value)):
        return int(match.group(1))
    return None


def split_list(value: object, separators: str = ";") -> list[str]:
    """Turn a list, or a string joined by any of *separators*, into a list of non-empty strings."""
    if value is None:
        return []
    if isinstance(value, str):
        parts: Iterable[str] = re.split("|".join(re.escape(s) for s in separators), value)
    elif isinstance(value, list | tuple):
        parts = (str(v) for v in value if isinstance(v, str | int | float) and not isinstance(v, bool))
    else:
        return []
    return [p.strip() for p in parts if p and p.strip()]


def _reference_strings(value: object) -> list[str]:
    """References as strings: plain values, or objects with ``arxiv_id``/``doi``/``id``/``title``."""
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            if isinstance(item, Mapping):
                fields = {normalise_field_name(str(k)): v for k, v in item.items()}
                if fields.get("arxiv_id"):
                    out.append(f"arXiv:{fields['arxiv_id']}")
                elif fields.get("doi"):
                    out.append(f"doi:{fields['doi']}")
                elif fields.get("id") or fields.get("title"):
                    out.append(str(fields.get("id") or fields.get("title")))
            elif isinstance(item, str) and item.strip():
                out.append(item.strip())
        return out
    return split_list(value)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def paper_from_fields(fields: Mapping[str, object], source: str) -> Sighting | str:
    """Build a paper from a flat record (a JSON object or a CSV row).

    Recognised fields (names are case-insensitive; see :func:`normalise_field_name`):
    ``id``, ``title``, ``abstract``, ``year``, ``authors``, ``url``, ``arxiv_id``,
    ``doi``, ``references``. Unknown fields are ignored.

    Returns
    -------
    Sighting or str
        The paper, or the reason it cannot be read (no title, empty abstract, …).
    """
    norm = {normalise_field_name(str(k)): v for k, v in fields.items() if k is not None}
    title_value = norm.get("title")
    if title_value is not None and not isinstance(title_value, str):
        return f"'title' must be a string, not {type(title_value).__name__}"
    title = " ".join(_text(title_value).split())
    if not title:
        return "no title"
    abstract_value = norm.get("abstract")
    if abstract_value is not None and not isinstance(abstract_value, str):
        return f"'abstract' must be a string, not {type(abstract_value).__name__} (title: {title!r})"
    abstract = _text(abstract_value)
    if not abstract:
        return f"empty abstract (title: {title!r})"
    arxiv = _text(norm.get("arxiv_id")) or None
    doi = _text(norm.get("doi")) or None
    own_id = _text(norm.get("id"))
    aliases: tuple[str, ...] = ()
    if own_id:
        own_ref = reference_id(own_id)
        if own_ref.startswith("arxiv:") and not arxiv:
            arxiv = own_ref
        elif own_ref.startswith("doi:") and not doi:
            doi = own_ref
        aliases = (own_ref,)
    url = _text(norm.get("url")) or None
    paper = Paper.create(
        title,
        abstract,
        year=parse_year(norm.get("year")),
        authors=split_list(norm.get("authors")),
        url=url,
        arxiv_id=arxiv,
        doi=doi,
        references=_reference_strings(norm.get("references")),
        source=source,
    )
    return Sighting(paper, aliases)
