"""``kg extract`` end to end on small input files."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kg.cli import app

ENTITY_KEYS = ["type", "name", "aliases", "text", "start", "end", "field", "sentence", "rule", "confidence",
               "role", "mentions"]
MENTION_KEYS = ["type", "text", "start", "end", "field", "sentence", "rule", "confidence"]

PAPERS = [
    {"id": "arxiv:2401.00001", "title": "GNPD: Gradient Norm Penalized Descent for Transfer",
     "abstract": "We propose Gradient Norm Penalized Descent (GNPD), an optimizer for fine-tuning. "
                 "Experiments on CIFAR-10 and ImageNet-C with ResNet-50 show gains. "
                 "Code: https://github.com/example/gnpd."},
    {"id": "arxiv:2401.00002", "title": "Comparing optimizers",
     "abstract": "We compare GNPD with two other optimizers on CIFAR-10."},
]


def _write_input(tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PAPERS), encoding="utf-8")
    return path


def test_kg_extract_writes_one_json_object_per_paper(tmp_path) -> None:
    src = _write_input(tmp_path)
    out = tmp_path / "out" / "concepts.jsonl"
    result = CliRunner().invoke(app, ["extract", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [list(r) for r in rows] == [["id", "title", "entities"]] * 2
    assert [r["id"] for r in rows] == ["arxiv:2401.00001", "arxiv:2401.00002"]
    first, second = rows
    for entity in first["entities"] + second["entities"]:
        assert list(entity) == ENTITY_KEYS
        assert all(list(m) == MENTION_KEYS for m in entity["mentions"])
    summary = [(e["type"], e["name"], e["role"]) for e in first["entities"]]
    assert summary == [
        ("METHOD", "Gradient Norm Penalized Descent", "PROPOSES"),
        ("DATASET", "CIFAR-10", "USES"),
        ("DATASET", "ImageNet-C", "USES"),
        ("MODEL", "ResNet-50", "USES"),
        ("REPO", "https://github.com/example/gnpd", "USES"),
    ]
    gnpd = first["entities"][0]
    assert (gnpd["text"], gnpd["field"], gnpd["start"], gnpd["end"], gnpd["rule"]) == (
        "GNPD", "title", 0, 4, "title")
    assert [(m["field"], m["text"]) for m in gnpd["mentions"]] == [
        ("title", "GNPD"), ("title", "Gradient Norm Penalized Descent"),
        ("abstract", "Gradient Norm Penalized Descent"), ("abstract", "GNPD")]
    # The acronym defined in the first paper is the same concept in the second.
    assert [(e["type"], e["name"]) for e in second["entities"]] == [
        ("METHOD", "Gradient Norm Penalized Descent"), ("DATASET", "CIFAR-10")]
    assert second["entities"][0]["mentions"][0]["rule"] == "corpus"


def test_kg_extract_is_deterministic_and_atomic(tmp_path) -> None:
    src = _write_input(tmp_path)
    out = tmp_path / "a.jsonl"
    runner = CliRunner()
    assert runner.invoke(app, ["extract", str(src), "-o", str(out)]).exit_code == 0
    first = out.read_bytes()
    assert runner.invoke(app, ["extract", str(src), "-o", str(out)]).exit_code == 0
    assert out.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "papers.jsonl"]  # no temp files left


def test_kg_extract_reports_bad_records_and_keeps_going(tmp_path) -> None:
    src = tmp_path / "mixed.jsonl"
    src.write_text(json.dumps(PAPERS[1]) + "\n{not json\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", str(src), "-o", str(out)])
    assert result.exit_code == 0
    assert "mixed.jsonl:2" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_kg_extract_without_readable_papers_fails_cleanly(tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "missing.jsonl"), "-o", str(out)])
    assert result.exit_code == 1
    assert "missing.jsonl" in result.output and "no papers could be read" in result.output
    assert not out.exists()
