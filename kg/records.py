"""Paper records: the one in-memory shape every reader produces.

A :class:`Paper` is what the rest of the tool (extraction, graph building,
exports) consumes. Its ``id`` is stable across runs and inputs so that the
same paper seen in two files becomes one node:

* ``arxiv:<id>`` when an arXiv identifier is known (version suffix dropped),
* ``doi:<doi>`` (lower-cased) when a DOI is known,
* ``title:<16 hex>``, a SHA-1 of the normalised title, otherwise.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace

__all__ = [
    "Paper",
    "normalise_arxiv_id",
    "normalise_doi",
    "normalise_title",
    "paper_id",
    "reference_id",
    "title_key",
]

_ARXIV_RE = re.compile(
    r"(?:arxiv[:/ ]?|abs/|pdf/)?(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
_DOI_RE = re.compile(r"(10\.\d{4,9}/\S+)", re.IGNORECASE)


def normalise_title(title: str) -> str:
    """Fold a title to the form used for duplicate detection.

    Unicode is NFKC-normalised, case-folded, and every run of characters that
    are not letters or digits becomes one space, so ``"LoRA: Low-Rank
    Adaptation"`` and ``"lora  low rank adaptation"`` compare equal.
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"[^\W_]+", text))


def title_key(title: str) -> str:
    """The ``title:<hash>`` id of a paper known only by its title."""
    digest = hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:16]
    return f"title:{digest}"


def normalise_arxiv_id(value: str | None) -> str | None:
    """Return the bare arXiv id (``2310.01234``) found in *value*, or ``None``.

    Accepts ``arXiv:2310.01234v2``, ``https://arxiv.org/abs/2310.01234`` and
    old-style ids such as ``hep-th/9901001``.
    """
    if not value:
        return None
    match = _ARXIV_RE.search(value.strip())
    return match.group("id") if match else None


def normalise_doi(value: str | None) -> str | None:
    """Return the lower-cased DOI found in *value* (URL or bare), or ``None``."""
    if not value:
        return None
    match = _DOI_RE.search(value.strip())
    return match.group(1).rstrip(".,;").lower() if match else None


def paper_id(title: str, arxiv_id: str | None = None, doi: str | None = None) -> str:
    """The stable id of a paper: arXiv id, else DOI, else a hash of the title."""
    if arxiv := normalise_arxiv_id(arxiv_id):
        return f"arxiv:{arxiv}"
    if norm_doi := normalise_doi(doi):
        return f"doi:{norm_doi}"
    return title_key(title)


def reference_id(value: str) -> str:
    """Map one reference as a source gives it (arXiv id, DOI, URL or title) to a paper id.

    Values already in id form (``arxiv:…``, ``doi:…``, ``title:…``) are kept,
    arXiv ids and DOIs are normalised, and anything else is taken as a title.
    """
    value = value.strip()
    if value.startswith("title:"):
        return value
    looks_like_doi = value.lower().startswith("doi:") or "doi.org/" in value.lower() or _DOI_RE.match(value)
    if looks_like_doi and (doi := normalise_doi(value)):
        return f"doi:{doi}"
    looks_like_arxiv = value.lower().startswith(("arxiv", "http")) or re.fullmatch(r"[\w.\-/]+", value)
    if looks_like_arxiv and (arxiv := normalise_arxiv_id(value)):
        return f"arxiv:{arxiv}"
    return title_key(value)


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as read from a source.

    Attributes
    ----------
    id : str
        Stable id (see module docstring).
    title, abstract : str
        Exactly as the source gives them, stripped of surrounding white space.
    year : int or None
    authors : tuple of str
    url, arxiv_id, doi : str or None
    references : tuple of str
        Paper ids (see :func:`reference_id`) of the papers this one cites,
        when the source gives them.
    source : str
        ``path:line`` where the record starts; for a merged record, the first
        place it was seen.
    """

    id: str
    title: str
    abstract: str
    year: int | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    references: tuple[str, ...] = field(default_factory=tuple)
    source: str = ""

    @classmethod
    def create(
        cls,
        title: str,
        abstract: str,
        *,
        year: int | None = None,
        authors: tuple[str, ...] | list[str] = (),
        url: str | None = None,
        arxiv_id: str | None = None,
        doi: str | None = None,
        references: tuple[str, ...] | list[str] = (),
        source: str = "",
        id: str | None = None,
    ) -> Paper:
        """Build a record, normalising identifiers and deriving the stable id."""
        title = " ".join(title.split())
        arxiv = normalise_arxiv_id(arxiv_id) or normalise_arxiv_id(url if url and "arxiv" in url else None)
        norm_doi = normalise_doi(doi)
        pid = id.strip() if id and id.strip() else paper_id(title, arxiv, norm_doi)
        return cls(
            id=pid,
            title=title,
            abstract=abstract.strip(),
            year=year,
            authors=tuple(a.strip() for a in authors if a and a.strip()),
            url=url or None,
            arxiv_id=arxiv,
            doi=norm_doi,
            references=tuple(dict.fromkeys(reference_id(r) for r in references if r and r.strip())),
            source=source,
        )

    def merged_with(self, other: Paper) -> Paper:
        """Combine two sightings of the same paper, keeping every known field.

        The first sighting wins where both have a value; references are
        united in order; the id is upgraded to an arXiv/DOI id when the other
        sighting knows one.
        """
        arxiv = self.arxiv_id or other.arxiv_id
        doi = self.doi or other.doi
        new_id = self.id
        if self.id.startswith("title:") and (arxiv or doi):
            new_id = paper_id(self.title, arxiv, doi)
        return replace(
            self,
            id=new_id,
            abstract=self.abstract or other.abstract,
            year=self.year if self.year is not None else other.year,
            authors=self.authors or other.authors,
            url=self.url or other.url,
            arxiv_id=arxiv,
            doi=doi,
            references=tuple(dict.fromkeys(self.references + other.references)),
        )
