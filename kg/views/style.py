"""Look of the views: one colour and shape per node kind, sizes by degree, short labels.

The palette is Okabe–Ito (distinguishable with the common colour-vision
deficiencies) and every kind also has its own shape, so the legend works in
grey scale too. Shapes are vis-network shapes that draw their label *under*
the node, so ``size`` applies to all of them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from kg.schema import ConceptKind, Label, Rel

__all__ = [
    "EDGE_STYLES",
    "KIND_ORDER",
    "NODE_STYLES",
    "EdgeStyle",
    "NodeStyle",
    "node_kind",
    "node_size",
    "short_label",
]


@dataclass(frozen=True, slots=True)
class NodeStyle:
    """How nodes of one kind are drawn, and how the legend names them."""

    colour: str
    border: str
    shape: str
    legend: str


@dataclass(frozen=True, slots=True)
class EdgeStyle:
    """How relationships of one type are drawn."""

    colour: str
    width: float
    dashes: bool
    arrow: bool
    legend: str


#: Node kinds in legend order: the Paper label, the four concept kinds, the Repo label.
KIND_ORDER: Final[tuple[str, ...]] = (
    Label.PAPER.value,
    ConceptKind.DATASET.value,
    ConceptKind.MODEL.value,
    ConceptKind.METHOD.value,
    ConceptKind.TASK.value,
    Label.REPO.value,
)

NODE_STYLES: Final[Mapping[str, NodeStyle]] = {
    Label.PAPER.value: NodeStyle("#0072B2", "#004B75", "dot", "Paper"),
    ConceptKind.DATASET.value: NodeStyle("#E69F00", "#9A6A00", "square", "Dataset / benchmark"),
    ConceptKind.MODEL.value: NodeStyle("#CC79A7", "#8C4B72", "diamond", "Model"),
    ConceptKind.METHOD.value: NodeStyle("#009E73", "#006B4E", "triangle", "Method"),
    ConceptKind.TASK.value: NodeStyle("#D55E00", "#8F3F00", "star", "Task"),
    Label.REPO.value: NodeStyle("#6B6B6B", "#3D3D3D", "hexagon", "Code repository"),
}

EDGE_STYLES: Final[Mapping[str, EdgeStyle]] = {
    Rel.PROPOSES.value: EdgeStyle("#4D4D4D", 2.0, False, False, "proposes"),
    Rel.USES.value: EdgeStyle("#B0B0B0", 1.0, False, False, "uses"),
    Rel.HAS_CODE.value: EdgeStyle("#6B6B6B", 1.0, True, False, "has code"),
    Rel.CITES.value: EdgeStyle("#0072B2", 1.5, True, True, "cites"),
}

_MIN_SIZE: Final = 10.0
_MAX_SIZE: Final = 42.0


def node_kind(attrs: Mapping[str, Any]) -> str:
    """The legend kind of a node: ``"Paper"``, ``"Repo"`` or the Concept's ``kind``.

    A Concept without a recognised kind falls back to ``"Method"`` styling
    rather than failing: views must draw whatever graph they are given.
    """
    label = attrs.get("label")
    if label == Label.CONCEPT.value:
        kind = str(attrs.get("kind") or "")
        return kind if kind in NODE_STYLES else ConceptKind.METHOD.value
    if label == Label.REPO.value:
        return Label.REPO.value
    return Label.PAPER.value


def node_size(degree: int, *, focus: bool = False) -> float:
    """Node radius in pixels, growing with the logarithm of the degree.

    Logarithmic so that a concept used by 300 papers is bigger than one used
    by 3 without drowning its neighbours; focus nodes get a fixed bonus.
    """
    size = _MIN_SIZE + 5.0 * math.log2(1 + max(degree, 0))
    size = min(size, _MAX_SIZE)
    return round(size + (10.0 if focus else 0.0), 1)


def short_label(text: str, limit: int = 36) -> str:
    """One-line label of at most *limit* characters, cut at a word boundary with an ellipsis.

    Examples
    --------
    >>> short_label("Attention Is All You Need", 14)
    'Attention Is…'
    """
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-–—") + "…"
