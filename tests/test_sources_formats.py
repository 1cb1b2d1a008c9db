"""JSON Lines, CSV/TSV and BibTeX readers: fields, ids, references, per-record problems."""

from __future__ import annotations

import json
from pathlib import Path

from kg.records import Paper, reference_id, title_key
from kg.sources import SkippedRecord, iter_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
W2S = "Weak-to-Strong Generalization: Eliciting Strong Capabilities With Weak Supervision"
MIRAGE = "Are Emergent Abilities of Large Language Models a Mirage?"
MAPLE = "MaPLe: Multi-modal Prompt Learning"
ORCA2 = "Orca 2: Teaching Small Language Models How to Reason"
DEBATE = "Debate Helps Weak-to-Strong Generalization"


def _split(path: Path) -> tuple[list[Paper], list[str]]:
    items = list(iter_file(path))
    return [i for i in items if isinstance(i, Paper)], [str(i) for i in items if isinstance(i, SkippedRecord)]


def test_jsonl_fields_ids_references_and_bad_lines() -> None:
    path = FIXTURES / "papers.jsonl"
    papers, skipped = _split(path)
    assert [p.title for p in papers] == [W2S, DEBATE, MIRAGE]
    w2s, debate, mirage = papers
    assert w2s.id == "arxiv:2312.09390"  # version suffix dropped
    assert w2s.year == 2023
    assert w2s.authors == ("Collin Burns", "Pavel Izmailov")
    assert w2s.url == "https://arxiv.org/abs/2312.09390"
    assert w2s.references == ("arxiv:2203.02155", title_key(MIRAGE))
    assert w2s.source == f"{path}:1"
    assert w2s.abstract.startswith(
        "Widely used alignment techniques, such as reinforcement learning from human feedback"
    )
    assert debate.id == title_key(DEBATE)
    assert debate.year == 2025  # from the string "2025"
    assert debate.authors == ("Hao Lang", "Fei Huang", "Yongbin Li")  # from "a; b; c"
    assert debate.references == (
        reference_id("W2S"),  # the first record's own id, resolved by read_papers
        "arxiv:2312.09390",
        title_key(MIRAGE),
        "doi:10.48550/arxiv.2211.03540",
    )
    assert debate.source == f"{path}:3"  # line 2 is blank
    assert mirage.id == "doi:10.48550/arxiv.2304.15004"
    assert mirage.source == f"{path}:8"
    assert skipped == [
        f"{path}:4: invalid JSON: Expecting ',' delimiter (column 55)",
        f"{path}:5: expected a JSON object, found list",
        f"{path}:6: no title",
        f"{path}:7: empty abstract (title: {ORCA2!r})",
    ]


def test_csv_columns_multiline_fields_and_bad_rows() -> None:
    path = FIXTURES / "papers.csv"
    papers, skipped = _split(path)
    assert [p.title for p in papers] == [MAPLE, ORCA2, MIRAGE]
    maple, orca2, mirage = papers
    assert maple.id == "arxiv:2210.03117"
    assert maple.year == 2022
    assert maple.authors == (
        "Muhammad Uzair Khattak",
        "Hanoona Rasheed",
        "Muhammad Maaz",
        "Salman Khan",
        "Fahad Shahbaz Khan",
    )
    assert maple.url == "https://arxiv.org/abs/2210.03117"
    assert maple.references == (
        "arxiv:2103.00020",
        title_key("Learning to Prompt for Vision-Language Models"),
    )
    assert maple.source == f"{path}:2"
    assert orca2.id == "arxiv:2311.11045"
    assert orca2.abstract.startswith("Orca 1 learns from rich signals, such as explanation traces,")
    assert ".\nIn Orca 2, we continue exploring" in orca2.abstract  # quoted field spanning two lines
    assert orca2.references == ("arxiv:2306.02707",)
    assert orca2.source == f"{path}:3"
    assert mirage.id == "doi:10.48550/arxiv.2304.15004"
    assert mirage.source == f"{path}:7"  # the multi-line record made lines and records differ
    assert skipped == [
        f"{path}:5: empty abstract (title: {W2S!r})",
        f"{path}:6: expected 8 fields as in the header, found 9 (unquoted delimiter?)",
    ]


def test_tsv() -> None:
    path = FIXTURES / "papers.tsv"
    papers, skipped = _split(path)
    assert [(p.id, p.title, p.source) for p in papers] == [
        ("arxiv:2210.03117", MAPLE, f"{path}:2"),
        (title_key(MIRAGE), MIRAGE, f"{path}:3"),
    ]
    assert skipped == []


