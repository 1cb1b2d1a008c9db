"""The extraction benchmark script, driven by a small stand-in extractor defined here.

The stand-in only finds a fixed list of names by string search, so every
number the script prints for it can be worked out by hand.
"""

from __future__ import annotations

import json
import re
import sys
import types
from collections.abc import Sequence
from pathlib import Path

import pytest
import spacy

from benchmarks import extraction_quality as eq
from extractors.types import Entity, Mention, PaperConcepts
from kg.records import Paper

KNOWN = {
    "GSM8K": ("DATASET", "list"),
    "MATH": ("DATASET", "list"),
    "SAM": ("METHOD", "acronym"),
    "GPT-4": ("MODEL", "list"),
    "training": ("TASK", "phrase"),
}


def stand_in_extract_corpus(papers: Sequence[Paper]) -> list[PaperConcepts]:
    """Find the names in KNOWN (whole words) in each abstract; the title's 'Name:' prefix is PROPOSES."""
    out = []
    for paper in papers:
        entities = []
        for name, (type_, rule) in KNOWN.items():
            found = [m for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", paper.abstract)]
            if not found:
                continue
            mentions = [
                Mention(type_, m.group(), m.start(), m.end(), "abstract", paper.abstract, rule, 1.0)
                for m in found
            ]
            role = "PROPOSES" if paper.title.startswith(f"{name}:") else "USES"
            first = mentions[0]
            entities.append(
                Entity(type_, name, f"concept:{type_.lower()}:{name.lower()}", [], first.text, first.start,
                       first.end, "abstract", first.sentence, rule, 1.0, role, mentions)
            )  # fmt: skip
        out.append(PaperConcepts(paper.id, paper.title, entities))
    return out


ROWS = [
    {
        "id": "p1",
        "title": "SAM: a method",
        "abstract": "We test SAM and GPT-4 on GSM8K during training.",
        "source": "x.txt:1",
        "concepts": [
            {
                "type": "METHOD",
                "name": "Sharpness-Aware Minimization",
                "aliases": ["SAM"],
                "role": "PROPOSES",
            },
            {"type": "DATASET", "name": "GSM8K", "aliases": [], "role": "USES"},
            {"type": "DATASET", "name": "SVAMP", "aliases": [], "role": "USES"},
            {"type": "MODEL", "name": "GPT-4", "aliases": [], "role": "USES"},
        ],
    },
    {
        "id": "p2",
        "title": "Another paper",
        "abstract": "Results on MATH. Code: https://github.com/a/b.",
        "source": "x.txt:3",
        "concepts": [
            {"type": "DATASET", "name": "MATH", "aliases": [], "role": "USES"},
            {"type": "REPO", "name": "https://github.com/a/b", "aliases": [], "role": "USES"},
        ],
    },
]


@pytest.fixture
def devset(tmp_path: Path) -> Path:
    (tmp_path / "dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    (tmp_path / "test.jsonl").write_text(json.dumps(ROWS[1]) + "\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def scier_file(tmp_path: Path) -> Path:
    path = tmp_path / "scier.jsonl"
    rows = [
        {"sentence": "We fine - tune GPT-4 on GSM8K .", "ner": [["GPT-4", "Method"], ["GSM8K", "Dataset"]]},
        {"sentence": "SAM improves training .", "ner": [["SAM", "Method"], ["image classification", "Task"]]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def stand_in_module(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("extractors")
    module.make_pipeline = lambda: spacy.blank("en")  # type: ignore[attr-defined]
    module.extract_corpus = stand_in_extract_corpus  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "extractors", module)


def test_load_split_all_and_errors(devset: Path) -> None:
    assert [r["id"] for r in eq.load_split("all", devset)] == ["p1", "p2", "p2"]
    (devset / "dev.jsonl").write_text(json.dumps(ROWS[0]) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(eq.BenchmarkError, match=r"dev\.jsonl:2: not an annotated paper record"):
        eq.load_split("dev", devset)


def test_load_split_dev2_is_separate_from_all(devset: Path) -> None:
    (devset / "dev2.jsonl").write_text(json.dumps({**ROWS[0], "id": "p3"}) + "\n", encoding="utf-8")
    assert [r["id"] for r in eq.load_split("dev2", devset)] == ["p3"]
    assert [r["id"] for r in eq.load_split("all", devset)] == ["p1", "p2", "p2"]
    with pytest.raises(
        eq.BenchmarkError, match=r"unknown split 'dev3' \(choose from dev, dev2, test, test2, all, heldout\)"
    ):
        eq.load_split("dev3", devset)
    (devset / "dev2.jsonl").unlink()
    with pytest.raises(eq.BenchmarkError, match=r"dev2\.jsonl: annotated split not found"):
        eq.load_split("dev2", devset)


def test_load_split_heldout_is_test_then_test2(devset: Path) -> None:
    with pytest.raises(eq.BenchmarkError, match=r"test2\.jsonl: annotated split not found"):
        eq.load_split("heldout", devset)
    (devset / "test2.jsonl").write_text(json.dumps({**ROWS[0], "id": "p4"}) + "\n", encoding="utf-8")
    assert [r["id"] for r in eq.load_split("test2", devset)] == ["p4"]
    assert [r["id"] for r in eq.load_split("heldout", devset)] == [
        *(r["id"] for r in eq.load_split("test", devset)), "p4"]
    assert {"test", "test2", "all", "heldout"} <= eq.HELD_OUT and not {"dev", "dev2"} & eq.HELD_OUT


def test_bundled_splits_load() -> None:
    sizes = {split: len(eq.load_split(split)) for split in (*eq.SPLITS, *eq.SPLIT_GROUPS)}
    assert sizes == {"dev": 50, "dev2": 40, "test": 62, "test2": 92, "all": 112, "heldout": 154}


def test_evaluate_papers_exact_scores() -> None:
    results = eq.evaluate_papers(ROWS, stand_in_extract_corpus)
    scores = eq.score_papers([r.match for r in results])
    counts = {t: (s.tp, s.fp, s.fn) for t, s in scores.items()}
    assert counts == {
        "DATASET": (2, 0, 1),
        "MODEL": (1, 0, 0),
        "METHOD": (1, 0, 0),
        "TASK": (0, 1, 0),
        "REPO": (0, 0, 1),
        "DATASET+MODEL+METHOD+REPO": (4, 0, 2),
    }
    proposes, agree, total = eq.role_agreement([r.match for r in results])
    assert (proposes.tp, proposes.fp, proposes.fn, agree, total) == (1, 0, 0, 4, 4)


def test_format_errors_lists_each_miss_and_false_hit() -> None:
    text = eq.format_errors(eq.evaluate_papers(ROWS, stand_in_extract_corpus))
    assert text.splitlines() == [
        "p1  SAM: a method",
        "    FN DATASET 'SVAMP'",
        "    FP TASK    'training' [phrase]",
        "p2  Another paper",
        "    FN REPO    'https://github.com/a/b'",
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("three dimensional ( 3D ) CNNs , like CornerNet - Squeeze 's heads .",
         "three dimensional (3D) CNNs, like CornerNet-Squeeze's heads."),
        ("state - of - the - art results on FSS - 1000 ; see [ 12 ]",
         "state-of-the-art results on FSS-1000; see [12]"),
        # a spaced double dash joins no words
        ("pages 3 -- 5 of it", "pages 3 -- 5 of it"),
    ],
)
def test_detokenize_joins_hyphenated_words_and_punctuation(sentence: str, expected: str) -> None:
    assert eq.detokenize(sentence) == expected


def test_evaluate_scier_exact_scores(scier_file: Path) -> None:
    rows, skipped = eq.load_scier(scier_file)
    assert skipped == []
    scores = eq.evaluate_scier(rows, stand_in_extract_corpus)
    counts = {t: (s.tp, s.fp, s.fn) for t, s in scores.items()}
    assert counts == {"Dataset": (1, 0, 0), "Method": (2, 0, 0), "Task": (0, 1, 1), "overall": (3, 1, 1)}


def test_main_prints_tables_errors_scier_and_speed(
    devset: Path, scier_file: Path, stand_in_module: None, capsys: pytest.CaptureFixture[str]
) -> None:
    report = devset / "report.json"
    args = ["--devset", str(devset), "--scier", str(scier_file), "--show-errors", "--json", str(report)]
    code = eq.main([*args, "--speed-papers", "10", "--profile", "--speed-runs", "1"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "split: dev (2 papers, 6 gold concepts)"
    assert "DATASET                     1.000  0.667  0.800     2     0     1" in lines
    assert "DATASET+MODEL+METHOD+REPO   1.000  0.667  0.800     4     0     2" in lines
    assert "    FN DATASET 'SVAMP'" in lines
    assert "precision by rule: acronym 1.00 (1/1), list 1.00 (3/3), phrase 0.00 (0/1)" in lines
    assert "overall                     0.750  0.750  0.750     3     1     1" in lines
    assert "speed: median of 1 runs, single process, 10 papers" in lines
    assert any(line.startswith("  extract_corpus (full)") and "ratio" in line for line in lines)
    assert "  per component (docs/s, each alone, 10 abstracts):" in lines
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["paper_level"]["DATASET+MODEL+METHOD+REPO"] == {
        "precision": 1.0, "recall": 4 / 6, "f1": 0.8, "tp": 4, "fp": 0, "fn": 2
    }  # fmt: skip
    assert data["scier"]["overall"]["tp"] == 3 and data["scier"]["sentences"] == 2
    assert data["by_rule"]["phrase"]["fp"] == 1
    assert data["speed"]["papers"] == 10 and set(data["speed"]["components_docs_per_s"]) == {"tokenizer"}


def test_main_skips_missing_default_scier(
    devset: Path, stand_in_module: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(eq, "DEFAULT_SCIER", devset / "absent" / "dev.jsonl")
    assert eq.main(["--devset", str(devset), "--split", "test", "--speed-papers", "0"]) == 0
    out = capsys.readouterr().out
    assert "note: the test splits are held out - report them, do not tune on them" in out
    assert f"SciER: skipped ({devset / 'absent' / 'dev.jsonl'} not found; pass --scier PATH)" in out


def test_main_runs_dev2_without_the_held_out_note(
    devset: Path, stand_in_module: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (devset / "dev2.jsonl").write_text(json.dumps(ROWS[1]) + "\n", encoding="utf-8")
    monkeypatch.setattr(eq, "DEFAULT_SCIER", devset / "absent" / "dev.jsonl")
    assert eq.main(["--devset", str(devset), "--split", "dev2", "--speed-papers", "0"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "split: dev2 (1 papers, 2 gold concepts)"
    assert "held out" not in out


def test_main_reports_missing_extractor_api(
    devset: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "extractors", types.ModuleType("extractors"))
    assert eq.main(["--devset", str(devset), "--speed-papers", "0"]) == 2
    assert "does not provide make_pipeline() and extract_corpus(papers)" in capsys.readouterr().err


def test_timing_corpus_repeats_with_distinct_ids() -> None:
    papers = eq.timing_corpus(ROWS, 5)
    assert [p.id for p in papers] == ["p1", "p2", "p1#1", "p2#1", "p1#2", "p2#2"]
    assert papers[2].abstract == ROWS[0]["abstract"]


def test_results_for_unknown_ids_are_an_error() -> None:
    def renaming(papers: Sequence[Paper]) -> list[PaperConcepts]:
        return [PaperConcepts(f"other:{p.id}", p.title, []) for p in papers]

    with pytest.raises(eq.BenchmarkError, match="ids match none of the papers"):
        eq.evaluate_papers(ROWS, renaming)


def test_missing_scier_file_fails_before_extraction(
    devset: Path, stand_in_module: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert eq.main(["--devset", str(devset), "--scier", str(devset / "nope.jsonl")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{devset / 'nope.jsonl'}: SciER file not found" in captured.err


def test_profile_components_times_tokenizer_and_each_component() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    profile = eq.profile_components(["One sentence. Two sentences."] * 5, nlp, runs=2)
    assert [name for name, _ in profile] == ["tokenizer", "sentencizer"]
    assert all(rate > 0 for _, rate in profile)


def test_broken_scier_line_is_skipped_and_reported(scier_file: Path) -> None:
    lines = scier_file.read_text(encoding="utf-8").splitlines()
    scier_file.write_text(
        "\n".join([lines[0], '{"sentence": "no ner"}', "[1, 2", lines[1]]) + "\n", encoding="utf-8"
    )
    rows, skipped = eq.load_scier(scier_file)
    assert [r["sentence"] for r in rows] == ["We fine - tune GPT-4 on GSM8K .", "SAM improves training ."]
    assert len(skipped) == 2
    assert skipped[0].startswith(f"{scier_file}:2: skipped, not a SciER record")
    assert skipped[1].startswith(f"{scier_file}:3: skipped")
