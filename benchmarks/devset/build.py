"""Compile ``annotations.txt`` into one JSONL file per split (``dev``, ``test``, ``dev2``, ``test2``).

The annotation file holds only the gold concepts, keyed by paper id; the
title, abstract and source line come from the seed listings through the
selection rule in :mod:`benchmarks.devset.select`, so the JSON lines always
carry the exact seed text. Every concept is checked before anything is
written: known type and role, no duplicate concept in a paper, and at least
one of its name/aliases actually occurring in the paper's title or abstract,
every alias occurring (aliases are surface variants seen; the name may be a
canonical long form), REPO URLs verbatim. Errors name the annotation file and line.

Run ``python -m benchmarks.devset.build [SEED_DIR]`` from the project root.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.devset.select import SeedPaper, select
from benchmarks.scoring import concept_key, normalise_name

__all__ = ["AnnotatedConcept", "AnnotationError", "build", "parse_annotations"]

HERE = Path(__file__).resolve().parent
TYPES = ("DATASET", "MODEL", "METHOD", "TASK", "REPO")
ROLES = {"P": "PROPOSES", "U": "USES"}


class AnnotationError(ValueError):
    """A malformed or inconsistent annotation; the message names file and line."""


@dataclass(slots=True)
class AnnotatedConcept:
    """One gold concept as written in the annotation file."""

    type: str
    name: str
    aliases: list[str]
    role: str
    line: int

    def to_json(self) -> dict[str, object]:
        return {"type": self.type, "name": self.name, "aliases": self.aliases, "role": self.role}


@dataclass(slots=True)
class _Block:
    paper_id: str
    line: int
    concepts: list[AnnotatedConcept] = field(default_factory=list)


def parse_annotations(path: Path) -> dict[str, _Block]:
    """Read the annotation file into ``{paper id: block}``."""
    blocks: dict[str, _Block] = {}
    current: _Block | None = None
    for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("=="):
            pid = line[2:].strip()
            if pid in blocks:
                raise AnnotationError(
                    f"{path}:{no}: paper {pid} annotated twice (first at line {blocks[pid].line})"
                )
            current = blocks[pid] = _Block(pid, no)
            continue
        if current is None:
            raise AnnotationError(f"{path}:{no}: concept line before any '== <paper id>' header")
        parts = line.split(maxsplit=2)
        if len(parts) < 3 or parts[0] not in TYPES or parts[1] not in ROLES:
            raise AnnotationError(f"{path}:{no}: expected 'TYPE P|U name | alias ...', got {line!r}")
        names = [n.strip() for n in parts[2].split(" | ")]
        if any(not n for n in names):
            raise AnnotationError(f"{path}:{no}: empty name or alias in {line!r}")
        current.concepts.append(AnnotatedConcept(parts[0], names[0], names[1:], ROLES[parts[1]], no))
    return blocks


def _check_block(path: Path, block: _Block, paper: SeedPaper) -> None:
    text = f"{paper.title}\n{paper.abstract}"
    folded_text = normalise_name(text)
    seen: dict[str, int] = {}
    for concept in block.concepts:
        for variant in (concept.name, *concept.aliases):
            key = concept_key(concept.type, variant)
            if key in seen and seen[key] != concept.line:
                raise AnnotationError(
                    f"{path}:{concept.line}: {concept.type} {variant!r} duplicates the concept "
                    f"at line {seen[key]}"
                )
            seen[key] = concept.line
        if concept.type == "REPO":
            found = concept.name in text
        else:
            unseen = [a for a in concept.aliases if normalise_name(a) not in folded_text]
            if unseen:
                raise AnnotationError(
                    f"{path}:{concept.line}: alias {unseen[0]!r} does not occur in paper {paper.id}"
                )
            found = any(normalise_name(v) in folded_text for v in (concept.name, *concept.aliases))
        if not found:
            raise AnnotationError(
                f"{path}:{concept.line}: none of {[concept.name, *concept.aliases]} "
                f"occurs in paper {paper.id}"
            )


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(
    seed_dir: Path, annotations: Path = HERE / "annotations.txt", out_dir: Path = HERE
) -> dict[str, int]:
    """Validate the annotations against the selected papers and write one JSONL file per split.

    Returns the number of papers written per split.
    """
    blocks = parse_annotations(annotations)
    splits = select(seed_dir)
    selected = {p.id for papers in splits.values() for p in papers}
    if unknown := sorted(set(blocks) - selected):
        raise AnnotationError(
            f"{annotations}:{blocks[unknown[0]].line}: paper {unknown[0]} is not in the selection"
        )
    rows_by_split: dict[str, list[dict[str, object]]] = {}
    for split, papers in splits.items():
        rows = []
        for paper in papers:
            if paper.id not in blocks:
                raise AnnotationError(
                    f"{annotations}: selected paper {paper.id} ({paper.source}) is not annotated"
                )
            block = blocks[paper.id]
            _check_block(annotations, block, paper)
            rows.append(
                {
                    "id": paper.id,
                    "title": paper.title,
                    "abstract": paper.abstract,
                    "source": paper.source,
                    "concepts": [c.to_json() for c in block.concepts],
                }
            )
        rows_by_split[split] = rows
    for split, rows in rows_by_split.items():
        _write_jsonl(out_dir / f"{split}.jsonl", rows)
    return {split: len(rows) for split, rows in rows_by_split.items()}


if __name__ == "__main__":
    try:
        counts = build(Path(sys.argv[1] if len(sys.argv) > 1 else "data/sample"))
    except AnnotationError as exc:
        sys.exit(f"error: {exc}")
    print(", ".join(f"{split}: {n} papers" for split, n in counts.items()))
