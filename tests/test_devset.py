"""The annotated splits (dev, test, dev2, test2): well-formed, in sync with their source, exact seed text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.devset.build import AnnotationError, build, parse_annotations
from benchmarks.devset.select import read_seed_file, select
from benchmarks.scoring import TYPES, normalise_name
from kg.records import paper_id

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "benchmarks" / "devset"
SEEDS = ROOT / "data" / "sample"
SPLITS = ("dev", "test", "dev2", "test2")
DEV2_COUNTS = {"DATASET": 44, "MODEL": 48, "METHOD": 80, "TASK": 73, "REPO": 23}
TEST2_COUNTS = {"DATASET": 64, "MODEL": 55, "METHOD": 191, "TASK": 191, "REPO": 21}


def _rows(split: str) -> list[dict]:
    return [json.loads(line) for line in (DEVSET / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]


def test_split_sizes_and_disjoint_ids() -> None:
    dev, test, dev2, test2 = _rows("dev"), _rows("test"), _rows("dev2"), _rows("test2")
    assert (len(dev), len(test), len(dev2), len(test2)) == (50, 62, 40, 92)
    ids = [r["id"] for r in dev + test + dev2 + test2]
    assert len(set(ids)) == 244  # every distinct seed paper, each in one split
    assert not {r["id"] for r in dev2} & {r["id"] for r in dev + test}
    assert not {r["title"] for r in dev2} & {r["title"] for r in dev + test}
    assert not {r["title"] for r in test2} & {r["title"] for r in dev + test + dev2}
    assert all(r["id"] == paper_id(r["title"]) for r in dev + test + dev2 + test2)


def test_rows_carry_exact_seed_text() -> None:
    seen = {}
    for path in sorted(SEEDS.glob("*.txt")):
        for paper in read_seed_file(path):
            seen.setdefault(paper.source, paper)
    for split in SPLITS:
        for row in _rows(split):
            paper = seen[row["source"]]
            assert (paper.title, paper.abstract) == (row["title"], row["abstract"])


@pytest.mark.parametrize("split", SPLITS)
def test_concepts_are_well_formed(split: str) -> None:
    for row in _rows(split):
        for concept in row["concepts"]:
            assert set(concept) == {"type", "name", "aliases", "role"}
            assert concept["type"] in TYPES
            assert concept["role"] in {"PROPOSES", "USES"}


@pytest.mark.parametrize("split", SPLITS)
def test_every_gold_name_occurs_in_its_paper(split: str) -> None:
    """Each alias occurs in the title or abstract, and so does the name or one alias (URLs verbatim)."""
    for row in _rows(split):
        text = f"{row['title']}\n{row['abstract']}"
        folded = normalise_name(text)
        for concept in row["concepts"]:
            where = f"{split} {row['id']} {concept['type']} {concept['name']!r}"
            if concept["type"] == "REPO":
                assert concept["name"] in text, where
                continue
            assert all(normalise_name(a) in folded for a in concept["aliases"]), where
            assert any(normalise_name(v) in folded for v in (concept["name"], *concept["aliases"])), where


def test_known_gold_concepts() -> None:
    known = {c["name"] for r in _rows("dev") for c in r["concepts"]}
    assert {"Sharpness-Aware Minimization", "GSM8K", "https://github.com/xyfJASON/HCL"} <= known
    by_id = {r["id"]: r for r in _rows("dev2")}
    p5 = by_id["title:059d17060da671fa"]["concepts"]
    assert p5[0] == {
        "type": "MODEL",
        "name": "Pretrain, Personalized Prompt, and Predict Paradigm",
        "aliases": ["P5"],
        "role": "PROPOSES",
    }
    assert by_id["title:29acf482e4678252"]["concepts"] == []  # a paper that names no concept


@pytest.mark.parametrize(("split", "expected"), [("dev2", DEV2_COUNTS), ("test2", TEST2_COUNTS)])
def test_counts_per_type(split: str, expected: dict[str, int]) -> None:
    counts: dict[str, int] = {}
    for row in _rows(split):
        for concept in row["concepts"]:
            counts[concept["type"]] = counts.get(concept["type"], 0) + 1
    assert counts == expected


def test_jsonl_files_are_what_the_annotations_build(tmp_path: Path) -> None:
    counts = build(SEEDS, DEVSET / "annotations.txt", tmp_path)
    assert counts == {"dev": 50, "test": 62, "dev2": 40, "test2": 92}
    for split in SPLITS:
        assert (tmp_path / f"{split}.jsonl").read_text(encoding="utf-8") == (
            DEVSET / f"{split}.jsonl"
        ).read_text(encoding="utf-8")


def test_selection_is_every_third_distinct_paper() -> None:
    splits = select(SEEDS)
    assert list(splits) == ["dev", "test", "dev2", "test2"]
    assert [len(v) for v in splits.values()] == [50, 62, 40, 92]
    dev, test, dev2, test2 = splits["dev"], splits["test"], splits["dev2"], splits["test2"]
    # first part: every 3rd distinct paper from the first, ordered by id, split 50 / 32
    assert dev == sorted(dev, key=lambda p: p.id) and dev[-1].id < test[0].id
    assert test[:32] == sorted(test[:32], key=lambda p: p.id)
    # extension: every 3rd distinct paper from the second, ordered by id, first 30
    assert test[32:] == sorted(test[32:], key=lambda p: p.id)
    assert test[32].id < test[31].id  # the extension starts its own id order
    assert {p.source.split("_")[0] for p in test[32:]} == {"000", "002", "003"}
    # dev2: every 3rd distinct paper from the third, ordered by id, first 40
    distinct: dict[str, object] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        for paper in read_seed_file(path):
            distinct.setdefault(paper.id, paper)
    third = sorted(list(distinct.values())[2::3], key=lambda p: p.id)
    assert dev2 == third[:40]
    assert not {p.id for p in dev2} & {p.id for p in dev + test}
    # test2: every distinct paper in none of the others, ordered by id
    taken = {p.id for p in dev + test + dev2}
    assert test2 == sorted((p for p in distinct.values() if p.id not in taken), key=lambda p: p.id)


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
