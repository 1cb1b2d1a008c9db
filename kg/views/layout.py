"""Deterministic node positions and the physics settings that go with them.

Measured with vis-network 9.1.2 in headless Chromium: 1k nodes with default
physics take ~70 s to settle and 5k never do, while 5k nodes with precomputed
positions and physics off draw in a few seconds. So every view gets positions
computed here, in Python, from a fixed seed:

* igraph's Fruchterman–Reingold (C, with its grid approximation above
  300 nodes: 5k nodes in well under a second), started from seeded random
  positions, so the same graph always gets the same picture;
* up to :data:`PHYSICS_NODE_LIMIT` nodes the browser then runs a short,
  bounded Barnes–Hut stabilisation from those positions (nodes stay
  draggable and the layout untangles labels), and switches physics off once
  stabilised for bigger views;
* above the limit physics is off from the start: the page draws at once.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

import igraph
import numpy as np

__all__ = ["DEFAULT_SEED", "KEEP_PHYSICS_NODE_LIMIT", "PHYSICS_NODE_LIMIT", "network_options", "positions"]

#: Views with more nodes than this are drawn with physics off from the start.
PHYSICS_NODE_LIMIT: Final = 1000
#: Views up to this size keep physics running after stabilisation (dragging moves neighbours).
KEEP_PHYSICS_NODE_LIMIT: Final = 150
#: Default seed: the layout is a function of the graph alone.
DEFAULT_SEED: Final = 20240601

#: Above this many nodes igraph's grid variant is used: 1k nodes in 0.16 s instead of 1.5 s here.
_GRID_NODE_LIMIT: Final = 300
_SPACING: Final = 85.0  # pixels of canvas per node along one axis, roughly
#: Stabilisation work budget: iterations × nodes. Barnes–Hut costs about n·log n per iteration, so a
#: fixed budget keeps the time to a settled picture roughly constant (~2 s at 1k nodes, measured).
_STABILIZATION_BUDGET: Final = 50_000
_STABILIZATION_RANGE: Final = (40, 250)


@contextmanager
def _igraph_rng(seed: int) -> Iterator[None]:
    """Make igraph draw from a seeded generator, then restore its default (the :mod:`random` module)."""
    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def positions(
    node_ids: Sequence[str], edges: Sequence[tuple[str, str]], *, seed: int = DEFAULT_SEED
) -> dict[str, tuple[float, float]]:
    """Seeded Fruchterman–Reingold positions in canvas pixels, centred on the origin.

    Parameters
    ----------
    node_ids : sequence of str
        Nodes in a deterministic order (the order decides the starting positions).
    edges : sequence of (str, str)
        Edges between those nodes; direction and multiplicity are ignored.
    seed : int
        Seed of the starting positions and of igraph's generator.

    Returns
    -------
    dict
        ``{node id: (x, y)}`` with coordinates rounded to 0.1 px, scaled so
        that each node has about ``85 × 85`` px of canvas.
    """
    count = len(node_ids)
    if count == 0:
        return {}
    if count == 1:
        return {node_ids[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(node_ids)}
    pairs = sorted({tuple(sorted((index[a], index[b]))) for a, b in edges if a != b})
    graph = igraph.Graph(n=count, edges=pairs)
    start = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(count, 2)) * np.sqrt(count)
    with _igraph_rng(seed):
        layout = graph.layout_fruchterman_reingold(
            seed=start.tolist(), niter=500, grid=count > _GRID_NODE_LIMIT
        )
    coords = np.asarray(layout.coords, dtype=float)
    coords -= coords.mean(axis=0)
    extent = float(np.sqrt(np.prod(np.ptp(coords, axis=0) + 1e-9)))
    scale = _SPACING * np.sqrt(count) / extent if extent > 0 else 1.0
    coords *= scale
    return {
        node: (round(float(x), 1), round(float(y), 1))
        for node, (x, y) in zip(node_ids, coords, strict=True)
    }


def network_options(node_count: int) -> dict[str, Any]:
    """vis-network options for a view of *node_count* nodes.

    Physics (Barnes–Hut, stabilisation bounded to between 40 and 250
    iterations, fewer for bigger views) only up to :data:`PHYSICS_NODE_LIMIT` nodes;
    curved edges only for small views, where they help and cost little; hover tooltips everywhere.
    """
    physics = node_count <= PHYSICS_NODE_LIMIT
    small = node_count <= 300
    low, high = _STABILIZATION_RANGE
    iterations = min(high, max(low, _STABILIZATION_BUDGET // max(node_count, 1)))
    return {
        "autoResize": True,
        "layout": {"randomSeed": DEFAULT_SEED, "improvedLayout": False},
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 13, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"label": {"enabled": False}},
        },
        "edges": {
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3} if small else False,
            "selectionWidth": 2,
            "hoverWidth": 1.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": not small,
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "multiselect": False,
        },
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -4000,
                "centralGravity": 0.15,
                "springLength": 110,
                "springConstant": 0.03,
                "damping": 0.5,
                "avoidOverlap": 0.2,
            },
            "maxVelocity": 40,
            "minVelocity": 1.0,
            "timestep": 0.4,
            "adaptiveTimestep": True,
            "stabilization": {
                "enabled": physics,
                "iterations": iterations,
                "updateInterval": 25,
                "fit": True,
            },
        },
    }
