"""The fast paths of the extractors give exactly what the plain scans give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.evidence import _TITLE_NP_RE, _has_sized_variant
from extractors.resolve import _Occupied
from extractors.urls import ANY_URL_RE, CODE_HOSTS, URL_RE, _matches, find_code_urls, find_urls

_URL_PIECES = st.sampled_from([
    "http", "https", "HTTP", "Https", "://", "www.", "WWW.", "wWw.", "github.com", "GitHub.com", "gitlab.com",
    "huggingface.co", "git.sr.ht", "sourceforge.net", "/", "a", "b-c", ".", ",", ")", "(", "{x}", " ", "\n",
    "é", "ſ", "\u212a", "ı", "İ", "?", "#", "–", "bitbucket.org", "bitbuc\u212aet.org",
])
_URL_TEXT = st.lists(st.one_of(_URL_PIECES, st.text(max_size=4)), max_size=30).map("".join)


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@settings(max_examples=400, deadline=None)
@given(text=_URL_TEXT)
def test_url_matches_equal_a_full_scan(text: str) -> None:
    assert _spans(_matches(ANY_URL_RE, text, ("http", "www."))) == _spans(ANY_URL_RE.finditer(text))
    assert _spans(_matches(URL_RE, text, ("http", "www.", *CODE_HOSTS))) == _spans(URL_RE.finditer(text))


def test_url_matches_on_examples() -> None:
    text = "Code: https://github.com/NJU-RL/Meta-DT. Data at www.Example.org/x) and GitHub.com/a/b{here}."
    assert [u for _s, _e, u in find_urls(text)] == [
        "https://github.com/NJU-RL/Meta-DT", "www.Example.org/x", "GitHub.com/a/b",
    ]
    assert [u for _s, _e, u in find_code_urls(text)] == [
        "https://github.com/NJU-RL/Meta-DT", "GitHub.com/a/b",
    ]
    # case-insensitive matching folds "ſ" to "s" and the Kelvin sign to "k"
    assert [u for _s, _e, u in find_code_urls("at httpſ://github.com/a/b é")] == ["httpſ://github.com/a/b"]
    assert [u for _s, _e, u in find_code_urls("on bitbuc\u212aet.org/a/b – x")] == ["bitbuc\u212aet.org/a/b"]


_SIZED_PIECES = st.sampled_from(["URSA", "-", "7B", "1.5M", "7", "B", "x", " ", "_", "é", "URSA-7B", "M"])
_SIZED_TEXT = st.lists(_SIZED_PIECES, max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_SIZED_TEXT, name=st.sampled_from(["URSA", "U", "URSA-7B", "a.b", "X+"]))
def test_sized_variant_equals_the_regex(text: str, name: str) -> None:
    expected = re.search(rf"(?<![\w-]){re.escape(name)}-\d+(?:\.\d+)?[BM]\b", text) is not None
    assert _has_sized_variant(text, name) is expected


def test_sized_variant_examples() -> None:
    assert _has_sized_variant("we train URSA-7B and URSA-RM-7B", "URSA")
    assert not _has_sized_variant("we train MURSA-7B", "URSA")
    assert not _has_sized_variant("we train URSA-7Bx", "URSA")


_TITLE_NP_ORIGINAL = re.compile(  # words matched with backtracking (exponential on failure)
    r"(?:an?\s+|the\s+)?(?:(?!(?:for|of|with|to|via|on|in|from|through|by|using|and|as|at)\b)[\w\-]+\s*){1,6}?"
    r"(?=\s+(?:for|of|with|to|via|on|in|from|through|by|using|and|as|at)\b|$)",
    re.IGNORECASE,
)
_TITLE_WORDS = st.sampled_from([
    "a", "an", "the", "A", "The", "for", "For", "of", "with", "form", "into", "information", "x-for", "of-",
    "Self-Supervised", "Diffusion", "Model", "Models", "3D", "-", " ", "  ", "\n", ":", ",", "Learning", "on",
])
_TITLE_REST = st.lists(_TITLE_WORDS, max_size=9).map(" ".join) | st.lists(_TITLE_WORDS, max_size=9).map(
    "".join)


@settings(max_examples=500, deadline=None)
@given(rest=_TITLE_REST)
def test_title_noun_phrase_pattern_equals_the_backtracking_one(rest: str) -> None:
    fast, slow = _TITLE_NP_RE.match(rest), _TITLE_NP_ORIGINAL.match(rest)
    assert (fast and fast.group(0)) == (slow and slow.group(0))


def test_title_noun_phrase_examples() -> None:
    match = _TITLE_NP_RE.match("Self-Supervised Denoising Diffusion Model for Image Restoration")
    assert match.group(0) == "Self-Supervised Denoising Diffusion Model"
    assert _TITLE_NP_RE.match("A Benchmark of Everything").group(0) == "A Benchmark"
    assert _TITLE_NP_RE.match("one two three four five six seven eight") is None


def _greedy_choice(spans: list[tuple[int, int]], occupied) -> tuple[list[tuple[int, int]], list[bool]]:
    """Take each span that overlaps none taken so far, asking *occupied*; also every answer."""
    taken, answers = [], []
    for start, end in spans:
        hit = occupied.overlaps(start, end)
        answers.append(hit)
        if not hit:
            occupied.add(start, end)
            taken.append((start, end))
    return taken, answers


class _AllSpans:
    """The plain overlap test against every span, as the decision step did it."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def overlaps(self, start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in self.spans)

    def add(self, start: int, end: int) -> None:
        self.spans.append((start, end))


@settings(max_examples=500, deadline=None)
@given(spans=st.lists(
    st.tuples(st.integers(0, 40), st.integers(-2, 12)).map(lambda sl: (sl[0], sl[0] + sl[1])), max_size=40
))
def test_occupied_spans_answer_as_the_plain_test(spans: list[tuple[int, int]]) -> None:
    assert _greedy_choice(spans, _Occupied()) == _greedy_choice(spans, _AllSpans())


def test_occupied_spans_examples() -> None:
    occupied = _Occupied()
    occupied.add(10, 20)
    occupied.add(30, 35)
    assert not occupied.overlaps(0, 10) and not occupied.overlaps(20, 30) and not occupied.overlaps(35, 50)
    assert occupied.overlaps(19, 21) and occupied.overlaps(0, 100) and occupied.overlaps(31, 32)
    assert occupied.overlaps(15, 15) and not occupied.overlaps(20, 20)  # an empty span: strictly inside
    occupied.add(25, 25)  # an empty span switches to the plain test; the answers stay the same
    assert occupied.overlaps(24, 26) and not occupied.overlaps(20, 25)
