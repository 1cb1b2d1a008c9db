"""The same paper in several inputs is one record; references resolve to the merged ids."""

from __future__ import annotations

import json
from pathlib import Path

from kg.records import title_key
from kg.sources import read_papers

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
W2S = "Weak-to-Strong Generalization: Eliciting Strong Capabilities With Weak Supervision"
ABSTRACT = "A paper written for the merging tests. It has two sentences and enough words to be an abstract."


def _jsonl(path: Path, *records: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_listing_and_jsonl_with_arxiv_id_merge_into_one_record_with_that_id() -> None:
    listing = SAMPLE / "002_9964d31bbc2f217b.txt"
    report = read_papers([listing, FIXTURES / "papers.jsonl"])
    w2s = [p for p in report.papers if p.title == W2S]
    assert len(w2s) == 1
    paper = w2s[0]
    assert paper.id == "arxiv:2312.09390"
    assert paper.arxiv_id == "2312.09390"
    assert paper.source == f"{listing}:223"  # first sighting
    assert paper.year == 2023 and paper.authors == ("Collin Burns", "Pavel Izmailov")  # filled from JSONL
    assert paper.abstract.startswith("Widely used alignment techniques")
    assert report.raw_count == 161 + 3
    # The listing page has 161 distinct papers, all three JSONL papers among them.
    assert len(report.papers) == 161
    assert report.duplicates_merged == 3


def test_references_resolve_through_own_ids_bibtex_keys_and_titles() -> None:
    report = read_papers([FIXTURES / "papers.jsonl", FIXTURES / "papers.bib"])
    by_title = {p.title: p for p in report.papers}
    assert list(by_title) == [
        W2S,
        "Debate Helps Weak-to-Strong Generalization",
        "Are Emergent Abilities of Large Language Models a Mirage?",
    ]
    w2s = by_title[W2S]
    debate = by_title["Debate Helps Weak-to-Strong Generalization"]
    mirage = by_title["Are Emergent Abilities of Large Language Models a Mirage?"]
    assert mirage.id == "doi:10.48550/arxiv.2304.15004"  # first sighting (JSONL) knew only the DOI
    assert mirage.arxiv_id == "2304.15004"  # the BibTeX sighting added the arXiv id
    # JSONL: "W2S" (own id of record 1), {"arxiv_id"}, Mirage by title (now its DOI id), an arXiv DOI.
    assert debate.references == (
        "arxiv:2312.09390",
        mirage.id,
        "doi:10.48550/arxiv.2211.03540",
        "arxiv:2211.03540",
    )
    # JSONL then BibTeX references of W2S: an outside paper, Mirage by title, Debate by BibTeX key.
    assert w2s.references == ("arxiv:2203.02155", mirage.id, debate.id)
    assert report.raw_count == 6
    assert report.duplicates_merged == 3


def test_sample_directory_builds_citations_between_sample_papers() -> None:
    report = read_papers([SAMPLE])
    assert [Path(f.path).name for f in report.files] == [
        "000_0654834f319178aa.txt",
        "002_9964d31bbc2f217b.txt",
        "003_840482bb62c9917b.txt",
        "grokking_and_emergence.bib",
        "papers_with_references.jsonl",
    ]
    assert (report.raw_count, len(report.papers), report.duplicates_merged, report.skipped) == (
        314,
        244,
        70,
        [],
    )
    by_id = {p.id: p for p in report.papers}
    agieval = title_key("AGIEval: A Human-Centric Benchmark for Evaluating Foundation Models")
    big_bench = title_key(
        "Beyond the Imitation Game: Quantifying and extrapolating the capabilities of language models"
    )
    assert by_id["arxiv:2311.11045"].references == ("arxiv:2306.02707", agieval)
    assert by_id["arxiv:2306.02707"].references == (agieval, big_bench)
    assert by_id["arxiv:2407.13647"].references == ("arxiv:2312.09390", "arxiv:2403.09472")
    assert by_id["arxiv:2405.15071"].references == ("arxiv:2310.02541", "arxiv:2201.02177")
    assert by_id["arxiv:2304.15004"].references == (big_bench, "arxiv:2206.07682")
    easy = title_key("The Unreasonable Effectiveness of Easy Training Data for Hard Tasks")
    assert by_id["arxiv:2403.09472"].references == ("arxiv:2312.09390", easy)
    knows = title_key("Language Models (Mostly) Know What They Know")
    assert by_id["arxiv:2312.09390"].references == ("arxiv:2203.02155", knows)
    ids = set(by_id)
    internal = {(p.id, r) for p in report.papers for r in p.references if r in ids}
    assert len(internal) == 11
    assert sum(1 for p in report.papers if p.arxiv_id) == 8


def test_same_title_with_different_arxiv_ids_are_two_papers(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "p.jsonl",
        {"title": "Attention Is Enough", "abstract": ABSTRACT, "arxiv_id": "2101.00001"},
        {"title": "Attention is enough", "abstract": ABSTRACT, "arxiv_id": "2202.00002"},
        {"title": "ATTENTION IS ENOUGH!", "abstract": ABSTRACT},
    )
    report = read_papers([path])
    assert [p.id for p in report.papers] == ["arxiv:2101.00001", "arxiv:2202.00002"]
    assert report.duplicates_merged == 1


def test_a_later_sighting_links_two_earlier_records(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "p.jsonl",
        {"title": "Known By Title", "abstract": ABSTRACT, "references": ["Known By Id Only"]},
        {"title": "Known By Id Only", "abstract": ABSTRACT, "doi": "10.1000/XYZ.1", "year": 2021},
        {"title": "Known by title", "abstract": ABSTRACT, "doi": "https://doi.org/10.1000/xyz.1"},
    )
    report = read_papers([path])
    assert [(p.id, p.title, p.year) for p in report.papers] == [("doi:10.1000/xyz.1", "Known By Title", 2021)]
    assert report.papers[0].references == ()  # the citation became a self-citation and was dropped
    assert report.raw_count == 3 and report.duplicates_merged == 2


def test_reading_twice_gives_the_same_result() -> None:
    first = read_papers([SAMPLE])
    second = read_papers([SAMPLE])
    assert first.papers == second.papers
    assert first.to_dict() == second.to_dict()


def test_a_file_named_twice_is_read_once() -> None:
    path = FIXTURES / "papers.tsv"
    report = read_papers([path, path, FIXTURES])
    assert [Path(f.path).name for f in report.files].count("papers.tsv") == 1
