"""Hover texts for nodes and edges: plain text with line breaks, never HTML.

vis-network shows a string title with ``innerText``, so whatever a paper's
title or an evidence sentence contains is displayed literally. Long fields are
shortened so that a tooltip stays a tooltip.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from kg.schema import Label, Rel

__all__ = ["clip", "edge_tooltip", "node_tooltip"]

_MAX_FIELD: Final = 400
_MAX_AUTHORS: Final = 6
_MAX_ALIASES: Final = 8


def clip(text: object, limit: int = _MAX_FIELD) -> str:
    """Whitespace-normalised *text*, cut to *limit* characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _listing(items: Sequence[object], limit: int) -> str:
    names = [clip(item, 80) for item in items if str(item).strip()]
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" and {more} more" if more > 0 else "")


def _paper_lines(attrs: Mapping[str, Any], counts: Mapping[str, int]) -> list[str]:
    lines = [clip(attrs.get("title") or attrs.get("id") or "")]
    kind_line = "Paper"
    if attrs.get("year"):
        kind_line += f" · {attrs['year']}"
    lines.append(kind_line)
    authors = attrs.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    if authors:
        lines.append("Authors: " + _listing(list(authors), _MAX_AUTHORS))
    ids = []
    if attrs.get("arxiv_id"):
        ids.append(f"arXiv {attrs['arxiv_id']}")
    if attrs.get("doi"):
        ids.append(f"DOI {attrs['doi']}")
    if ids:
        lines.append(" · ".join(ids))
    lines.append(
        f"{counts.get('concepts', 0)} concepts · cites {counts.get('cites', 0)} · "
        f"cited by {counts.get('cited_by', 0)}"
    )
    return lines


def _concept_lines(attrs: Mapping[str, Any], counts: Mapping[str, int]) -> list[str]:
    lines = [clip(attrs.get("name") or attrs.get("id") or "")]
    papers = counts.get("papers", 0)
    lines.append(f"{attrs.get('kind') or 'Concept'} · {papers} paper{'s' if papers != 1 else ''}")
    aliases = [a for a in (attrs.get("aliases") or []) if a != attrs.get("name")]
    if aliases:
        lines.append("Aliases: " + _listing(list(aliases), _MAX_ALIASES))
    return lines


def _repo_lines(attrs: Mapping[str, Any], counts: Mapping[str, int]) -> list[str]:
    name = f"{attrs.get('owner')}/{attrs.get('name')}" if attrs.get("owner") else attrs.get("id")
    lines = [clip(name or ""), f"Code repository · {attrs.get('host') or 'unknown host'}"]
    if attrs.get("url"):
        lines.append(clip(attrs["url"]))
    papers = counts.get("papers", 0)
    lines.append(f"linked from {papers} paper{'s' if papers != 1 else ''}")
    return lines


def node_tooltip(attrs: Mapping[str, Any], counts: Mapping[str, int], note: str | None = None) -> str:
    """Tooltip of one node.

    Parameters
    ----------
    attrs : mapping
        The node's properties (``label``, ``title``/``name`` …).
    counts : mapping
        Degree figures of the node in the whole graph: ``concepts``, ``cites``,
        ``cited_by`` for papers; ``papers`` for concepts and repos.
    note : str, optional
        A line about the node's relation to the view's focus, e.g. the
        evidence sentence for the focal paper.

    Returns
    -------
    str
        Lines joined with ``\\n``: name or title; kind (and year); aliases or
        authors; identifiers and counts; the note.
    """
    label = attrs.get("label")
    if label == Label.CONCEPT.value:
        lines = _concept_lines(attrs, counts)
    elif label == Label.REPO.value:
        lines = _repo_lines(attrs, counts)
    else:
        lines = _paper_lines(attrs, counts)
    if note:
        lines.append(clip(note, 2 * _MAX_FIELD))
    return "\n".join(lines)


def edge_tooltip(rel: str, data: Mapping[str, Any], source_name: str, target_name: str) -> str:
    """Tooltip of one relationship: its type, the two ends and its evidence sentence."""
    verb = {
        Rel.PROPOSES.value: "proposes",
        Rel.USES.value: "uses",
        Rel.HAS_CODE.value: "has code at",
        Rel.CITES.value: "cites",
    }.get(rel, rel.lower())
    lines = [f"{clip(source_name, 90)}", f"{verb} {clip(target_name, 90)}"]
    if data.get("evidence"):
        lines.append(f"Evidence: “{clip(data['evidence'])}”")
    if rel == Rel.CITES.value and data.get("source"):
        source = str(data["source"])
        if source.startswith("inferred:"):
            lines.append(f"Inferred from the mention of {source.removeprefix('inferred:')}")
        else:
            lines.append(f"From {source} references")
    details = []
    if data.get("rule"):
        details.append(f"rule {data['rule']}")
    if isinstance(data.get("confidence"), int | float):
        details.append(f"confidence {float(data['confidence']):.2f}")
    if details:
        lines.append(" · ".join(details))
    return "\n".join(lines)
