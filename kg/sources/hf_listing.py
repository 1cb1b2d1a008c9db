"""Reader for copies of Hugging Face "papers" listing pages (``.txt`` / ``.md``).

The format is what a browser's select-all + copy of a listing page gives: for
each paper a title line, then an abstract line, with page chrome around them.
What this reader copes with:

* Page chrome is dropped: ``new``, ``Subscribe``, ``Get trending papers in your
  email inbox!``, ``byAK and the research community`` (or ``by AK …``), ``Daily Papers``,
  ``Upvote``, dates (``Mar 13``, ``April 4, 2024``, ``Published on Mar 13``),
  ``Submitted by …``, upvote counts (``42``, ``1.2k``), ``· 5 authors`` —
  also when glued to the next text without a space
  (``SubscribeLinguistic Generalizability of…``).
* Blank lines between lines or records are optional.
* Titles and abstracts are told apart by their shape, not their position: an
  abstract is a long line of sentences, a title a short line without a final
  full stop. Lines are paired by a small dynamic programme that minimises a
  cost over the whole file, so a missing title or a missing abstract costs one
  reported line instead of shifting every pair after it.
* HTML character references left by the copy (``&amp;``) are decoded; URLs and
  LaTeX-ish text (``20\\%``, ``$x^2$``) are kept as they are.

Lines that cannot be paired are reported as :class:`SkippedRecord` with their line.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from kg.records import Paper
from kg.sources.base import Sighting, SkippedRecord
from kg.sources.textio import numbered_lines

__all__ = ["read_listing", "strip_chrome"]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = rf"{_MONTH} \d{{1,2}}(?!\d)(?:, \d{{4}}(?!\d))?"

#: Lines that are page chrome as a whole (matched case-insensitively against the stripped line).
_CHROME_LINE = re.compile(
    r"new|subscribe|get trending papers in your email inbox!?|by ?ak and the research community|submitted by"
    r"|daily papers|trending papers|upvotes?|·"
    rf"|(?:published on )?{_DATE}"
    r"|submitted by \S.{0,80}"
    r"|\d{1,6}(?:\.\d+)?k?"
    r"|·?\s*\d+\s+authors?",
    re.IGNORECASE,
)

#: Chrome that may be glued to what follows, even across a space (unambiguous phrases).
_LOOSE_PREFIX = re.compile(r"Get trending papers in your email inbox!?|by ?AK and the research community")
#: Chrome that may be glued to what follows only when the next character cannot continue its word.
_TIGHT_PREFIX = re.compile(rf"new|Subscribe|Daily Papers|(?:Published on )?{_DATE}")

_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[A-Z0-9(\"“'‘\[$\\])")
_CLOSERS = "\"'”’)]"

#: Cost of leaving one line unpaired (reported as skipped). Pairs cheaper than this are kept.
ORPHAN_COST = 2.0


def _starts_with_chrome(text: str) -> bool:
    return bool(_LOOSE_PREFIX.match(text) or _TIGHT_PREFIX.match(text))


def strip_chrome(line: str) -> str:
    """Remove page chrome from the start of *line*; return ``""`` if the line is only chrome.

    ``"SubscribeLinguistic Generalizability"`` → ``"Linguistic Generalizability"``;
    ``"Subscribers of …"`` and ``"new results"`` are left alone because the chrome
    word would continue into a lower-case letter, a digit or a space.
    """
    text = line.strip()
    while text:
        if _CHROME_LINE.fullmatch(text):
            return ""
        if match := _LOOSE_PREFIX.match(text):
            text = text[match.end() :].lstrip()
            continue
        match = _TIGHT_PREFIX.match(text)
        if not match:
            break
        rest = text[match.end() :]
        glued = rest and not (rest[0].islower() or rest[0].isdigit() or rest[0].isspace())
        if glued or _starts_with_chrome(rest.lstrip()):
            text = rest.lstrip()
            continue
        break
    return text


def _unescape(text: str) -> str:
    """Decode complete HTML character references (``&amp;``) only; ``R&D`` and ``&notation`` stay."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def _shape(text: str) -> tuple[int, int, int, bool]:
    words = len(text.split())
    breaks = len(_SENTENCE_BREAK.findall(text))
    ends_sentence = text.rstrip(_CLOSERS).endswith((".", "!", "?"))
    return len(text), words, breaks, ends_sentence


