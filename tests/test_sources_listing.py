"""The Hugging Face listing reader on the sample corpus and on damaged copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.records import Paper
from kg.sources import SkippedRecord, iter_file, read_papers
from kg.sources.hf_listing import pair_lines, strip_chrome

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
SEEDS = [
    SAMPLE / name
    for name in ("000_0654834f319178aa.txt", "002_9964d31bbc2f217b.txt", "003_840482bb62c9917b.txt")
]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"

P5_RAW = (
    "Recommendation as Language Processing (RLP): A Unified Pretrain, Personalized Prompt &amp; Predict "
    "Paradigm (P5)"
)
P5 = P5_RAW.replace("&amp;", "&")


def _seed_pairs(path: Path) -> list[tuple[int, str, str]]:
    """The seed pages' known layout: 5 chrome lines, then title/abstract lines alternating."""
    lines = [
        (n, line.strip()) for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if line.strip()
    ]
    assert [text for _, text in lines[:5]][:4] == [
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "byAK and the research community",
    ]
    body = lines[5:]
    assert len(body) % 2 == 0
    return [(body[i][0], body[i][1], body[i + 1][1]) for i in range(0, len(body), 2)]


def _papers(path: Path) -> list[Paper]:
    items = list(iter_file(path))
    assert all(isinstance(item, Paper) for item in items), [i for i in items if isinstance(i, SkippedRecord)]
    return items  # type: ignore[return-value]


@pytest.mark.parametrize(("path", "count"), list(zip(SEEDS, (64, 161, 81), strict=True)))
def test_every_seed_record_comes_out_with_its_exact_title_and_abstract(path: Path, count: int) -> None:
    expected = _seed_pairs(path)
    papers = _papers(path)
    assert len(papers) == len(expected) == count
    for paper, (line, title, abstract) in zip(papers, expected, strict=True):
        assert paper.title == (P5 if title == P5_RAW else title)
        assert paper.abstract == abstract
        assert paper.source == f"{path}:{line}"


def test_seed_corpus_has_306_records_and_244_distinct_papers() -> None:
    report = read_papers(SEEDS)
    assert report.raw_count == 306
    assert len(report.papers) == 244
    assert report.duplicates_merged == 62
    assert report.skipped == []
    assert [(Path(f.path).name, f.records, f.skipped, f.error) for f in report.files] == [
        ("000_0654834f319178aa.txt", 64, 0, None),
        ("002_9964d31bbc2f217b.txt", 161, 0, None),
        ("003_840482bb62c9917b.txt", 81, 0, None),
    ]
    assert len({p.id for p in report.papers}) == 244
    # First-seen order and first-seen source: the first paper of file 000 opens the list.
    assert report.papers[0].title == "Unraveling the Key Components of OOD Generalization via Diversification"
    assert report.papers[0].source == f"{SEEDS[0]}:11"
    assert report.papers[-1].title == "netFound: Foundation Model for Network Security"


def test_seed_first_and_last_records_and_page_text_kept_verbatim() -> None:
    papers = _papers(SEEDS[0])
    assert papers[0].title == "Unraveling the Key Components of OOD Generalization via Diversification"
    assert "leads to an up to 20\\% absolute drop in accuracy" in papers[0].abstract
    assert papers[-1].title == "DISCO: Distilling Counterfactuals with Large Language Models"
    assert papers[-1].abstract.endswith("Our repository is available at: https://github.com/eric11eca/disco")
    gamma = [p for p in _papers(SEEDS[1]) if p.title.startswith("$γ-$MoD")]
    assert [p.title for p in gamma] == [
        "$γ-$MoD: Exploring Mixture-of-Depth Adaptation for Multimodal Large Language Models"
    ]


def test_chrome_glued_to_first_title_and_no_blank_lines() -> None:
    path = FIXTURES / "listing_glued_no_blanks.txt"
    items = list(iter_file(path))
    assert [(type(i).__name__, i.title if isinstance(i, Paper) else str(i)) for i in items] == [
        ("Paper", "Linguistic Generalizability of Test-Time Scaling in Mathematical Reasoning"),
        ("Paper", P5),
        ("Paper", "MaPLe: Multi-modal Prompt Learning"),
        ("Paper", "DISCO: Distilling Counterfactuals with Large Language Models"),
    ]
    first = items[0]
    assert isinstance(first, Paper)
    assert first.source == f"{path}:1"
    assert first.abstract.startswith("Scaling pre-training compute has proven effective")
    assert "gains of up to 20\\% on English" in first.abstract
    assert "only $1.94$ points" in first.abstract
    assert first.abstract.endswith("Code and data: https://github.com/gauss5930/MCLM")
    assert [p.source.rsplit(":", 1)[1] for p in items if isinstance(p, Paper)] == ["1", "5", "8", "12"]


