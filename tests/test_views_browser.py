"""Every view opened offline in Debian's headless Chromium: it draws, asks for nothing, runs no input.

One browser serves the whole module (a few seconds in all). Checks per page: the page's own
"settled" flag, the number of nodes and edges vis-network holds, no script error, no
Content-Security-Policy violation, no request other than the file itself, the document title,
the script payloads from tests/view_graphs.py not fired, and the screenshot's canvas showing the
colour of every node kind in the view (pixels counted with Pillow, legend hidden).
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.browser import Chromium, find_chromium
from benchmarks.view_graphs import synthetic_graph
from kg.views import RenderedView, render_concept, render_overview, render_paper, render_shared
from kg.views.style import NODE_STYLES
from tests.view_graphs import XSS_HREF_TITLE, XSS_TITLE, sample_graph

CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Debian's chromium is not installed (apt-get install chromium): browser checks skipped",
    ),
]

P3, P4 = "arxiv:2401.00003", "arxiv:2401.00004"
SETTLED = "window.kgView && window.kgView.settled && window.kgView"
VIEWS = ["overview", "paper", "concept", "shared", "xss_paper", "big_overview"]
#: Kinds drawn in each view (legend kinds with at least one node).
KINDS = {
    "overview": {"Paper", "Dataset", "Model", "Method", "Task"},
    "paper": {"Paper", "Dataset", "Model", "Method", "Repo"},
    "concept": {"Paper", "Dataset", "Model", "Method"},
    "shared": {"Paper", "Dataset"},
    "xss_paper": {"Paper", "Dataset", "Method"},
    "big_overview": {"Paper", "Dataset", "Model", "Method", "Task"},
}


@pytest.fixture(scope="module")
def browser():
    with Chromium(CHROMIUM) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def views(tmp_path_factory) -> dict[str, RenderedView]:
    out = tmp_path_factory.mktemp("browser-views")
    graph = sample_graph()
    return {
        "overview": render_overview(graph, out / "overview.html"),
        "paper": render_paper(graph, "LoRA-X", out / "paper.html"),
        "concept": render_concept(graph, "ImageNet", out / "concept.html"),
        "shared": render_shared(graph, "arxiv:2401.00002", "dataset", out / "shared.html"),
        "xss_paper": render_paper(graph, P3, out / "xss_paper.html"),
        # Above the physics limit: precomputed positions, physics off from the start.
        "big_overview": render_overview(synthetic_graph(900, 450), out / "big.html", max_nodes=1200),
    }


def open_view(browser: Chromium, path: Path) -> dict:
    browser.open(path)
    return browser.wait_for(SETTLED, timeout=45)


def kind_pixels(png: bytes, box: dict[str, float]) -> Counter[str]:
    """Pixels inside *box* painted exactly in each node kind's colour."""
    from PIL import Image

    colours = {tuple(int(s.colour[i:i + 2], 16) for i in (1, 3, 5)): kind for kind, s in NODE_STYLES.items()}
    image = Image.open(io.BytesIO(png)).convert("RGB")
    region = image.crop((int(box["left"]), int(box["top"]), int(box["right"]), int(box["bottom"])))
    counts: Counter[str] = Counter()
    for count, colour in region.getcolors(maxcolors=1 << 24):
        if colour in colours:
            counts[colours[colour]] += count
    return counts


@pytest.mark.parametrize("name", VIEWS)
def test_view_draws_offline_and_runs_no_input(browser, views, name):
    view = views[name]
    state = open_view(browser, view.path)
    assert (state["nodes"], state["edges"]) == (view.nodes, view.edges)
    assert state["cspViolations"] == []
    assert browser.console_errors() == []
    urls = browser.requested_urls()
    assert urls == [view.path.resolve().as_uri()], urls  # nothing fetched besides the file itself
    assert browser.evaluate("document.title") == view.title
    assert browser.evaluate("typeof window.__xss") == "undefined"
    assert browser.evaluate("document.querySelectorAll('img, a, iframe, object, embed').length") == 0
    assert browser.evaluate("document.documentElement.dataset.kgState") == "settled"

    box = browser.evaluate(
        "(() => { document.querySelector('.kg-legend').style.display = 'none';"
        " const r = document.getElementById('kg-network').getBoundingClientRect();"
        " return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })()"
    )
    counts = kind_pixels(browser.screenshot(), box)
    drawn = {kind for kind, count in counts.items() if count >= 80}  # a node is hundreds; text fringes a few
    assert drawn == KINDS[name], counts


@pytest.mark.parametrize(("node", "payload"), [(P3, XSS_TITLE), (P4, XSS_HREF_TITLE)])
def test_tooltip_shows_hostile_titles_as_text(browser, views, node, payload):
    state = open_view(browser, views["xss_paper"].path)
    assert state["settled"]
    x, y = browser.evaluate(
        f"(() => {{ const id = {node!r}; const p = kgNetwork.canvasToDOM(kgNetwork.getPosition(id));"
        " const r = document.getElementById('kg-network').getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; })()"
    )
    browser.move_mouse(x - 40, y - 40)
    browser.move_mouse(x, y)
    text = browser.wait_for(
        "(() => { const t = document.querySelector('div.vis-tooltip');"
        " return t && getComputedStyle(t).visibility === 'visible' && t.innerText; })()",
        timeout=10,
    )
    assert text.split("\n")[0] == payload
    # innerText turns line breaks into <br>; anything else would be markup taken from the input.
    tags = browser.evaluate("[...document.querySelector('div.vis-tooltip').children].map(c => c.tagName)")
    assert set(tags) <= {"BR"}
    assert browser.evaluate("typeof window.__xss") == "undefined"
    assert browser.evaluate("document.title") == views["xss_paper"].title
    assert browser.evaluate("document.querySelectorAll('img, a, iframe').length") == 0
    assert browser.evaluate("document.scripts.length") == 3


def test_the_checks_catch_the_script_that_pyvis_stock_template_runs(browser, tmp_path):
    """Control: pyvis' own template (href in a title → innerHTML popup) does run the payload here.

    Proves that the request log and the hover-and-check procedure above would notice a CDN
    request and a payload that fires.
    """
    from kg.views import paper_spec
    from kg.views.page import build_network

    graph = sample_graph()
    net, _ = build_network(graph, paper_spec(graph, P3))
    stock = tmp_path / "stock.html"
    stock.write_text(net.generate_html(), encoding="utf-8")
    browser.open(stock)
    browser.wait_for("typeof network === 'object' && document.readyState === 'complete'", timeout=20)
    assert any(url.startswith("https://") for url in browser.requested_urls())  # its CDN links
    x, y = browser.evaluate(
        f"(() => {{ const p = network.canvasToDOM(network.getPosition({P3!r}));"
        " const r = document.getElementById('mynetwork').getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; })()"
    )
    browser.move_mouse(x - 40, y - 40)
    browser.move_mouse(x, y)
    assert browser.wait_for("window.__xss", timeout=10) == 1
    assert browser.evaluate("document.title") == "XSS"
