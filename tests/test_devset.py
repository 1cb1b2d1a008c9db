"""The annotated dev/test sets: well-formed, in sync with their annotation source, exact seed text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.devset.build import AnnotationError, build, parse_annotations
from benchmarks.devset.select import read_seed_file, select
from benchmarks.scoring import TYPES
from kg.records import paper_id

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "benchmarks" / "devset"
SEEDS = ROOT / "data" / "sample"


def _rows(split: str) -> list[dict]:
    return [json.loads(line) for line in (DEVSET / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]


def test_split_sizes_and_disjoint_ids() -> None:
    dev, test = _rows("dev"), _rows("test")
    assert (len(dev), len(test)) == (50, 62)
    ids = [r["id"] for r in dev + test]
    assert len(set(ids)) == 112
    assert all(r["id"] == paper_id(r["title"]) for r in dev + test)


def test_rows_carry_exact_seed_text() -> None:
    seen = {}
    for path in sorted(SEEDS.glob("*.txt")):
        for paper in read_seed_file(path):
            seen.setdefault(paper.source, paper)
    for row in _rows("dev") + _rows("test"):
        paper = seen[row["source"]]
        assert (paper.title, paper.abstract) == (row["title"], row["abstract"])


def test_concepts_are_well_formed() -> None:
    for row in _rows("dev") + _rows("test"):
        for concept in row["concepts"]:
            assert set(concept) == {"type", "name", "aliases", "role"}
            assert concept["type"] in TYPES
            assert concept["role"] in {"PROPOSES", "USES"}
    known = {c["name"] for r in _rows("dev") for c in r["concepts"]}
    assert {"Sharpness-Aware Minimization", "GSM8K", "https://github.com/xyfJASON/HCL"} <= known


def test_jsonl_files_are_what_the_annotations_build(tmp_path: Path) -> None:
    counts = build(SEEDS, DEVSET / "annotations.txt", tmp_path)
    assert counts == {"dev": 50, "test": 62}
    for split in ("dev", "test"):
        assert (tmp_path / f"{split}.jsonl").read_text(encoding="utf-8") == (
            DEVSET / f"{split}.jsonl"
        ).read_text(encoding="utf-8")


def test_selection_is_every_third_distinct_paper() -> None:
    splits = select(SEEDS)
    assert [len(v) for v in splits.values()] == [50, 62]
    dev, test = splits["dev"], splits["test"]
    # first part: every 3rd distinct paper from the first, ordered by id, split 50 / 32
    assert dev == sorted(dev, key=lambda p: p.id) and dev[-1].id < test[0].id
    assert test[:32] == sorted(test[:32], key=lambda p: p.id)
    # extension: every 3rd distinct paper from the second, ordered by id, first 30
    assert test[32:] == sorted(test[32:], key=lambda p: p.id)
    assert test[32].id < test[31].id  # the extension starts its own id order
    assert {p.source.split("_")[0] for p in test[32:]} == {"000", "002", "003"}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "annotations.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_annotation_line_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "== title:x\nMODEL P GPT-4\nMODELS U CLIP\n")
    with pytest.raises(AnnotationError, match=r"annotations\.txt:3: expected"):
        parse_annotations(path)


def test_alias_not_in_text_is_refused(tmp_path: Path) -> None:
    original = (DEVSET / "annotations.txt").read_text(encoding="utf-8")
    broken = original.replace(
        "METHOD U Sharpness-Aware Minimization | SAM", "METHOD U Sharpness-Aware Minimization | SAMX"
    )
    line = broken.splitlines().index("METHOD U Sharpness-Aware Minimization | SAMX") + 1
    path = _write(tmp_path, broken)
    with pytest.raises(AnnotationError, match=rf"annotations\.txt:{line}: alias 'SAMX' does not occur"):
        build(SEEDS, path, tmp_path)
    assert not (tmp_path / "dev.jsonl").exists()


def test_duplicate_concept_is_refused(tmp_path: Path) -> None:
    original = (DEVSET / "annotations.txt").read_text(encoding="utf-8")
    broken = original.replace(
        "METHOD U trust-region methods | TR", "METHOD U trust-region methods | TR\nMETHOD U SAM"
    )
    path = _write(tmp_path, broken)
    with pytest.raises(AnnotationError, match="'SAM' duplicates the concept"):
        build(SEEDS, path, tmp_path)