def test_bibtex_fields_latex_ids_citations_and_bad_entries() -> None:
    path = FIXTURES / "papers.bib"
    papers, skipped = _split(path)
    assert [p.title for p in papers] == [W2S, DEBATE, MIRAGE]
    w2s, debate, mirage = papers
    assert w2s.id == "arxiv:2312.09390"  # eprint + archivePrefix
    assert w2s.authors == ("Collin Burns", "Pavel Izmailov", "Jan Hendrik Kirchner")
    assert w2s.year == 2023
    assert w2s.abstract == (
        "Widely used alignment techniques, such as reinforcement learning from human feedback (RLHF), "
        "rely on the ability of humans to supervise model behavior. We study an analogy: can weak model "
        "supervision elicit the full capabilities of a much stronger model?"
    )
    assert w2s.references == (reference_id("lang2025debate"), "arxiv:2203.02155")
    assert w2s.source == f"{path}:5"
    assert debate.id == title_key(DEBATE)  # braces in the title removed before hashing
    assert debate.year == 2025  # unbraced number
    assert debate.abstract.endswith(
        "improving accuracy by 20% on Gödel-style puzzles; code is at https://github.com/example/debate_w2s."
    )
    assert debate.references == (title_key(W2S), "arxiv:2211.03540")
    assert debate.source == f"{path}:17"
    assert mirage.arxiv_id == "2304.15004"  # from journal = {arXiv preprint arXiv:…}
    assert mirage.doi == "10.48550/arxiv.2304.15004"
    assert mirage.id == "arxiv:2304.15004"
    assert "$x^2$-style" in mirage.abstract  # math kept verbatim
    assert skipped == [
        f"{path}:41: empty abstract in entry 'noabstract2024' (title: 'A Paper Without an Abstract')",
        f"{path}:47: BibTeX entry could not be parsed: Unexpected block start: `@misc`. "
        "Was still looking for field-value closing `}`",
        f"{path}:51: duplicate entry key 'burns2023weak' (first used on line 5); entry skipped",
    ]


def test_bibtex_without_entries(tmp_path: Path) -> None:
    path = tmp_path / "notes.bib"
    path.write_text("% only a comment\n")
    assert [str(s) for s in iter_file(path)] == [f"{path}: no BibTeX entries found"]


def test_utf16_csv_is_decoded() -> None:
    path = FIXTURES / "utf16.csv"
    papers, skipped = _split(path)
    assert [(p.title, p.source) for p in papers] == [(MAPLE, f"{path}:2")]
    assert papers[0].abstract.startswith("Pre-trained vision-language (V-L) models such as CLIP")
    assert skipped == []


def test_directory_reads_supported_files_sorted_and_leaves_out_readme(tmp_path: Path) -> None:
    abstract = "A record written for the directory test. It has two sentences and enough words."
    (tmp_path / "b.jsonl").write_text(f'{{"title": "Second File Paper", "abstract": "{abstract}"}}\n')
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.txt").write_text(f"First File Paper\n{abstract}\n")
    (tmp_path / "README.md").write_text(f"About This Corpus\n{abstract}\n")
    (tmp_path / ".hidden.jsonl").write_text(f'{{"title": "Hidden", "abstract": "{abstract}"}}\n')
    (tmp_path / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert [(p.title, p.source) for p in iter_file(tmp_path)] == [
        ("First File Paper", f"{tmp_path / 'a' / 'page.txt'}:1"),
        ("Second File Paper", f"{tmp_path / 'b.jsonl'}:1"),
    ]


def test_read_papers_reports_progress_per_file_and_every_thousand_records(tmp_path: Path) -> None:
    from kg.sources import read_papers

    abstract = "A generated record for the progress test. It has two sentences and enough words."
    big = tmp_path / "big.jsonl"
    big.write_text(
        "".join(f'{{"title": "Paper number {i}", "abstract": "{abstract}"}}\n' for i in range(2500))
    )
    files: list[tuple[str, int]] = []
    counts: list[int] = []
    report = read_papers(
        [big, FIXTURES / "papers.tsv"],
        on_file=lambda r: files.append((Path(r.path).name, r.records)),
        on_records=counts.append,
    )
    assert files == [("big.jsonl", 2500), ("papers.tsv", 2)]
    assert counts == [1000, 2000]
    assert report.raw_count == 2502


def test_year_values(tmp_path: Path) -> None:
    abstract = "A record for the year parsing test. It has two sentences and enough words."
    years = ["2023", 2021, 2019.0, "2024-10-04", "Spring 2020", "n/a", 99, True, None]
    path = tmp_path / "years.jsonl"
    path.write_text(
        "".join(
            json.dumps({"title": f"Year Test {i}", "abstract": abstract, "year": y}) + "\n"
            for i, y in enumerate(years)
        )
    )
    assert [p.year for p in iter_file(path)] == [2023, 2021, 2019, 2024, 2020, None, None, None, None]
