"""Paper readers: Hugging Face listing copies, JSON Lines, CSV/TSV and BibTeX.

>>> from kg.sources import read_papers
>>> report = read_papers(["data/sample"])          # doctest: +SKIP
>>> len(report.papers), report.duplicates_merged   # doctest: +SKIP

:func:`iter_file` reads one input as it is; :func:`read_papers` reads many,
merges the same paper seen in several places and says what it skipped.
"""

from __future__ import annotations

from kg.sources.base import Sighting, SkippedRecord
from kg.sources.reader import (
    FORMATS,
    FileResult,
    ReadReport,
    expand_paths,
    file_format,
    iter_file,
    read_papers,
)

__all__ = [
    "FORMATS",
    "FileResult",
    "ReadReport",
    "Sighting",
    "SkippedRecord",
    "expand_paths",
    "file_format",
    "iter_file",
    "read_papers",
]
