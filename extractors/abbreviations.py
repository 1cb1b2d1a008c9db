"""Acronym definitions: "Long Form (LF)" and "LF (Long Form)".

This is the algorithm of Schwartz & Hearst (2003), "A simple algorithm for
identifying abbreviation definitions in biomedical text" — the one scispaCy's
``AbbreviationDetector`` implements — working on character offsets of the raw
text so it costs one regex pass per document:

1. Find parenthesised candidates. ``Long Form (SF)``: the short form is 2–10
   characters, at most two words, starts with a letter or digit and contains a
   capital letter. ``SF (Long Form)``: the word before the bracket is such a short
   form and the bracket holds several words.
2. The long-form window is the ``min(len(SF) + 5, 2 * len(SF))`` words before the
   bracket (never crossing a sentence end or another bracket).
3. Match the short form's letters right to left against the window; the first
   letter must start a word. The shortest long form that matches wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["AbbreviationPair", "find_abbreviations", "match_long_form"]

# "(SF)" possibly followed by ";" / "," remarks inside the bracket: "(PPO; Schulman et al.)".
_PAREN_RE = re.compile(r"\(([^()]{1,120})\)")
_SF_RE = re.compile(r"^[A-Za-z0-9][\w\-.+/&']{0,9}$")
_WINDOW_STOP_RE = re.compile(r"[()\[\];:\n]|[.!?]\s")
_NOT_ALNUM_RE = re.compile(r"[^a-z0-9]")
_WINDOW_WORD_RE = re.compile(r"[^\s\-/]+")
_NON_SPACE_RE = re.compile(r"\S+")
_INNER_SPLIT_RE = re.compile(r"[;,]\s")


@dataclass(frozen=True, slots=True)
class AbbreviationPair:
    """A short form and its long form, as character spans of the same text."""

    short_start: int
    short_end: int
    long_start: int
    long_end: int
    short: str
    long: str


def _is_short_form(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 2 or not 2 <= len(text) <= 10:
        return False
    if not all(_SF_RE.match(w) for w in words):
        return False
    if not any(c.isupper() for c in text):
        return False
    return not text.replace(".", "").isdigit()


def match_long_form(short: str, window: str) -> str | None:
    """Return the shortest suffix of *window* whose letters spell *short*, or ``None``.

    >>> match_long_form("PPO", "techniques like Proximal Policy Optimization")
    'Proximal Policy Optimization'
    """
    s_idx = len(short) - 1
    l_idx = len(window) - 1
    while s_idx >= 0:
        char = short[s_idx].lower()
        if not char.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (
            window[l_idx].lower() != char or (s_idx == 0 and l_idx > 0 and window[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    start = window.rfind(" ", 0, l_idx + 1) + 1
    long = window[start:].strip()
    if len(long) <= len(short) or short.lower() == long.lower():
        return None
    return long


_LAST_WORD_RE = re.compile(r"(\S+)\s*$")
_MINOR_WORDS = frozenset({
    "a", "an", "and", "by", "for", "from", "in", "of", "on", "the", "to", "via", "with",
})


def _initials_long_form(short: str, window: str) -> str | None:
    """The fewest trailing words of *window* whose initials spell *short* exactly.

    Tried before :func:`match_long_form` because letter matching alone can take
    a letter from inside a word ("Proximal Policy Optimization (PPO)" would
    otherwise give "Policy Optimization"). Minor words ("of", "and") may be
    skipped; hyphenated parts count as words.
    """
    letters = _NOT_ALNUM_RE.sub("", short.lower())
    if short.endswith("s") and len(letters) > 2:
        letters = letters[:-1]  # plural short form: "VLMs"
    words = list(_WINDOW_WORD_RE.finditer(window))
    for k in range(1, min(len(words), len(letters) + 4) + 1):
        tail = words[-k:]
        initials = "".join(w.group(0)[0].lower() for w in tail if w.group(0).lower() not in _MINOR_WORDS)
        if initials == letters and tail[0].group(0).lower() not in _MINOR_WORDS:
            start = tail[0].start()
            if start > 1 and window[start - 1] == "-" and window[start - 2].isalnum():
                start = window.rfind(" ", 0, start) + 1  # "Space-sensitive Physical Customization (SPC)"
            return window[start:].strip()
    return None


def _window_before(text: str, end: int, n_words: int) -> tuple[int, str]:
    """The last *n_words* words of ``text[:end]`` within the current sentence/clause."""
    lo = max(0, end - 160)
    chunk = text[lo:end]
    stops = list(_WINDOW_STOP_RE.finditer(chunk))
    if stops:
        cut = stops[-1].end()
        lo += cut
        chunk = chunk[cut:]
    words = list(_NON_SPACE_RE.finditer(chunk))[-n_words:]
    if not words:
        return end, ""
    start = lo + words[0].start()
    return start, text[start:end].rstrip()


def find_abbreviations(text: str) -> list[AbbreviationPair]:
    """Find acronym definitions in *text*, in order of appearance.

    Returns
    -------
    list of AbbreviationPair
        Spans satisfy ``text[short_start:short_end] == short`` and
        ``text[long_start:long_end] == long``.
    """
    pairs: list[AbbreviationPair] = []
    for match in _PAREN_RE.finditer(text):
        inner = match.group(1)
        inner_start = match.start(1)
        head = _INNER_SPLIT_RE.split(inner, maxsplit=1)[0].strip()
        head_start = inner_start + inner.find(head)
        if _is_short_form(head):
            n_words = min(len(head) + 5, 2 * len(head))
            win_start, window = _window_before(text, match.start(), n_words)
            long = (_initials_long_form(head, window) or match_long_form(head, window)) if window else None
            if long:
                long_start = win_start + window.rfind(long)
                pairs.append(AbbreviationPair(
                    head_start, head_start + len(head), long_start, long_start + len(long), head, long,
                ))
                continue
        # Reverse form: "SF (Long Form)".
        if len(inner.split()) >= 2 and head == inner.strip():
            lo = max(0, match.start() - 24)
            before = _LAST_WORD_RE.search(text, lo, match.start())
            if before and (before.start(1) > lo or lo == 0) and _is_short_form(before.group(1)):
                short = before.group(1)
                if not short[0].isalnum() or short[0].lower() != head[0].lower():
                    continue
                long = match_long_form(short, head)
                if long == head:
                    pairs.append(AbbreviationPair(
                        before.start(1), before.end(1), head_start, head_start + len(head), short, head,
                    ))
    return pairs
