"""Reader for BibTeX (``.bib``) files with abstracts, parsed with bibtexparser 2.

Per entry (any entry type): ``title`` and ``abstract`` (required), ``author``
(``and``-separated, names turned to "First Last"), ``year`` (or ``date``),
``doi``, ``url``, the arXiv id from ``eprint`` (with ``archivePrefix = {arXiv}``
or an arXiv-shaped value), from an arXiv ``url``, or from ``journal = {arXiv
preprint arXiv:…}``, and references from a ``references`` or ``cites`` field:
entry keys, arXiv ids or DOIs separated by commas/whitespace, or any values
(titles too) separated by ``;``. The entry key is an alias of the paper, so
``cites = {burns2023weak}`` resolves to that entry. LaTeX in titles, abstracts
and authors is decoded to text (``{\\"o}`` → ``ö``, ``20\\%`` → ``20%``); math
(``$x^2$``) and URLs are kept verbatim; line breaks and indentation inside a
value become single spaces.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.model import DuplicateBlockKeyBlock, Entry
from pylatexenc.latex2text import LatexNodes2Text

from kg.records import Paper, normalise_arxiv_id, reference_id
from kg.sources.base import Sighting, SkippedRecord, parse_year
from kg.sources.textio import numbered_lines

__all__ = ["read_bibtex"]

_DECODER = LatexNodes2Text(math_mode="verbatim")
_URL_MACRO = re.compile(r"\\url\{([^{}]*)\}")
_URL = re.compile(r"https?://[^\s{}]+")


@contextmanager
def _quiet_parser() -> Iterator[None]:
    """bibtexparser logs each aborted block as a warning; the reader reports them itself."""
    logger = logging.getLogger("bibtexparser")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(previous)


def latex_to_text(value: str) -> str:
    """Decode LaTeX markup to text, leaving URLs and ``$math$`` as written."""
    value = _URL_MACRO.sub(lambda m: m.group(1), value)
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(value):
        parts.append(_decode(value[last : match.start()]))
        parts.append(match.group(0).replace("\\_", "_").replace("\\%", "%").replace("\\&", "&"))
        last = match.end()
    parts.append(_decode(value[last:]))
    return "".join(parts).replace("\xa0", " ")


def _decode(text: str) -> str:
    if "\\" not in text and "{" not in text and "~" not in text:
        return text
    try:
        return _DECODER.latex_to_text(text)
    except Exception:  # pylatexenc is tolerant; never lose an entry over a decoding corner case
        return text


def _arxiv_id(fields: dict[str, str]) -> str | None:
    eprint = fields.get("eprint", "").strip()
    prefix = fields.get("archiveprefix", "").strip().lower()
    if eprint and (prefix == "arxiv" or not prefix) and (arxiv := normalise_arxiv_id(eprint)):
        return arxiv
    for key in ("url", "journal", "note", "howpublished"):
        value = fields.get(key, "")
        if "arxiv" in value.lower() and (arxiv := normalise_arxiv_id(value)):
            return arxiv
    return None


def _references(value: str) -> list[str]:
    separator = r";" if ";" in value else r"[,\s]+"
    return [part.strip() for part in re.split(separator, value) if part.strip()]


def _paper(entry: Entry, name: str, line: int) -> Sighting | str:
    fields = {key.lower(): str(field.value) for key, field in entry.fields_dict.items()}
    title = " ".join(latex_to_text(fields.get("title", "")).split())
    if not title:
        return f"entry '{entry.key}' has no title"
    abstract = " ".join(latex_to_text(fields.get("abstract", "")).split())  # line breaks in .bib are spaces
    if not abstract:
        return f"empty abstract in entry '{entry.key}' (title: {title!r})"
    authors_value = entry.fields_dict["author"].value if "author" in entry.fields_dict else []
    authors = [latex_to_text(a) for a in authors_value] if isinstance(authors_value, list) else []
    references = _references(fields.get("references", "")) + _references(fields.get("cites", ""))
    paper = Paper.create(
        title,
        abstract,
        year=parse_year(fields.get("year") or fields.get("date")),
        authors=authors,
        url=fields.get("url") or None,
        arxiv_id=_arxiv_id(fields),
        doi=fields.get("doi") or None,
        references=references,
        source=f"{name}:{line}",
    )
    return Sighting(paper, aliases=(reference_id(entry.key),))


def read_bibtex(path: Path) -> Iterator[Sighting | SkippedRecord]:
    """Read one BibTeX file; yield its papers and skipped entries in file order."""
    name = str(path)
    lines: list[str] = []
    for item in numbered_lines(path):
        if isinstance(item, SkippedRecord):
            yield item
            if item.line is None:
                return
            lines.append("")  # keep line numbers aligned with the file
            continue
        lines.append(item[1])
    with _quiet_parser():
        library = bibtexparser.parse_string(
            "\n".join(lines),
            append_middleware=[
                middlewares.SeparateCoAuthors(),
                middlewares.SplitNameParts(),
                middlewares.MergeNameParts(style="first"),
            ],
        )
    found = 0
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, Entry):
            found += 1
            result = _paper(block, name, line)
            yield result if isinstance(result, Sighting) else SkippedRecord(name, line, result)
        elif isinstance(block, DuplicateBlockKeyBlock):
            first = (block.previous_block.start_line or 0) + 1
            yield SkippedRecord(
                name, line, f"duplicate entry key '{block.key}' (first used on line {first}); entry skipped"
            )
        elif hasattr(block, "error"):
            error = block.error
            detail = error.abort_reason if isinstance(error, BlockAbortedException) else str(error)
            detail = " ".join(detail.split())
            yield SkippedRecord(name, line, f"BibTeX entry could not be parsed: {detail or 'syntax error'}")
    if not found and not library.failed_blocks and any(line.strip() for line in lines):
        yield SkippedRecord(name, None, "no BibTeX entries found")
