"""CITES edges: from metadata references, inferred from artifact names, and author–year strings.

Three sources of citations, in decreasing order of trust:

``metadata``
    A record's ``references`` (paper ids from JSONL/CSV/BibTeX inputs) that
    resolve to a paper of the corpus — by id, arXiv id, DOI or title hash.
    References that resolve to no corpus paper stay on the citing paper as
    ``unresolved_refs``.
``inferred:<concept id>``
    Paper B mentions, by name or alias, an artifact (Dataset, Model or Method)
    that another corpus paper A PROPOSES → ``B-[:CITES]->A``. The artifact
    needs a distinctive name (see :func:`distinctive_name`: ``InsertNeRF``,
    ``GPT-4``, ``Orca``, not ``Multi-task Learning``), so that a paper that
    merely "proposes" a common technique does not collect citations. The proposer
    must be unambiguous: when several papers propose the same concept, the one
    with the strictly earliest year is cited, and when years are missing or
    tied no edge is inferred. Never a self-citation, never from a paper that
    itself proposes the concept, never to a paper published after the citing
    one. Tasks are problem settings, not artifacts, and infer nothing.
author–year
    Strings such as ``(Lee et al., 2023)`` in an abstract name a paper but not
    which one, so they are kept on the paper, normalised (``"Lee et al., 2023"``),
    in ``unresolved_refs``.

A metadata citation wins over an inferred one between the same two papers
(there is at most one CITES edge per pair).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import networkx as nx

from kg.records import Paper, title_key
from kg.schema import ConceptKind, Label, Rel

__all__ = [
    "METADATA",
    "CitingPaper",
    "add_inferred_citations",
    "add_metadata_citations",
    "choose_proposers",
    "distinctive_name",
    "find_author_year_citations",
    "infer_citations",
    "inferred_source",
    "is_artifact",
    "reference_index",
    "resolve_references",
    "unique_proposers",
]

#: ``source`` of a CITES edge taken from a record's references.
METADATA = "metadata"
_INFERRED_PREFIX = "inferred:"
_ARTIFACT_KINDS = {ConceptKind.DATASET.value, ConceptKind.MODEL.value, ConceptKind.METHOD.value}

# --- author–year -----------------------------------------------------------------------------------

_PARTICLE = r"(?:(?:van|von|der|den|de|del|della|da|di|du|dos|le|la|al|bin|ten|ter)\s+)"
_SURNAME = rf"{_PARTICLE}*[A-Z][\w'’\-]*[a-z][\w'’\-]*"
_YEAR = r"(?:19|20)\d\d[a-z]?"
_AUTHORS = (
    rf"(?P<first>{_SURNAME})"
    rf"(?:(?P<etal>\s+et\s+al\.?)|\s+(?:and|&)\s+(?P<second>{_SURNAME}))?"
)
#: "Lee et al., 2023", "Lee et al. 2023", "Smith and Jones, 2020", "Smith & Jones (2020)",
#: "Lee et al. (2023)".
_NARRATIVE_RE = re.compile(rf"\b{_AUTHORS},?\s+\(?(?P<year>{_YEAR})\)?(?![\w])")
#: Inside parentheses a single surname is enough: "(Smith, 2020; Lee et al., 2023)".
_PAREN_RE = re.compile(r"\(([^()]{4,400})\)")
_PAREN_ITEM_RE = re.compile(rf"^(?:e\.g\.,?\s+|see\s+|cf\.\s+)?{_AUTHORS},?\s+(?P<year>{_YEAR})$")
#: Cheap test run first: most abstracts contain no year at all.
_ANY_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def _format_citation(match: re.Match[str]) -> str:
    first = " ".join(match.group("first").split())
    if match.group("etal"):
        authors = f"{first} et al."
    elif match.group("second"):
        authors = f"{first} and {' '.join(match.group('second').split())}"
    else:
        authors = first
    return f"{authors}, {match.group('year')}"


def find_author_year_citations(text: str) -> list[str]:
    """Author–year citations in *text*, normalised, deduplicated, in order of appearance.

    Parameters
    ----------
    text : str
        An abstract (or any prose).

    Returns
    -------
    list of str
        Citations as ``"Lee et al., 2023"``, ``"Smith and Jones, 2020"`` or
        (only inside parentheses) ``"Smith, 2020"``.

    Examples
    --------
    >>> find_author_year_citations("methods (Lee et al., 2023; Pagliardini et al., 2023) work")
    ['Lee et al., 2023', 'Pagliardini et al., 2023']
    """
    if not _ANY_YEAR_RE.search(text):
        return []
    found: list[tuple[int, str]] = []
    for match in _NARRATIVE_RE.finditer(text):
        if match.group("etal") or match.group("second"):
            found.append((match.start(), _format_citation(match)))
    for paren in _PAREN_RE.finditer(text):
        offset = paren.start(1)
        for item in re.finditer(r"[^;]+", paren.group(1)):
            item_match = _PAREN_ITEM_RE.match(item.group().strip())
            if item_match:
                found.append((offset + item.start(), _format_citation(item_match)))
    found.sort()
    return list(dict.fromkeys(citation for _, citation in found))


# --- metadata references ---------------------------------------------------------------------------


def reference_index(papers: Iterable[Paper]) -> dict[str, str]:
    """Map every id a reference may use for a corpus paper to that paper's node id.

    A paper is reachable by its id, ``arxiv:<id>``, ``doi:<doi>`` and the
    title hash (``title:…``), so a reference given by title still resolves to a
    paper whose id is its arXiv id. The first paper (in the given order) wins
    when two papers share a key.
    """
    index: dict[str, str] = {}
    for paper in papers:
        keys = [paper.id, title_key(paper.title)]
        if paper.arxiv_id:
            keys.append(f"arxiv:{paper.arxiv_id}")
        if paper.doi:
            keys.append(f"doi:{paper.doi}")
        for key in keys:
            index.setdefault(key, paper.id)
    return index


def resolve_references(papers: Sequence[Paper]) -> Iterator[tuple[list[str], list[str]]]:
    """For each paper of *papers*: (the corpus papers its references resolve to, sorted; the rest).

    The rest are the references (as given, in reference order) that resolve to
    no corpus paper; self-references are dropped. *papers* is the corpus in
    the order edges are to be inserted; the index is :func:`reference_index` of it.
    """
    index = reference_index(papers)
    for paper in papers:
        missing: list[str] = []
        targets: list[str] = []
        for ref in paper.references:
            target = index.get(ref)
            if target is None:
                missing.append(ref)
            elif target != paper.id:
                targets.append(target)
        yield sorted(set(targets)), missing


def add_metadata_citations(graph: nx.MultiDiGraph, papers: Iterable[Paper]) -> dict[str, list[str]]:
    """Add ``CITES {source: "metadata"}`` edges for references that resolve inside the corpus.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A graph holding a Paper node for every paper in *papers*.
    papers : iterable of Paper
        The corpus, in the order edges should be inserted (sorted for a
        deterministic graph).

    Returns
    -------
    dict
        Paper id → references (as given) that resolve to no corpus paper, in
        reference order. Self-references are dropped.
    """
    papers = list(papers)
    unresolved: dict[str, list[str]] = {}
    for paper, (targets, missing) in zip(papers, resolve_references(papers), strict=True):
        for target in targets:
            graph.add_edge(paper.id, target, key=Rel.CITES.value, type=Rel.CITES.value, source=METADATA)
        unresolved[paper.id] = missing
    return unresolved


# --- inferred from proposed artifacts --------------------------------------------------------------

_TOKEN_RE = re.compile(r"\w+(?:[.+\-]\w+)*\+*")


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def distinctive_name(name: str) -> bool:
    """True for names that identify an artifact rather than describe a technique.

    A name is distinctive when a word of it has a digit or an upper-case
    letter after its first character (``InsertNeRF``, ``GPT-4``, ``LLFF``,
    ``Qwen2.5``), or when it is one capitalised word of at least three
    letters (``Orca``, ``Vicuna``). Title-cased phrases (``Multi-task
    Learning``, ``Knowledge Distillation``) are not.

    Examples
    --------
    >>> [distinctive_name(n) for n in ["InsertNeRF", "Orca", "Multi-task Learning", "sam"]]
    [True, True, False, False]
    """
    toks = _tokens(name)
    if not toks:
        return False
    if any(any(ch.isdigit() for ch in tok) or any(ch.isupper() for ch in tok[1:]) for tok in toks):
        return True
    return len(toks) == 1 and toks[0][0].isupper() and len(toks[0]) >= 3


def inferred_source(concept: str) -> str:
    """The ``source`` of a CITES edge inferred from a mention of *concept* (a concept id)."""
    return f"{_INFERRED_PREFIX}{concept}"


def unique_proposers(graph: nx.MultiDiGraph) -> tuple[dict[str, str], dict[str, set[str]]]:
    """For each artifact concept, the one paper a mention of it should cite.

    Returns
    -------
    cited : dict
        Concept id → the paper to cite: the only proposer, or the proposer with
        the strictly earliest year. Concepts whose proposer is ambiguous, and
        concepts without a distinctive name or alias, are absent.
    proposers : dict
        Concept id → every paper that PROPOSES it (for all artifact concepts).
    """
    proposers: dict[str, set[str]] = defaultdict(set)
    for paper, concept, key in graph.edges(keys=True):
        if key == Rel.PROPOSES.value and graph.nodes[concept].get("kind") in _ARTIFACT_KINDS:
            proposers[concept].add(paper)
    nodes = graph.nodes
    cited = choose_proposers(proposers, lambda c: _names(nodes[c]), lambda p: nodes[p].get("year"))
    return cited, dict(proposers)


def is_artifact(kind: str | None) -> bool:
    """True for the concept kinds a mention of which can infer a citation (Dataset, Model, Method)."""
    return kind in _ARTIFACT_KINDS


def _names(data: Mapping[str, Any]) -> list[str]:
    return [data.get("name", ""), *data.get("aliases", [])]


def choose_proposers(
    proposers: Mapping[str, set[str]],
    names: Callable[[str], Sequence[str]],
    year: Callable[[str], int | None],
) -> dict[str, str]:
    """The ``cited`` half of :func:`unique_proposers`, from plain look-ups.

    Parameters
    ----------
    proposers : mapping
        Artifact concept id → the papers proposing it.
    names : callable
        Concept id → its name and aliases.
    year : callable
        Paper id → its year (or ``None``).
    """
    cited: dict[str, str] = {}
    for concept, papers in proposers.items():
        if not any(distinctive_name(n) for n in names(concept)):
            continue
        if len(papers) == 1:
            cited[concept] = next(iter(papers))
            continue
        years = sorted((year(p), p) for p in papers if year(p) is not None)
        if len(years) == len(papers) and years[0][0] < years[1][0]:
            cited[concept] = years[0][1]
    return cited


_NameIndex = dict[str, list[tuple[tuple[str, ...], str]]]


def _name_index(names: Callable[[str], Sequence[str]], concepts: Iterable[str]) -> _NameIndex:
    """First token → [(name tokens, concept id)] for names worth looking for in free text.

    Only distinctive names (:func:`distinctive_name`) are used, which keeps
    ordinary words from creating citations. A name shared by two concepts is
    dropped.
    """
    by_name: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for concept in concepts:
        for name in names(concept):
            toks = tuple(_tokens(name))
            if toks and len(name) >= 3 and distinctive_name(name):
                by_name[toks].add(concept)
    index: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for toks, owners in sorted(by_name.items()):
        if len(owners) == 1:
            index[toks[0]].append((toks, next(iter(owners))))
    return dict(index)


def _mentioned_concepts(toks: list[str], index: _NameIndex) -> set[str]:
    hits = index.keys() & set(toks)  # set operations in C; most texts name no proposed artifact
    found: set[str] = set()
    if not hits:
        return found
    for i, tok in enumerate(toks):
        if tok in hits:
            for name, concept in index[tok]:
                if len(name) == 1 or tuple(toks[i : i + len(name)]) == name:
                    found.add(concept)
    return found


class CitingPaper(NamedTuple):
    """What :func:`infer_citations` needs of one citing paper."""

    id: str
    title: str
    abstract: str
    year: int | None
    uses: Iterable[str]
    cites: Iterable[str]


def infer_citations(
    papers: Iterable[CitingPaper],
    cited: Mapping[str, str],
    proposers: Mapping[str, set[str]],
    names: Callable[[str], Sequence[str]],
    year: Callable[[str], int | None],
) -> Iterator[tuple[str, str, str]]:
    """The inferred CITES edges ``(paper, target, concept)``, in the order they are to be added.

    The rules of :func:`add_inferred_citations` over plain data, so that a
    graph kept outside networkx infers exactly the same edges.

    Parameters
    ----------
    papers : iterable of CitingPaper
        Every paper in id order, with the concepts it USES and the papers it
        already cites (metadata).
    cited, proposers : mapping
        As :func:`unique_proposers` returns them.
    names : callable
        Concept id → its name and aliases.
    year : callable
        Paper id → its year (or ``None``).
    """
    if not cited:
        return
    index = _name_index(names, cited)
    for paper in papers:
        mentioned = {concept for concept in paper.uses if concept in cited}
        # A separator token that is no name keeps a name from spanning title and abstract.
        toks = [*_tokens(paper.title or ""), "\n", *_tokens(paper.abstract or "")]
        mentioned |= _mentioned_concepts(toks, index)
        if not mentioned:
            continue
        targets = set(paper.cites)
        for concept in sorted(mentioned):
            target = cited[concept]
            if target == paper.id or paper.id in proposers[concept]:
                continue
            if target in targets:
                continue
            target_year = year(target)
            if paper.year is not None and target_year is not None and paper.year < target_year:
                continue
            targets.add(target)
            yield paper.id, target, concept


def add_inferred_citations(graph: nx.MultiDiGraph) -> int:
    """Add ``CITES {source: "inferred:<concept id>"}`` edges from mentions of proposed artifacts.

    A paper mentions a concept when it has a USES edge to it or when its title
    or abstract contains the concept's name or one of its aliases (whole
    tokens, case-sensitive). See the module docstring for the rules.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A graph with Paper and Concept nodes and PROPOSES/USES edges; CITES
        edges already present (metadata) are kept.

    Returns
    -------
    int
        Number of edges added.
    """
    cited, proposers = unique_proposers(graph)
    if not cited:
        return 0
    uses, cites = Rel.USES.value, Rel.CITES.value
    nodes = graph.nodes
    ids = sorted(n for n, label in graph.nodes(data="label") if label == Label.PAPER.value)
    papers = (
        CitingPaper(
            paper,
            nodes[paper].get("title") or "",
            nodes[paper].get("abstract") or "",
            nodes[paper].get("year"),
            [concept for concept, keys in graph.succ[paper].items() if uses in keys],
            [target for target, keys in graph.succ[paper].items() if cites in keys],
        )
        for paper in ids
    )
    found = list(infer_citations(papers, cited, proposers, lambda c: _names(nodes[c]),
                                 lambda p: nodes[p].get("year")))
    for paper, target, concept in found:
        graph.add_edge(paper, target, key=cites, type=cites, source=inferred_source(concept))
    return len(found)
