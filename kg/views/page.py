"""Turn a :class:`~kg.views.spec.ViewSpec` into one self-contained HTML page.

pyvis builds the vis-network node and edge records (:class:`pyvis.network.Network`)
and supplies the vis-network bundle; the page itself comes from our own
template (``templates/view.html.j2``) rather than pyvis' because pyvis'
template links Bootstrap and tom-select from a CDN even with
``cdn_resources="in_line"`` and, as soon as any tooltip contains ``href``,
switches to a popup that assigns tooltips to ``innerHTML``. Our page:

* inlines everything (vis-network JS/CSS, our CSS/JS) and contains no URL;
* carries a Content-Security-Policy that allows no network access at all and
  runs only its own two scripts (by SHA-256), so even injected markup could
  not run script;
* puts the graph data in a ``<script type="application/json">`` block written
  by :func:`~kg.views.escaping.script_json`;
* autoescapes every other input text (title, heading, legend).
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

import kg
from kg.schema import Label, Rel
from kg.views.assets import VIS_NETWORK_VERSION, vis_network_css, vis_network_js
from kg.views.escaping import csp_source_hash, script_json
from kg.views.layout import KEEP_PHYSICS_NODE_LIMIT, network_options, positions
from kg.views.neighbours import ROLE_TYPES, display_name
from kg.views.spec import ViewSpec
from kg.views.style import EDGE_STYLES, KIND_ORDER, NODE_STYLES, node_kind, node_size, short_label
from kg.views.tooltips import edge_tooltip, node_tooltip

__all__ = ["RenderedView", "build_network", "render_html", "write_html", "write_view"]


@dataclass(frozen=True, slots=True)
class RenderedView:
    """What :func:`write_view` wrote."""

    path: Path
    title: str
    nodes: int
    edges: int
    physics: bool
    size_bytes: int


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("kg.views", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


@cache
def _static(name: str) -> str:
    source, _, _ = _environment().loader.get_source(_environment(), name)  # type: ignore[union-attr]
    return source.strip()


def _node_counts(graph: nx.MultiDiGraph, node: str) -> dict[str, int]:
    """Degree figures shown in a tooltip, counted in the whole graph."""
    label = graph.nodes[node].get("label")
    if label == Label.PAPER.value:
        out_types = Counter(rel for _, _, rel in graph.out_edges(node, keys=True))
        cited_by = sum(1 for _, _, rel in graph.in_edges(node, keys=True) if rel == Rel.CITES.value)
        return {
            "concepts": sum(out_types[rel] for rel in ROLE_TYPES),
            "cites": out_types[Rel.CITES.value],
            "cited_by": cited_by,
        }
    linking = ROLE_TYPES | {Rel.HAS_CODE.value}
    papers = {src for src, _, rel in graph.in_edges(node, keys=True) if rel in linking}
    return {"papers": len(papers)}


Edge = tuple[str, str, str, dict[str, Any]]


def _induced_edges(graph: nx.MultiDiGraph, nodes: tuple[str, ...]) -> list[Edge]:
    shown = set(nodes)
    found = [
        (src, dst, rel, data)
        for src in nodes
        for _, dst, rel, data in graph.out_edges(src, keys=True, data=True)
        if dst in shown and dst != src
    ]
    return sorted(found, key=lambda e: (e[0], e[1], e[2]))


def build_network(graph: nx.MultiDiGraph, spec: ViewSpec) -> tuple[Network, list[tuple[str, str, str]]]:
    """The pyvis network of a view: styled nodes at seeded positions, styled edges with tooltips.

    Returns
    -------
    (pyvis.network.Network, list of (str, str, str))
        The network and the ``(source, target, type)`` of its edges in order.
    """
    missing = [node for node in spec.nodes if node not in graph]
    if missing:
        raise KeyError(f"view lists nodes that are not in the graph: {missing[:5]}")
    nodes = tuple(dict.fromkeys(spec.nodes))
    edges = _induced_edges(graph, nodes)
    coords = positions(nodes, [(src, dst) for src, dst, _, _ in edges])
    net = Network(directed=True, heading=spec.title, cdn_resources="in_line")
    for node in nodes:
        attrs = graph.nodes[node]
        style = NODE_STYLES[node_kind(attrs)]
        focus = node in spec.focus
        x, y = coords[node]
        net.add_node(
            node,
            label=short_label(display_name(attrs, node)),
            shape=style.shape,
            color={
                "background": style.colour,
                "border": "#111111" if focus else style.border,
                "highlight": {"background": style.colour, "border": "#111111"},
                "hover": {"background": style.colour, "border": "#111111"},
            },
            borderWidth=3 if focus else 1,
            size=node_size(graph.degree(node), focus=focus),
            title=node_tooltip(attrs, _node_counts(graph, node), spec.notes.get(node)),
            x=x,
            y=y,
            **({"font": {"size": 16, "bold": True}} if focus else {}),
        )
    names = {node: display_name(graph.nodes[node], node) for node in nodes}
    for number, (src, dst, rel, data) in enumerate(edges):
        style = EDGE_STYLES.get(rel, EDGE_STYLES[Rel.USES.value])
        net.add_edge(
            src,
            dst,
            id=f"e{number}",
            color={"color": style.colour, "highlight": "#111111", "hover": "#111111"},
            width=style.width,
            dashes=style.dashes,
            arrows={"to": {"enabled": style.arrow, "scaleFactor": 0.6}},
            title=edge_tooltip(rel, data, names[src], names[dst]),
        )
    return net, [(src, dst, rel) for src, dst, rel, _ in edges]


def _legends(graph: nx.MultiDiGraph, nodes: list[dict[str, Any]], edge_types: list[str]) -> tuple[list, list]:
    kinds = Counter(node_kind(graph.nodes[node["id"]]) for node in nodes)
    node_legend = [
        {"shape": NODE_STYLES[k].shape, "colour": NODE_STYLES[k].colour, "border": NODE_STYLES[k].border,
         "legend": NODE_STYLES[k].legend, "count": kinds.get(k, 0)}
        for k in KIND_ORDER
    ]
    rels = Counter(edge_types)
    edge_legend = [
        {"colour": s.colour, "width": s.width, "dashes": s.dashes, "arrow": s.arrow, "legend": s.legend,
         "count": rels.get(rel, 0)}
        for rel, s in EDGE_STYLES.items()
    ]
    return node_legend, edge_legend


def _render(graph: nx.MultiDiGraph, spec: ViewSpec) -> tuple[str, int, int, bool]:
    net, edge_list = build_network(graph, spec)
    options = network_options(len(net.nodes))
    data = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": options,
        "keepPhysics": len(net.nodes) <= KEEP_PHYSICS_NODE_LIMIT,
        "names": [[node["id"], display_name(graph.nodes[node["id"]], node["id"])] for node in net.nodes],
    }
    node_legend, edge_legend = _legends(graph, net.nodes, [rel for _, _, rel in edge_list])
    vis_js, page_js = vis_network_js(), _static("view.js")
    template = _environment().get_template("view.html.j2")
    html = template.render(
        view_kind=spec.kind,
        title=spec.title,
        description=spec.description,
        version=kg.__version__,
        vis_version=VIS_NETWORK_VERSION,
        script_hashes=Markup(" ".join(csp_source_hash(s) for s in (vis_js, page_js))),
        vis_css=Markup(vis_network_css()),
        page_css=Markup(_static("view.css")),
        vis_js=Markup(vis_js),
        page_js=Markup(page_js),
        data_json=Markup(script_json(data)),
        node_legend=node_legend,
        edge_legend=edge_legend,
    )
    return html, len(net.nodes), len(net.edges), bool(options["physics"]["enabled"])


def render_html(graph: nx.MultiDiGraph, spec: ViewSpec) -> str:
    """The complete HTML page of a view (deterministic: same graph and spec, same bytes)."""
    return _render(graph, spec)[0]


def write_html(path: str | os.PathLike[str], html: str) -> Path:
    """Write *html* to *path* atomically (temporary file in the same directory, then rename)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(html)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_view(graph: nx.MultiDiGraph, spec: ViewSpec, path: str | os.PathLike[str]) -> RenderedView:
    """Render *spec* and write it to *path* atomically.

    Returns
    -------
    RenderedView
        Where the page went, its title, node and edge counts, whether physics runs, its size.
    """
    html, node_count, edge_count, physics = _render(graph, spec)
    target = write_html(path, html)
    return RenderedView(
        path=target,
        title=spec.title,
        nodes=node_count,
        edges=edge_count,
        physics=physics,
        size_bytes=len(html.encode("utf-8")),
    )
