"""Reading many inputs into one deduplicated list of papers, with a report of what happened.

Formats are chosen by file extension (see :data:`FORMATS`). Inputs are read one
file at a time; JSON Lines and CSV files are streamed line by line, a listing
page or a BibTeX file is held only while it is parsed. Memory therefore grows
with the number of distinct papers, not with the total size of the inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from kg.records import Paper
from kg.sources.base import Sighting, SkippedRecord
from kg.sources.bibtex import read_bibtex
from kg.sources.csv_reader import read_csv
from kg.sources.dedup import PaperSet
from kg.sources.hf_listing import read_listing
from kg.sources.jsonl import read_jsonl

__all__ = ["FORMATS", "FileResult", "ReadReport", "expand_paths", "file_format", "iter_file", "read_papers"]

Reader = Callable[[Path], Iterator[Sighting | SkippedRecord]]

#: How often (in records) :func:`read_papers` reports progress inside a file.
PROGRESS_EVERY = 1000

#: File extension → (format name, reader).
FORMATS: dict[str, tuple[str, Reader]] = {
    ".txt": ("hf-listing", read_listing),
    ".md": ("hf-listing", read_listing),
    ".jsonl": ("jsonl", read_jsonl),
    ".ndjson": ("jsonl", read_jsonl),
    ".csv": ("csv", read_csv),
    ".tsv": ("tsv", partial(read_csv, delimiter="\t")),
    ".bib": ("bibtex", read_bibtex),
}


def file_format(path: Path) -> str | None:
    """The format name for *path*'s extension, or ``None`` if it is not a supported input."""
    entry = FORMATS.get(path.suffix.lower())
    return entry[0] if entry else None


def _is_documentation(path: Path) -> bool:
    return path.name.startswith(".") or path.stem.upper() in {"README", "LICENSE", "CHANGELOG"}


def _files_in(directory: Path) -> list[Path]:
    return sorted(
        p
        for p in directory.rglob("*")
        if p.is_file()
        and file_format(p)
        and not _is_documentation(p)
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Turn the inputs a user named into the list of files to read.

    A directory stands for the supported files below it (recursively, sorted by
    path), leaving out hidden files and ``README``/``LICENSE``/``CHANGELOG``
    files, which describe a corpus rather than belong to it. Files named
    explicitly are always kept, whatever their type, so that an unsupported or
    missing one is reported. A file named twice is read once.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        for item in _files_in(path) if path.is_dir() else [path]:
            key = item.resolve()
            if key not in seen:
                seen.add(key)
                out.append(item)
    return out


def _iter_sightings(path: Path) -> Iterator[Sighting | SkippedRecord]:
    if path.is_dir():
        for child in expand_paths([path]):
            yield from _iter_sightings(child)
        return
    entry = FORMATS.get(path.suffix.lower())
    if not path.exists():
        yield SkippedRecord(str(path), None, "no such file")
    elif entry is None:
        known = ", ".join(sorted(FORMATS))
        what = f"'{path.suffix}'" if path.suffix else "(no extension)"
        yield SkippedRecord(str(path), None, f"unsupported file type {what}; expected one of {known}")
    else:
        yield from entry[1](path)


def iter_file(path: str | Path) -> Iterator[Paper | SkippedRecord]:
    """Read one input (a file, or a directory of files) as it is, without merging duplicates.

    Yields papers and skipped records in file order; never raises for bad input.
    """
    for item in _iter_sightings(Path(path)):
        yield item.paper if isinstance(item, Sighting) else item


@dataclass(slots=True)
class FileResult:
    """What reading one file gave.

    ``records`` counts papers read from it (before merging duplicates) and
    ``skipped`` the records, lines or whole-file problems left out. ``error`` is
    set when no paper at all came from the file (missing, empty, binary,
    unsupported, unusable header, nothing but skipped records): the first
    problem found, or ``"no paper records found"``.
    """

    path: str
    format: str | None
    records: int = 0
    skipped: int = 0
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "records": self.records,
            "skipped": self.skipped,
            "error": self.error,
        }


@dataclass(slots=True)
class ReadReport:
    """The result of :func:`read_papers`: the distinct papers and an account of the reading."""

    papers: list[Paper] = field(default_factory=list)
    raw_count: int = 0
    skipped: list[SkippedRecord] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)

    @property
    def duplicates_merged(self) -> int:
        """Sightings folded into a paper seen before (``raw_count - len(papers)``)."""
        return self.raw_count - len(self.papers)

    @property
    def files_read(self) -> int:
        """Files that gave at least one paper (possibly with skipped records too)."""
        return sum(1 for f in self.files if f.error is None)

    def to_dict(self) -> dict[str, object]:
        """Counts, per-file results and every skipped record, for JSON output (papers left out)."""
        return {
            "files_read": self.files_read,
            "files_not_read": len(self.files) - self.files_read,
            "raw_records": self.raw_count,
            "distinct_papers": len(self.papers),
            "duplicates_merged": self.duplicates_merged,
            "skipped_records": len(self.skipped),
            "files": [f.to_dict() for f in self.files],
            "skipped": [s.to_dict() for s in self.skipped],
        }


def read_papers(
    paths: Iterable[str | Path],
    *,
    on_file: Callable[[FileResult], None] | None = None,
    on_records: Callable[[int], None] | None = None,
) -> ReadReport:
    """Read every input, merge duplicates and report what was read and skipped.

    Parameters
    ----------
    paths
        Files and directories (see :func:`expand_paths`), read in the given order.
    on_file
        Called after each file with its :class:`FileResult` (for progress display).
    on_records
        Called with the number of records read so far after every
        :data:`PROGRESS_EVERY` records, so progress shows inside a large file.

    Returns
    -------
    ReadReport
        ``papers`` are distinct, in first-seen order, with references resolved to
        the final ids (see :class:`kg.sources.dedup.PaperSet`).
    """
    papers = PaperSet()
    report = ReadReport()
    paths = [Path(p) for p in paths]
    for directory in paths:
        if directory.is_dir() and not _files_in(directory):
            problem = SkippedRecord(str(directory), None, "directory has no supported paper files")
            report.skipped.append(problem)
            report.files.append(FileResult(str(directory), None, skipped=1, error=problem.reason))
    for path in expand_paths(paths):
        result = FileResult(str(path), file_format(path))
        first_problem: SkippedRecord | None = None
        for item in _iter_sightings(path):
            if isinstance(item, Sighting):
                papers.add(item)
                result.records += 1
                if on_records is not None and papers.raw_count % PROGRESS_EVERY == 0:
                    on_records(papers.raw_count)
            else:
                report.skipped.append(item)
                result.skipped += 1
                first_problem = first_problem or item
        if result.records == 0:
            if first_problem is None:
                first_problem = SkippedRecord(result.path, None, "no paper records found")
                report.skipped.append(first_problem)
                result.skipped += 1
            result.error = first_problem.reason
        report.files.append(result)
        if on_file is not None:
            on_file(result)
    report.papers = papers.papers()
    report.raw_count = papers.raw_count
    return report
