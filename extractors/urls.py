"""Code-repository URLs: find them in text, clean them, and name the repository.

Abstracts end URLs with sentence punctuation ("… at https://github.com/a/b."),
wrap them in brackets, or glue LaTeX leftovers to them
("https://github.com/a/b{here}"). :func:`find_code_urls` returns the cleaned
span; :func:`parse_repo` turns it into host/owner/name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["CODE_HOSTS", "RepoRef", "find_code_urls", "find_urls", "parse_repo", "url_ref"]

#: Hosts whose URLs point at code or model/data repositories.
CODE_HOSTS = (
    "github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org", "gitee.com",
    "sourceforge.net", "git.sr.ht",
)

_HOST_ALT = "|".join(re.escape(h) for h in CODE_HOSTS)
# A URL runs until white space or a character that cannot be part of it in prose.
URL_RE = re.compile(
    rf"(?:https?://)?(?:www\.)?(?:{_HOST_ALT})/[^\s<>\"'{{}}\[\]|\\^`]+",
    re.IGNORECASE,
)
# Any web address: scheme or "www." prefix, or a bare code-host address (matched above).
ANY_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'{}\[\]|\\^`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
# Hugging Face path prefixes that are not the owner.
_HF_KINDS = {"datasets", "spaces", "models"}


@dataclass(frozen=True, slots=True)
class RepoRef:
    """A repository named by a URL: ``https://<host>/<owner>/<name>``."""

    host: str
    owner: str
    name: str
    kind: str = ""  # "datasets" / "spaces" on Hugging Face

    @property
    def url(self) -> str:
        """The canonical repository URL (no sub-path, no ``.git``)."""
        if not self.owner:  # a project page
            return f"https://{self.host}/{self.name}".rstrip("/")
        middle = f"{self.kind}/" if self.kind else ""
        return f"https://{self.host}/{middle}{self.owner}/{self.name}"


def _clean(url: str) -> str:
    """Strip trailing prose punctuation, unbalanced closing brackets and glued junk."""
    while url:
        last = url[-1]
        if last in ")]" and url.count("(" if last == ")" else "[") >= url.count(last):
            break  # balanced bracket belongs to the URL
        if last in _TRAILING:
            url = url[:-1]
            continue
        break
    return url


_URL_PREFIXES = ("http", "www.")
#: Characters that ``re.IGNORECASE`` matches to an ASCII letter although ``str.lower`` keeps them.
_FOLDS_TO_ASCII = ("\u017f", "\u0131", "\u212a", "\u0130")


def _matches(regex: re.Pattern, text: str, prefixes: tuple[str, ...]) -> Iterator[re.Match]:
    """``regex.finditer(text)``, tried only where one of the lower-case *prefixes* starts.

    Python's ``re`` scans a case-insensitive alternation slowly; ``str.find`` on the
    lower-cased text finds the few places where a match can begin. Only where
    lower-casing keeps the offsets and no character outside ASCII matches an ASCII
    letter case-insensitively ("ſ" = "s", "ı" = "i", Kelvin sign = "k"); otherwise the
    plain scan.
    """
    low = text.lower()
    if len(low) != len(text) or (not text.isascii() and any(ch in text for ch in _FOLDS_TO_ASCII)):
        yield from regex.finditer(text)
        return
    positions = set()
    for prefix in prefixes:
        pos = low.find(prefix)
        while pos >= 0:
            positions.add(pos)
            pos = low.find(prefix, pos + 1)
    end = 0
    for pos in sorted(positions):
        if pos < end:
            continue
        match = regex.match(text, pos)
        if match is not None:
            yield match
            end = match.end()


def find_code_urls(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, url)`` for every code-host URL, trailing junk removed.

    ``text[start:end] == url``.
    """
    for match in _matches(URL_RE, text, (*_URL_PREFIXES, *CODE_HOSTS)):
        url = _clean(match.group(0))
        if parse_repo(url) is None:
            continue
        yield match.start(), match.start() + len(url), url


def parse_repo(url: str) -> RepoRef | None:
    """Return the repository a code-host URL points to, or ``None`` if it names none.

    >>> parse_repo("https://github.com/NJU-RL/Meta-DT.").url
    'https://github.com/NJU-RL/Meta-DT'
    """
    match = re.match(rf"(?:https?://)?(?:www\.)?({_HOST_ALT})/(.*)", url.strip(), re.IGNORECASE)
    if not match:
        return None
    host = match.group(1).lower()
    parts = [p for p in re.split(r"[/?#]", match.group(2)) if p]
    kind = ""
    if host == "huggingface.co" and parts and parts[0].lower() in _HF_KINDS:
        kind = parts[0].lower()
        parts = parts[1:]
    if len(parts) < 2:
        return None
    owner = parts[0]
    name = _clean(parts[1])
    if name.lower().endswith(".git"):
        name = name[:-4]
    if not owner or not name or not re.match(r"^[\w.\-]+$", owner) or not re.match(r"^[\w.\-]+$", name):
        return None
    return RepoRef(host, owner, name, "" if kind == "models" else kind)


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """Every web address in *text* (code hosts, project pages, ``aka.ms`` links), cleaned.

    Returns ``(start, end, url)`` with ``text[start:end] == url``, in order, without overlaps.
    """
    found: dict[int, tuple[int, int, str]] = {}
    low = text.lower()
    if "http" not in low and "www." not in low and not any(host in low for host in CODE_HOSTS):
        return []
    for match in _matches(ANY_URL_RE, text, _URL_PREFIXES):
        url = _clean(match.group(0))
        if "." in url.split("//", 1)[-1].split("/", 1)[0]:
            found[match.start()] = (match.start(), match.start() + len(url), url)
    bare_hosts = any(host in low for host in CODE_HOSTS)
    for start, end, url in find_code_urls(text) if bare_hosts else ():
        if not any(s <= start < e for s, e, _ in found.values()):
            found[start] = (start, end, url)
    return [found[k] for k in sorted(found)]


def url_ref(url: str) -> RepoRef:
    """The repository (code hosts) or page (anything else) a URL names.

    For a page, ``owner`` is empty and ``name`` is the path without slashes at
    the ends; :attr:`RepoRef.url` then gives the cleaned address back.
    """
    repo = parse_repo(url)
    if repo is not None:
        return repo
    match = re.match(r"(?:https?://)?(?:www\.)?([^/?#]+)(.*)", url.strip(), re.IGNORECASE)
    host = match.group(1).lower() if match else url
    path = match.group(2).strip("/") if match else ""
    return RepoRef(host, "", path)
