"""What a view shows, independent of how it is drawn."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["DEFAULT_MAX_NODES", "ViewError", "ViewSpec"]

#: Default node budget of every view.
DEFAULT_MAX_NODES = 500


class ViewError(ValueError):
    """A view cannot be made from the graph and the arguments given (the message says why)."""


@dataclass(frozen=True, slots=True)
class ViewSpec:
    """The selection behind one page: which nodes, what to call the page, what to highlight.

    The page shows the subgraph *induced* by :attr:`nodes` (every edge of the
    graph between two shown nodes), so a view is fully described by its node
    list.

    Attributes
    ----------
    kind : str
        ``"overview"``, ``"paper"``, ``"concept"`` or ``"shared"``.
    title : str
        Page ``<title>`` and heading (input text allowed: it is escaped).
    description : str
        One line under the heading saying what is shown and how it was bounded.
    nodes : tuple of str
        Node ids in a deterministic order (first = most important).
    focus : frozenset of str
        Nodes the view is about; drawn larger with a thick border.
    notes : mapping of str to str
        Extra tooltip line per node, e.g. the evidence sentence linking it to the focus.
    """

    kind: str
    title: str
    description: str
    nodes: tuple[str, ...]
    focus: frozenset[str] = frozenset()
    notes: Mapping[str, str] = field(default_factory=dict)
