"""Bad input is reported with file and line; good records around it are still read."""

from __future__ import annotations

from pathlib import Path

from kg.records import Paper
from kg.sources import SkippedRecord, iter_file, read_papers

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
MAPLE = "MaPLe: Multi-modal Prompt Learning"


def _strings(path: Path) -> list[str]:
    return [
        str(item) if isinstance(item, SkippedRecord) else f"paper {item.title}" for item in iter_file(path)
    ]


def test_empty_file() -> None:
    path = FIXTURES / "empty.jsonl"
    assert _strings(path) == [f"{path}: empty file"]


def test_binary_file() -> None:
    path = FIXTURES / "image.jsonl"
    assert _strings(path) == [f"{path}: binary file (not text); not read"]


def test_non_utf8_line_is_skipped_with_its_line_and_the_rest_read() -> None:
    path = FIXTURES / "latin1_line.txt"
    assert _strings(path) == [
        f"{path}:3: not valid UTF-8 (byte 0xf6 at column 2); line skipped",
        f"{path}:5: abstract without a title: 'A Latin-1 encoded title line precedes this abstract, so its…'",
        f"paper {MAPLE}",
    ]


def test_non_utf8_line_in_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = '{"title": "Good Record", "abstract": "A good record around a bad line. It must still be read."}'
    path.write_bytes(
        good.encode() + b'\n{"title": "Caf\xe9", "abstract": "x"}\n' + good.replace("Good", "Other").encode()
    )
    assert _strings(path) == [
        "paper Good Record",
        f"{path}:2: not valid UTF-8 (byte 0xe9 at column 15); line skipped",
        "paper Other Record",
    ]


def test_nul_bytes_after_the_first_block_skip_only_that_line(tmp_path: Path) -> None:
    path = tmp_path / "late_nul.jsonl"
    good = '{"title": "Good Record", "abstract": "A good record before late binary junk. It is read."}\n'
    path.write_bytes(good.encode() * 200 + b"\x00\x01\x02\n")
    items = list(iter_file(path))
    assert sum(isinstance(i, Paper) for i in items) == 200
    assert [str(i) for i in items if isinstance(i, SkippedRecord)] == [
        f"{path}:201: line contains NUL bytes (binary data); line skipped"
    ]


def test_malformed_json_line_and_empty_abstract_do_not_sink_the_file() -> None:
    path = FIXTURES / "papers.jsonl"
    strings = _strings(path)
    assert f"{path}:4: invalid JSON: Expecting ',' delimiter (column 55)" in strings
    assert (
        f"{path}:7: empty abstract (title: 'Orca 2: Teaching Small Language Models How to Reason')" in strings
    )
    assert sum(s.startswith("paper ") for s in strings) == 3


def test_csv_without_title_column() -> None:
    path = FIXTURES / "no_title_column.csv"
    assert _strings(path) == [
        f"{path}:1: header has no 'title' column (found 'name', 'abstract', 'year'); file not read"
    ]


def test_csv_without_title_and_abstract_columns(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("\n\nname,summary text\nx,y\n")
    assert _strings(path) == [
        f"{path}:3: header has no 'title' and 'abstract' column (found 'name', 'summary text'); file not read"
    ]


def test_missing_file_and_unsupported_type(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.jsonl"
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    assert _strings(missing) == [f"{missing}: no such file"]
    assert _strings(pdf) == [
        f"{pdf}: unsupported file type '.pdf'; expected one of .bib, .csv, .jsonl, .md, .ndjson, .tsv, .txt"
    ]


def test_read_papers_summarises_every_problem_and_keeps_good_records(tmp_path: Path) -> None:
    inputs = [
        FIXTURES / "empty.jsonl",
        FIXTURES / "image.jsonl",
        FIXTURES / "latin1_line.txt",
        FIXTURES / "no_title_column.csv",
        FIXTURES / "only_chrome.txt",
        FIXTURES / "papers.jsonl",
        tmp_path / "missing.csv",
    ]
    report = read_papers(inputs)
    assert [p.title for p in report.papers] == [
        MAPLE,
        "Weak-to-Strong Generalization: Eliciting Strong Capabilities With Weak Supervision",
        "Debate Helps Weak-to-Strong Generalization",
        "Are Emergent Abilities of Large Language Models a Mirage?",
    ]
    assert report.raw_count == 4
    assert [(Path(f.path).name, f.records, f.skipped, f.error) for f in report.files] == [
        ("empty.jsonl", 0, 1, "empty file"),
        ("image.jsonl", 0, 1, "binary file (not text); not read"),
        ("latin1_line.txt", 1, 2, None),
        (
            "no_title_column.csv",
            0,
            1,
            "header has no 'title' column (found 'name', 'abstract', 'year'); file not read",
        ),
        ("only_chrome.txt", 0, 1, "no paper records found"),
        ("papers.jsonl", 3, 4, None),
        ("missing.csv", 0, 1, "no such file"),
    ]
    assert report.files_read == 2
    assert [s.location for s in report.skipped] == [
        str(FIXTURES / "empty.jsonl"),
        str(FIXTURES / "image.jsonl"),
        f"{FIXTURES / 'latin1_line.txt'}:3",
        f"{FIXTURES / 'latin1_line.txt'}:5",
        f"{FIXTURES / 'no_title_column.csv'}:1",
        str(FIXTURES / "only_chrome.txt"),
        f"{FIXTURES / 'papers.jsonl'}:4",
        f"{FIXTURES / 'papers.jsonl'}:5",
        f"{FIXTURES / 'papers.jsonl'}:6",
        f"{FIXTURES / 'papers.jsonl'}:7",
        str(tmp_path / "missing.csv"),
    ]


def test_directory_without_paper_files_is_reported(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("Notes about a corpus that is not here yet.\n")
    report = read_papers([tmp_path])
    assert report.papers == []
    assert [str(s) for s in report.skipped] == [f"{tmp_path}: directory has no supported paper files"]
    assert [(f.path, f.error) for f in report.files] == [
        (str(tmp_path), "directory has no supported paper files")
    ]
