"""Reproduce the selection of papers for the annotated dev/test sets.

Rule (also in GUIDELINES.md): read the seed listings in file-name order; in
each, skip the five chrome lines, then take non-blank lines in pairs (title,
abstract). A paper seen again (same :func:`kg.records.paper_id` of the title)
is dropped, keeping its first sighting. Of the resulting list of distinct
papers, in order of first sighting, every ``STEP``-th paper is selected,
starting with the first. The selected papers are ordered by their id (a
title hash, i.e. an order unrelated to topic or file) and the first
``DEV_SIZE`` become ``dev``, the rest ``test``.

``test`` is then extended (so that adding papers never moves one between
splits): every ``STEP``-th distinct paper starting with the second is taken,
ordered by id, and the first ``TEST_EXTRA_SIZE`` of them are appended to
``test``.

``dev2``, a second development split annotated after the rules had been
tuned on ``dev``, takes every ``STEP``-th distinct paper starting with the
third (none of which is in ``dev`` or ``test``), ordered by id, and keeps
the first ``DEV2_SIZE``.

``test2``, a second held-out split, is every distinct paper in none of the
other three, ordered by id. It was annotated blind after the rules had been
tuned on ``dev`` and ``dev2``, and is scored only to report numbers, as
``test`` is.

Run ``python -m benchmarks.devset.select SEED_DIR`` to print the selection
as ``split<TAB>id<TAB>source<TAB>title``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from kg.records import paper_id

__all__ = ["DEV2_SIZE", "DEV_SIZE", "STEP", "TEST_EXTRA_SIZE", "SeedPaper", "read_seed_file", "select"]

CHROME_LINES = 5
STEP = 3
DEV_SIZE = 50
TEST_EXTRA_SIZE = 30
DEV2_SIZE = 40


@dataclass(frozen=True, slots=True)
class SeedPaper:
    """A title/abstract pair from a seed listing, with where it was found."""

    id: str
    title: str
    abstract: str
    source: str


def read_seed_file(path: Path) -> list[SeedPaper]:
    """Read one Hugging Face listing copy as (title, abstract) pairs.

    ``source`` is ``<file name>:<line of the title>`` (1-based).
    """
    lines = [(no, line.strip()) for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)]
    content = [(no, text) for no, text in lines if text][CHROME_LINES:]
    if len(content) % 2:
        raise ValueError(f"{path}:{content[-1][0]}: odd number of title/abstract lines")
    papers = []
    for (t_no, title), (_a_no, abstract) in zip(content[::2], content[1::2], strict=True):
        papers.append(SeedPaper(paper_id(title), title, abstract, f"{path.name}:{t_no}"))
    return papers


def select(seed_dir: Path) -> dict[str, list[SeedPaper]]:
    """Return ``{"dev": [...], "test": [...], "dev2": [...], "test2": [...]}`` following the module's rule."""
    distinct: dict[str, SeedPaper] = {}
    for path in sorted(seed_dir.glob("*.txt")):
        for paper in read_seed_file(path):
            distinct.setdefault(paper.id, paper)
    papers = list(distinct.values())
    chosen = sorted(papers[::STEP], key=lambda p: p.id)
    extra = sorted(papers[1::STEP], key=lambda p: p.id)[:TEST_EXTRA_SIZE]
    dev2 = sorted(papers[2::STEP], key=lambda p: p.id)[:DEV2_SIZE]
    taken = {p.id for p in (*chosen, *extra, *dev2)}
    test2 = sorted((p for p in papers if p.id not in taken), key=lambda p: p.id)
    return {"dev": chosen[:DEV_SIZE], "test": chosen[DEV_SIZE:] + extra, "dev2": dev2, "test2": test2}


if __name__ == "__main__":
    splits = select(Path(sys.argv[1] if len(sys.argv) > 1 else "data/sample"))
    for split, papers in splits.items():
        for p in papers:
            print(f"{split}\t{p.id}\t{p.source}\t{p.title}")