def title_cost(text: str) -> float:
    """How unlike a title *text* is: 0 for a short line without a final full stop; ``inf`` if impossible."""
    length, words, breaks, _ = _shape(text)
    if length > 400 or words > 60:
        return math.inf
    cost = 1.0 if text.rstrip(_CLOSERS).endswith(".") else 0.0
    cost += 0.5 * max(0, breaks - 1)
    cost += max(0, length - 200) / 200
    return cost


def abstract_cost(text: str) -> float:
    """How unlike an abstract *text* is: 0 for a long multi-sentence line; ``inf`` if impossible.

    Fewer than 8 words, or a short phrase (under 25 words) with no sentence in it,
    can never be an abstract.
    """
    length, words, breaks, ends_sentence = _shape(text)
    if words < 8 or (words < 25 and breaks == 0 and not ends_sentence):
        return math.inf
    cost = 0.0 if ends_sentence else 0.3
    cost += 0.5 if breaks == 0 else 0.0
    cost += max(0, 400 - length) / 400
    return cost


def pair_lines(texts: Sequence[str]) -> list[tuple[int, int] | int]:
    """Segment content lines into ``(title_index, abstract_index)`` pairs and unpaired indices.

    A linear dynamic programme: each line either starts a pair with the next line
    (cost ``title_cost + abstract_cost``) or stays alone (cost :data:`ORPHAN_COST`);
    the segmentation with the least total cost wins, pairs winning ties.
    """
    n = len(texts)
    t_cost = [title_cost(t) for t in texts]
    a_cost = [abstract_cost(t) for t in texts]
    best = [0.0] * (n + 1)
    choice = [False] * (n + 1)  # True: line i starts a pair
    for i in range(n - 1, -1, -1):
        alone = ORPHAN_COST + best[i + 1]
        paired = t_cost[i] + a_cost[i + 1] + best[i + 2] if i + 1 < n else math.inf
        choice[i] = paired <= alone
        best[i] = paired if choice[i] else alone
    segments: list[tuple[int, int] | int] = []
    i = 0
    while i < n:
        if choice[i]:
            segments.append((i, i + 1))
            i += 2
        else:
            segments.append(i)
            i += 1
    return segments


def _preview(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _unpaired_reason(text: str) -> str:
    t, a = title_cost(text), abstract_cost(text)
    if math.isinf(t) and math.isinf(a):
        return f"line is neither a title nor an abstract: {_preview(text)}"
    if t <= a:
        return f"title without an abstract (empty abstract): {_preview(text)}"
    return f"abstract without a title: {_preview(text)}"


def read_listing(path: Path) -> Iterator[Sighting | SkippedRecord]:
    """Read one listing copy; yield its papers and what was skipped, in file order.

    Each paper's ``source`` is ``path:line`` of its title line.
    """
    name = str(path)
    content: list[tuple[int, str]] = []
    problems: list[SkippedRecord] = []
    for item in numbered_lines(path):
        if isinstance(item, SkippedRecord):
            if item.line is None:
                yield item
                return
            problems.append(item)
            continue
        number, line = item
        text = strip_chrome(_unescape(line))
        if text:
            content.append((number, text))
    texts = [text for _, text in content]
    out: list[tuple[int, Sighting | SkippedRecord]] = [(p.line or 0, p) for p in problems]
    for segment in pair_lines(texts):
        if isinstance(segment, tuple):
            (t_line, title), (_, abstract) = content[segment[0]], content[segment[1]]
            paper = Paper.create(title, abstract, source=f"{name}:{t_line}")
            out.append((t_line, Sighting(paper)))
        else:
            line_no, text = content[segment]
            out.append((line_no, SkippedRecord(name, line_no, _unpaired_reason(text))))
    out.sort(key=lambda pair: pair[0])
    for _, item in out:
        yield item
