"""`kg stats` and `kg build` (reading part) through the real command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
SEEDS = sorted(str(p) for p in SAMPLE.glob("*.txt"))
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
ABSTRACT = "A record for the command-line tests. It has two sentences and enough words."

runner = CliRunner()


def _row(output: str, label: str) -> int:
    match = re.search(rf"{label}\s*│\s*(\d+)", output)
    assert match, f"no row {label!r} in:\n{output}"
    return int(match.group(1))


def test_stats_json_on_the_seed_pages() -> None:
    result = runner.invoke(app, ["stats", "--format", "json", *SEEDS])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("files_read", "files_not_read", "raw_records", "distinct_papers")} == {
        "files_read": 3,
        "files_not_read": 0,
        "raw_records": 306,
        "distinct_papers": 244,
    }
    assert (data["duplicates_merged"], data["skipped_records"], data["skipped"]) == (62, 0, [])
    assert [(Path(f["path"]).name, f["format"], f["records"]) for f in data["files"]] == [
        ("000_0654834f319178aa.txt", "hf-listing", 64),
        ("002_9964d31bbc2f217b.txt", "hf-listing", 161),
        ("003_840482bb62c9917b.txt", "hf-listing", 81),
    ]


def test_stats_table_on_the_sample_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["stats", "data/sample"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert (_row(out, "files read"), _row(out, "raw records"), _row(out, "distinct papers")) == (5, 314, 244)
    assert (_row(out, "duplicates merged"), _row(out, "skipped records")) == (70, 0)
    assert "files not read" not in out
    assert re.search(r"│ data/sample/grokking_and_emergence\.bib\s+│ bibtex\s+│\s+3 │\s+0 │", out)
    assert re.search(r"│ data/sample/000_0654834f319178aa\.txt\s+│ hf-listing │\s+64 │\s+0 │", out)
    assert "Skipped" not in out


def test_stats_reports_bad_input_and_still_reads_good_records() -> None:
    inputs = [FIXTURES / "papers.jsonl", FIXTURES / "empty.jsonl", FIXTURES / "no_title_column.csv"]
    result = runner.invoke(app, ["stats", "--format", "json", *map(str, inputs)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["files_read"], data["files_not_read"], data["raw_records"], data["distinct_papers"]) == (
        1,
        2,
        3,
        3,
    )
    assert [(s["path"], s["line"], s["reason"]) for s in data["skipped"]] == [
        (str(inputs[0]), 4, "invalid JSON: Expecting ',' delimiter (column 55)"),
        (str(inputs[0]), 5, "expected a JSON object, found list"),
        (str(inputs[0]), 6, "no title"),
        (str(inputs[0]), 7, "empty abstract (title: 'Orca 2: Teaching Small Language Models How to Reason')"),
        (str(inputs[1]), None, "empty file"),
        (
            str(inputs[2]),
            1,
            "header has no 'title' column (found 'name', 'abstract', 'year'); file not read",
        ),
    ]


def test_stats_table_lists_skipped_records_up_to_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "mostly_bad.jsonl"
    good = json.dumps({"title": "The Only Good Record", "abstract": ABSTRACT})
    path.write_text(good + "\n" + "{not json\n" * 25)
    result = runner.invoke(app, ["stats", str(path)])
    assert result.exit_code == 0, result.output
    assert _row(result.stdout, "skipped records") == 25
    assert "Skipped (20 of 25)" in result.stdout
    assert result.stdout.count("invalid JSON") == 20
    assert "… and 5 more skipped records" in result.stdout
    shown = runner.invoke(app, ["stats", "--show-skipped", "30", str(path)])
    assert shown.stdout.count("invalid JSON") == 25
    assert "more skipped records" not in shown.stdout


def test_stats_exits_non_zero_only_when_nothing_was_read(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    result = runner.invoke(
        app, ["stats", str(FIXTURES / "empty.jsonl"), str(FIXTURES / "image.jsonl"), str(missing)]
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert "error: no papers could be read from the inputs" in result.stderr
    assert _row(result.stdout, "files not read") == 3
    assert "binary file (not text); not read" in result.stdout
    assert "no such file" in result.stdout


def test_stats_json_output_is_clean_when_nothing_was_read(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", "-f", "json", str(tmp_path / "none.csv")])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["skipped"] == [{"path": str(tmp_path / "none.csv"), "line": None, "reason": "no such file"}]


def test_build_prints_the_reading_report(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["build", str(FIXTURES / "papers.tsv"), str(FIXTURES / "empty.jsonl"), "-o", str(tmp_path / "graph")],
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert (_row(out, "files read"), _row(out, "files not read"), _row(out, "raw records")) == (1, 1, 2)
    assert (_row(out, "distinct papers"), _row(out, "skipped records")) == (2, 1)
    assert "empty file" in out
    time_row = next(line for line in out.splitlines() if line.strip("│ ").startswith("time "))
    assert re.search(r"\d+\.\d s \(read \d+\.\d, extract \d+\.\d, graph \d+\.\d, save \d+\.\d", time_row)


def test_build_fails_cleanly_without_papers(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(FIXTURES / "only_chrome.txt"), "-o", str(tmp_path / "graph")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert "error: no papers could be read from the inputs" in result.stderr


def test_console_script_prints_json_on_stdout_only() -> None:
    kg = Path(sys.executable).with_name("kg")
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.run(
        [str(kg), "stats", "--format", "json", str(SAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["raw_records"], data["distinct_papers"], data["duplicates_merged"]) == (314, 244, 70)
    assert proc.stderr == ""  # no progress bar when stderr is not a terminal


def test_stats_on_a_directory_without_paper_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("A corpus will go here.\n")
    result = runner.invoke(app, ["stats", "--format", "json", str(tmp_path)])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["skipped"] == [
        {"path": str(tmp_path), "line": None, "reason": "directory has no supported paper files"}
    ]
