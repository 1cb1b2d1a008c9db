"""Merging sightings of the same paper and resolving references to merged ids.

Two sightings are the same paper when they share an arXiv id or a DOI, or when
their normalised titles are equal and their arXiv ids/DOIs do not contradict
each other (two different arXiv ids with one title are two papers). A merge
keeps the first sighting's values and fills gaps from later ones
(:meth:`kg.records.Paper.merged_with`), so its id is upgraded from a title hash
to an arXiv/DOI id as soon as any source knows one.
"""

from __future__ import annotations

from dataclasses import replace

from kg.records import Paper, normalise_title, title_key
from kg.sources.base import Sighting

__all__ = ["PaperSet"]


def _match_keys(paper: Paper) -> tuple[list[str], str | None]:
    ids = []
    if paper.arxiv_id:
        ids.append(f"arxiv:{paper.arxiv_id}")
    if paper.doi:
        ids.append(f"doi:{paper.doi}")
    title = normalise_title(paper.title)
    return ids, (f"t:{title}" if title else None)


def _compatible(a: Paper, b: Paper) -> bool:
    """False when both know an arXiv id (or DOI) and they differ."""
    if a.arxiv_id and b.arxiv_id and a.arxiv_id != b.arxiv_id:
        return False
    return not (a.doi and b.doi and a.doi != b.doi)


class PaperSet:
    """Distinct papers in first-seen order, built one sighting at a time."""

    def __init__(self) -> None:
        self._papers: list[Paper | None] = []
        self._aliases: list[set[str]] = []  # every id each paper was seen or cited under
        self._owned: list[set[str]] = []  # match keys pointing at each paper
        self._keys: dict[str, int] = {}
        self.raw_count = 0

    def __len__(self) -> int:
        return sum(1 for p in self._papers if p is not None)

    def add(self, sighting: Sighting) -> bool:
        """Add one sighting; return ``True`` when it merged into a paper already seen."""
        self.raw_count += 1
        paper = sighting.paper
        ids, title_k = _match_keys(paper)
        matches = list(dict.fromkeys(self._keys[k] for k in ids if k in self._keys))
        if title_k in self._keys:
            candidate = self._keys[title_k]
            current = self._papers[candidate]
            if candidate not in matches and current is not None and _compatible(current, paper):
                matches.append(candidate)
        aliases = {paper.id, title_key(paper.title), *ids, *sighting.aliases}
        if not matches:
            self._papers.append(paper)
            self._aliases.append(aliases)
            self._owned.append(set())
            self._register(len(self._papers) - 1, ids, title_k)
            return False
        target, *others = sorted(matches)
        merged = self._papers[target]
        assert merged is not None
        merged = merged.merged_with(paper)
        self._aliases[target] |= aliases
        for other in others:  # the new sighting links two records seen apart: fold them together
            folded = self._papers[other]
            assert folded is not None
            merged = merged.merged_with(folded)
            self._aliases[target] |= self._aliases[other]
            for key in self._owned[other]:
                self._keys[key] = target
            self._owned[target] |= self._owned[other]
            self._papers[other] = None
        self._papers[target] = merged
        self._register(target, *_match_keys(merged))
        return True

    def _register(self, index: int, ids: list[str], title_k: str | None) -> None:
        """Point the paper's arXiv/DOI keys (and its title key, unless taken) at *index*."""
        paper = self._papers[index]
        assert paper is not None
        keys = ids if title_k is None or self._keys.get(title_k, index) != index else [*ids, title_k]
        for key in keys:
            self._keys[key] = index
        self._owned[index].update(keys)
        self._aliases[index].add(paper.id)

    def papers(self) -> list[Paper]:
        """The distinct papers with references rewritten to the final ids.

        A reference given as any id a paper was seen under (its title hash, arXiv
        id, DOI, a BibTeX key, a source's own id) is replaced by that paper's id;
        self-citations created by merging are dropped. References to papers not
        in the inputs are kept as given.
        """
        resolve: dict[str, str] = {}
        for paper, aliases in zip(self._papers, self._aliases, strict=True):
            if paper is not None:
                for alias in aliases:
                    resolve.setdefault(alias, paper.id)
        out = []
        for paper in self._papers:
            if paper is None:
                continue
            refs = (resolve.get(ref, ref) for ref in paper.references)
            resolved = tuple(dict.fromkeys(ref for ref in refs if ref != paper.id))
            out.append(paper if resolved == paper.references else _with_references(paper, resolved))
        return out


def _with_references(paper: Paper, references: tuple[str, ...]) -> Paper:
    return replace(paper, references=references)