def test_subscribe_glued_to_title(tmp_path: Path) -> None:
    abstract = (
        "Scaling pre-training compute has proven effective for multilinguality. We ask whether the same "
        "holds for test-time scaling and find that it does not transfer evenly across languages."
    )
    path = tmp_path / "page.txt"
    path.write_text(f"SubscribeLinguistic Generalizability of Test-Time Scaling\n{abstract}\n")
    assert [(p.title, p.abstract) for p in iter_file(path)] == [
        ("Linguistic Generalizability of Test-Time Scaling", abstract)
    ]


def test_damaged_listing_reports_missing_title_and_missing_abstract_with_lines() -> None:
    path = FIXTURES / "listing_damaged.txt"
    items = list(iter_file(path))
    assert [p.title for p in items if isinstance(p, Paper)] == [
        "MaPLe: Multi-modal Prompt Learning",
        "Weak-to-Strong Generalization: Eliciting Strong Capabilities With Weak Supervision",
        P5,
    ]
    assert [p.source for p in items if isinstance(p, Paper)] == [f"{path}:3", f"{path}:9", f"{path}:17"]
    assert [str(s) for s in items if isinstance(s, SkippedRecord)] == [
        f"{path}:7: title without an abstract (empty abstract): "
        "'DISCO: Distilling Counterfactuals with Large Language Models'",
        f"{path}:13: abstract without a title: "
        "'Models trained with counterfactually augmented data learn r…'",
        f"{path}:15: title without an abstract (empty abstract): 'Load more'",
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("new", ""),
        ("Subscribe", ""),
        ("Get trending papers in your email inbox!", ""),
        ("byAK and the research community", ""),
        ("Mar 13", ""),
        ("Apr 4", ""),
        ("April 4, 2024", ""),
        ("Published on Mar 13", ""),
        ("Submitted by akhaliq", ""),
        ("Submitted by", ""),
        ("by AK and the research community", ""),
        ("by AK and the research communityDeep Nets", "Deep Nets"),
        ("42", ""),
        ("1.2k", ""),
        ("· 5 authors", ""),
        ("SubscribeLinguistic Generalizability", "Linguistic Generalizability"),
        (
            "newGet trending papers in your email inbox!SubscribebyAK and the research communityMar 13X-CLIP",
            "X-CLIP",
        ),
        ("Get trending papers in your email inbox! Deep Nets", "Deep Nets"),
        ("Mar 13$γ-$MoD: Mixture", "$γ-$MoD: Mixture"),
        # Chrome words that continue into the title are part of it.
        ("Subscribers Prefer Short Titles", "Subscribers Prefer Short Titles"),
        ("new results on old problems", "new results on old problems"),
        ("newsroom Summaries", "newsroom Summaries"),
        ("Mar 2024 Election Forecasts", "Mar 2024 Election Forecasts"),
        ("New Perspectives on Grokking", "New Perspectives on Grokking"),
        ("42 Ways to Fine-Tune", "42 Ways to Fine-Tune"),
    ],
)
def test_strip_chrome(line: str, expected: str) -> None:
    assert strip_chrome(line) == expected


def test_pairing_prefers_losing_one_line_over_shifting_all_pairs() -> None:
    title = "A Short Title"
    abstract = "This is an abstract sentence with enough words. It has a second sentence as well."
    long_title = "How to Handle Different Types of Shift? A Comprehensive and Fine-Grained Field Study"
    texts = [title, title, abstract, long_title, abstract, abstract, title, abstract]
    assert pair_lines(texts) == [0, (1, 2), (3, 4), 5, (6, 7)]


def test_crlf_bom_and_trailing_spaces(tmp_path: Path) -> None:
    abstract = "We study line endings in copied pages. Windows copies end lines with CR LF and add a BOM."
    path = tmp_path / "page.txt"
    path.write_bytes(
        ("\ufeffSubscribe\r\n\r\nLine Endings Matter   \r\n" + abstract + "  \r\n").encode("utf-8")
    )
    assert [(p.title, p.abstract, p.source) for p in iter_file(path)] == [
        ("Line Endings Matter", abstract, f"{path}:3")
    ]


def test_markdown_extension_reads_as_listing(tmp_path: Path) -> None:
    abstract = "A markdown copy of the listing page. It carries the same title and abstract lines as text."
    path = tmp_path / "page.md"
    path.write_text(f"Markdown Copies of Listing Pages\n\n{abstract}\n")
    assert [p.title for p in iter_file(path)] == ["Markdown Copies of Listing Pages"]
