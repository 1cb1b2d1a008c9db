"""Name a paper or a concept the way a person would: by id, title/name, alias or a unique prefix.

Used by views and commands that take ``--paper``/``--concept``. Matching goes
from the most to the least specific rule and stops at the first rule that
matches anything; if that rule matches more than one node the name is
ambiguous and :class:`AmbiguousNameError` lists the candidates.

Papers: id → the id the name normalises to (``2401.01234``, ``arXiv:2401.01234v2``,
an arxiv.org or doi.org URL, a bare DOI) → exact title → title ignoring case and
spacing → unique case-insensitive title prefix → unique prefix of an id, with or
without its ``arxiv:``/``doi:`` scheme.
Concepts: id → exact name → name or alias ignoring case → unique
case-insensitive prefix of a name or alias; optionally only of one kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx

from kg.records import reference_id
from kg.schema import ConceptKind, Label

__all__ = [
    "AmbiguousNameError",
    "NameNotFoundError",
    "ResolveError",
    "resolve_concept",
    "resolve_paper",
]

_MAX_LISTED = 10


class ResolveError(LookupError):
    """A name that does not designate exactly one node."""

    def __str__(self) -> str:  # LookupError would quote the message
        return str(self.args[0]) if self.args else ""


class NameNotFoundError(ResolveError):
    """No node matches the name."""


class AmbiguousNameError(ResolveError):
    """Several nodes match the name; ``candidates`` holds their ids (sorted)."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _pick(
    what: str,
    name: str,
    nodes: list[str],
    rules: Iterable[Callable[[str], bool]],
    describe: Callable[[str], str],
) -> str:
    if name in nodes:
        return name
    for rule in rules:
        matches = sorted(n for n in nodes if rule(n))
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = "; ".join(describe(n) for n in matches[:_MAX_LISTED])
            more = f"; and {len(matches) - _MAX_LISTED} more" if len(matches) > _MAX_LISTED else ""
            raise AmbiguousNameError(
                f"{what} {name!r} is ambiguous ({len(matches)} matches): {listed}{more}", matches
            )
    raise NameNotFoundError(f"no {what} matches {name!r}")


def _id_has_prefix(node_id: str, key: str) -> bool:
    """Does the id, with or without its scheme (``arxiv:``, ``doi:``), start with *key* (case-folded)?"""
    folded = node_id.casefold()
    return folded.startswith(key) or folded.partition(":")[2].startswith(key)


def resolve_paper(graph: nx.MultiDiGraph, name: str) -> str:
    """The id of the paper named *name*.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A paper graph (:func:`kg.graph.build_graph` / :func:`kg.graph.load_graph`).
    name : str
        A paper id (or an arXiv id, DOI or URL that normalises to one), an exact
        title, a title in any case, a case-insensitive prefix of exactly one
        title, or a prefix of exactly one id.

    Returns
    -------
    str
        The paper's node id.

    Raises
    ------
    NameNotFoundError
        If nothing matches.
    AmbiguousNameError
        If several papers match; the message lists them (id and title).
    """
    nodes = [n for n, label in graph.nodes(data="label") if label == Label.PAPER.value]
    titles = {n: graph.nodes[n].get("title") or "" for n in nodes}
    folded = {n: _fold(t) for n, t in titles.items()}
    key = _fold(name)
    as_id = reference_id(name) if name.strip() else ""
    rules = [
        lambda n: n == as_id,
        lambda n: titles[n] == name.strip(),
        lambda n: folded[n] == key,
        lambda n: bool(key) and folded[n].startswith(key),
        lambda n: bool(key) and _id_has_prefix(n, key),
    ]
    return _pick("paper", name, nodes, rules, lambda n: f"{n} {titles[n]!r}")


def resolve_concept(graph: nx.MultiDiGraph, name: str, kind: ConceptKind | str | None = None) -> str:
    """The id of the concept named *name*.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A paper graph.
    name : str
        A concept id, an exact name, a name or alias in any case, or a
        case-insensitive prefix of the names/aliases of exactly one concept.
    kind : ConceptKind or str, optional
        Only consider concepts of this kind (``"Dataset"``, ``"model"`` …;
        case-insensitive).

    Returns
    -------
    str
        The concept's node id.

    Raises
    ------
    NameNotFoundError
        If nothing matches (or *kind* is not a concept kind).
    AmbiguousNameError
        If several concepts match; the message lists them (id, name, kind).
    """
    wanted = None
    if kind is not None:
        kinds = {k.value.casefold(): k.value for k in ConceptKind}
        wanted = kinds.get(str(kind).casefold())
        if wanted is None:
            expected = ", ".join(kinds.values())
            raise NameNotFoundError(f"unknown concept kind {kind!r}; expected one of {expected}")
    nodes = [
        n
        for n, data in graph.nodes(data=True)
        if data.get("label") == Label.CONCEPT.value and (wanted is None or data.get("kind") == wanted)
    ]
    names = {n: graph.nodes[n].get("name") or "" for n in nodes}
    forms = {n: {_fold(names[n]), *(_fold(a) for a in graph.nodes[n].get("aliases") or [])} for n in nodes}
    key = _fold(name)
    rules = [
        lambda n: names[n] == name.strip(),
        lambda n: key in forms[n],
        lambda n: bool(key) and any(form.startswith(key) for form in forms[n]),
    ]
    what = f"{wanted.lower()} concept" if wanted else "concept"
    return _pick(
        what, name, nodes, rules, lambda n: f"{n} {names[n]!r} ({graph.nodes[n].get('kind')})"
    )
