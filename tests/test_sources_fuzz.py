"""Property tests: the listing reader never crashes and never loses a well-formed record."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.records import Paper
from kg.sources import SkippedRecord
from kg.sources.hf_listing import read_listing

_MONTHS = {
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "June",
    "Jul",
    "July",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "January",
    "February",
    "March",
    "April",
    "August",
    "September",
    "October",
    "November",
    "December",
}
_CHROME_WORDS = {"New", "Subscribe", "Upvote", "Upvotes", "Daily", "Trending"} | _MONTHS

#: Words shaped like those in paper titles; capitalised words never start with a chrome word.
title_word = st.one_of(
    st.from_regex(r"[A-Z][a-z]{1,9}", fullmatch=True).filter(lambda w: w not in _CHROME_WORDS),
    st.sampled_from(
        [
            "GPT-4",
            "Qwen2.5-1.5B",
            "CLIP",
            "LoRA",
            "3D",
            "Vision-Language",
            "via",
            "for",
            "of",
            "and",
            "in",
            "OOD",
            "RLHF",
            "Zero-Shot",
            "(P5)",
            "$γ$-MoD",
            "R&D",
        ]
    ),
)
first_word = st.from_regex(r"[A-Z][a-zA-Z]{1,9}", fullmatch=True).filter(
    lambda w: (
        w not in _CHROME_WORDS
        and not any(w.startswith(c) and w[len(c) :][:1].isupper() for c in ("New", "Subscribe", "Daily"))
    )
)


@st.composite
def titles(draw: st.DrawFn) -> str:
    words = [draw(first_word), *draw(st.lists(title_word, min_size=0, max_size=14))]
    if len(words) > 2 and draw(st.booleans()):
        words[0] += ":"
    title = " ".join(words)
    return title + "?" if draw(st.booleans()) and len(words) > 3 else title


sentence_word = st.one_of(
    st.from_regex(r"[a-z]{1,12}", fullmatch=True),
    st.sampled_from(
        [
            "CLIP",
            "20\\%",
            "$x^2$",
            "(OOD)",
            "e.g.,",
            "i.e.,",
            "GPT-4o",
            "https://github.com/org/repo",
            "arXiv:2312.09390",
            "&",
            "ImageNet-C",
            "1.5B",
        ]
    ),
)


@st.composite
def sentences(draw: st.DrawFn) -> str:
    head = draw(st.from_regex(r"[A-Z][a-z]{1,10}", fullmatch=True))
    body = draw(st.lists(sentence_word, min_size=6, max_size=25))
    end = draw(st.sampled_from([".", ".", ".", "!", "?"]))
    return " ".join([head, *body]) + end


@st.composite
def abstracts(draw: st.DrawFn) -> str:
    text = " ".join(draw(st.lists(sentences(), min_size=2, max_size=6)))
    if draw(st.booleans()):
        text += " Code: https://github.com/example/project"
    return text


#: Chrome that appears on its own line.
chrome_line = st.sampled_from(
    [
        "new",
        "Subscribe",
        "Get trending papers in your email inbox!",
        "byAK and the research community",
        "Mar 13",
        "Apr 4",
        "Published on Dec 1",
        "Submitted by akhaliq",
        "17",
        "2.3k",
        "· 4 authors",
        "Upvote",
        "Daily Papers",
    ]
)
#: Chrome that a copy may glue to the next title without a space.
glued_chrome = st.lists(
    st.sampled_from(
        [
            "new",
            "Subscribe",
            "Get trending papers in your email inbox!",
            "byAK and the research community",
            "Mar 13",
            "Apr 4",
            "Daily Papers",
        ]
    ),
    min_size=1,
    max_size=5,
).map("".join)
#: Junk between records: short lines that are neither titles with abstracts nor chrome.
junk_line = st.one_of(
    st.sampled_from(["Load more", "·", "Previous", "Next page", "→", "***", "See all papers"]),
    st.from_regex(r"[a-z@#%]{1,12}( [a-z]{1,8}){0,3}", fullmatch=True),
)
separator = st.sampled_from(["\n", "\n\n", "\n\n\n", "\n \n", "\r\n", "\r\n\r\n"])


@st.composite
def listing_pages(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    records = draw(st.lists(st.tuples(titles(), abstracts()), min_size=0, max_size=8))
    parts: list[str] = []
    for title, abstract in records:
        for _ in range(draw(st.integers(0, 3))):
            parts += [draw(st.one_of(chrome_line, junk_line)), draw(separator)]
        prefix = draw(glued_chrome) if draw(st.integers(0, 3)) == 0 else ""
        parts += [prefix + title, draw(separator), abstract, draw(separator)]
    if draw(st.booleans()):
        parts += [draw(chrome_line), "\n"]
    return "".join(parts), records


def _read(text: str | bytes) -> list[Paper | SkippedRecord]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.txt"
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8", newline="")
        else:
            path.write_bytes(text)
        return [item.paper if hasattr(item, "paper") else item for item in read_listing(path)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(listing_pages())
def test_every_well_formed_record_comes_out_exactly(page: tuple[str, list[tuple[str, str]]]) -> None:
    text, records = page
    papers = [item for item in _read(text) if isinstance(item, Paper)]
    assert [(p.title, p.abstract) for p in papers] == records


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(), st.binary()))
def test_listing_reader_never_crashes(data: str | bytes) -> None:
    items = _read(data)
    assert all(isinstance(item, Paper | SkippedRecord) for item in items)
    for item in items:
        if isinstance(item, SkippedRecord):
            assert item.reason
