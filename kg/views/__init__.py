"""Self-contained HTML views of the paper graph (pyvis / vis-network), safe to open offline.

Four views, each a bounded selection of the graph drawn with seeded positions:

* :func:`render_overview` — top concepts per kind and the papers linking them;
* :func:`render_paper` — one paper's concepts, code, citations and most similar papers;
* :func:`render_concept` — the papers using a concept and the other concepts they share;
* :func:`render_shared` — papers sharing datasets, models, methods or tasks with a paper.

Each ``render_*`` writes one HTML file atomically and returns a
:class:`RenderedView`; the matching ``*_spec`` functions return the selection
(:class:`ViewSpec`) without writing anything.
"""

from __future__ import annotations

from kg.views.concept import concept_spec, render_concept
from kg.views.overview import overview_spec, render_overview
from kg.views.page import RenderedView, render_html, write_view
from kg.views.paper import paper_spec, render_paper
from kg.views.shared import parse_kind, render_shared, shared_spec
from kg.views.spec import DEFAULT_MAX_NODES, ViewError, ViewSpec

__all__ = [
    "DEFAULT_MAX_NODES",
    "RenderedView",
    "ViewError",
    "ViewSpec",
    "concept_spec",
    "overview_spec",
    "paper_spec",
    "parse_kind",
    "render_concept",
    "render_html",
    "render_overview",
    "render_paper",
    "render_shared",
    "shared_spec",
    "write_view",
]
