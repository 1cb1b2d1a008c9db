"""The HTML views, checked on the generated page: selection, bounds, look, offline-ness and escaping.

Browser checks (drawing, tooltips, scripts not firing) live in test_views_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchmarks.view_graphs import add_concept, add_paper, link, synthetic_graph
from kg.cli import app
from kg.graph import AmbiguousNameError, NameNotFoundError, save_graph
from kg.schema import ConceptKind
from kg.views import (
    ViewError,
    concept_spec,
    overview_spec,
    paper_spec,
    render_concept,
    render_html,
    render_overview,
    render_paper,
    render_shared,
    shared_spec,
)
from kg.views.escaping import script_json
from kg.views.layout import PHYSICS_NODE_LIMIT, network_options, positions
from kg.views.style import short_label
from tests.view_graphs import XSS_CONCEPT, XSS_EVIDENCE, XSS_HREF_TITLE, XSS_TITLE, sample_graph

P1, P2, P3, P4, P5, P6, P7 = (
    "arxiv:2401.00001", "arxiv:2401.00002", "arxiv:2401.00003", "arxiv:2401.00004",
    "title:00000000000000a5", "arxiv:2401.00006", "arxiv:2401.00007",
)
IMAGENET, IMAGENET_C = "concept:dataset:imagenet", "concept:dataset:imagenet-c"
WATERBIRDS = "concept:dataset:waterbirds"
CLIP, GPT4, LORA = "concept:model:clip", "concept:model:gpt-4", "concept:method:lora"
COT = "concept:method:chain-of-thought-prompting"
EVIL, DG = "concept:method:script-script-window.-xss-3-script", "concept:task:domain-generalization"
REPO = "repo:github.com/example/lora-x"

DATA_RE = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)
INLINE_SCRIPT_RE = re.compile(r"<script>(.*?)</script>", re.S)


@pytest.fixture(scope="module")
def graph():
    return sample_graph()


@pytest.fixture(scope="module")
def pages(graph, tmp_path_factory) -> dict[str, str]:
    """The four views of the sample graph, written through the public render_* functions."""
    out = tmp_path_factory.mktemp("views")
    render_overview(graph, out / "overview.html")
    render_paper(graph, P3, out / "paper.html")  # the paper whose title is a script payload
    render_concept(graph, "ImageNet", out / "concept.html")
    render_shared(graph, P2, "dataset", out / "shared.html")
    return {name: (out / f"{name}.html").read_text(encoding="utf-8") for name in ("overview", "paper",
                                                                                   "concept", "shared")}


#: Every element the page template uses; input text must never add another.
PAGE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "div", "input", "datalist",
    "button", "span", "main", "aside", "ul", "li", "svg", "circle", "rect", "polygon", "line", "script",
}


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def parse_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Start tags and attributes as an HTML parser sees them (script/style bodies are raw text)."""
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


def view_data(html: str) -> dict:
    match = DATA_RE.search(html)
    assert match, "no kg-data block"
    return json.loads(match.group(1))


# --- selection ------------------------------------------------------------------------------------------


def test_overview_selects_linked_concepts_and_papers(graph):
    spec = overview_spec(graph)
    assert set(spec.nodes) == {IMAGENET, IMAGENET_C, WATERBIRDS, CLIP, GPT4, LORA, COT, EVIL, DG,
                               P1, P2, P3, P4, P5, P6, P7}  # the paper without concepts is left out
    assert spec.nodes[0] == IMAGENET  # most-used concept first
    assert spec.description.startswith(
        "7 of 8 papers and 9 of 9 concepts (3 datasets, 2 models, 3 methods, 1 task)"
    )


def test_overview_is_bounded_and_keeps_every_kind():
    big = synthetic_graph(600, 300)
    for budget in (30, 120, 500):
        spec = overview_spec(big, budget)
        assert len(spec.nodes) <= budget
        kinds = {big.nodes[n].get("kind") for n in spec.nodes if big.nodes[n]["label"] == "Concept"}
        assert kinds == {k.value for k in ConceptKind}
        shown = set(spec.nodes)
        for node in spec.nodes:  # no concept is drawn without one of its papers
            if big.nodes[node]["label"] == "Concept":
                assert any(src in shown for src, _ in big.in_edges(node))


def test_overview_rejects_a_budget_below_two(graph):
    with pytest.raises(ViewError, match="at least 2"):
        overview_spec(graph, 1)


def test_paper_view_has_concepts_code_citations_and_similar_papers(graph):
    spec = paper_spec(graph, "LoRA-X")
    assert spec.nodes == (P1, IMAGENET, LORA, CLIP, REPO, P7, P2, P3, P4, P5)
    assert spec.focus == frozenset({P1})
    assert spec.notes[IMAGENET] == "Used by this paper: “We evaluate on ImageNet.”"
    assert spec.notes[LORA] == "Proposed by this paper: “We propose LoRA-X, extending LoRA to ViTs.”"
    assert spec.notes[P7] == "Cited by this paper\nShares 1 concept with this paper: LoRA"
    assert spec.notes[P2] == "Cites this paper\nShares 2 concepts with this paper: ImageNet, LoRA"
    assert spec.title == "Paper: LoRA-X: Low-Rank Adaptation for Vision Transformers on ImageNet"


def test_paper_view_respects_the_budget(graph):
    assert paper_spec(graph, P1, max_nodes=4).nodes == (P1, IMAGENET, LORA, CLIP)


def test_concept_view_has_its_papers_and_the_concepts_they_share(graph):
    spec = concept_spec(graph, "imagenet-1k")  # an alias, any case
    assert spec.nodes[0] == IMAGENET
    assert set(spec.nodes[1:6]) == {P1, P2, P3, P4, P5}
    assert spec.nodes[6:] == (LORA, CLIP, IMAGENET_C, WATERBIRDS, EVIL)  # shared by >= 2 of them, most first
    assert spec.notes[P1] == "Uses ImageNet: “We evaluate on ImageNet.”"
    assert spec.title == "Dataset: ImageNet"


def test_shared_view_ranks_papers_by_shared_concepts(graph):
    spec = shared_spec(graph, P2, "Datasets")
    assert spec.nodes == (P2, IMAGENET, IMAGENET_C, WATERBIRDS, P5, P1, P3, P4)
    assert spec.notes[P5] == "Shares 3 datasets: ImageNet, ImageNet-C, Waterbirds"
    assert spec.notes[P1] == "Shares 1 dataset: ImageNet"
    assert spec.title == "Papers sharing datasets with: Robust Fine-Tuning under Distribution Shift"


def test_shared_view_errors(graph):
    with pytest.raises(ViewError, match="has no datasets"):
        shared_spec(graph, P6, "dataset")
    with pytest.raises(ViewError, match="unknown concept kind 'benchmark'; expected one of dataset, model"):
        shared_spec(graph, P2, "benchmark")


def test_ambiguous_and_unknown_names_list_candidates(graph):
    with pytest.raises(AmbiguousNameError) as info:
        concept_spec(graph, "Image")
    assert info.value.candidates == [IMAGENET, IMAGENET_C]
    assert "concept:dataset:imagenet 'ImageNet' (Dataset)" in str(info.value)
    with pytest.raises(NameNotFoundError, match="no paper matches 'Nope'"):
        paper_spec(graph, "Nope")


# --- the page ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["overview", "paper", "concept", "shared"])
def test_page_has_no_external_reference(pages, name):
    html = pages[name]
    assert "http://" not in html and "https://" not in html and "://" not in html
    tags = parse_tags(html)
    assert {tag for tag, _ in tags} <= PAGE_TAGS  # no link, img, iframe, a, form, base …
    attributes = {name for _, attrs in tags for name, _ in attrs}
    assert not attributes & {"src", "href", "action", "srcset", "formaction", "xlink:href", "style"}
    assert not any(name.startswith("on") for name in attributes)
    assert not re.search(r"(?i)@import", html)
    assert all(url.strip("'\"").startswith("data:") for url in re.findall(r"url\(([^)]*)\)", html))


@pytest.mark.parametrize("name", ["overview", "paper", "concept", "shared"])
def test_page_allows_only_its_own_scripts_and_no_network(pages, name):
    html = pages[name]
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'none'"
    scripts = INLINE_SCRIPT_RE.findall(html)
    assert len(scripts) == 2  # vis-network and the page script; the data block is not executable
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts
    }
    assert set(directives["script-src"].split()) == hashes
    assert "unsafe" not in directives["script-src"]


@pytest.mark.parametrize("name", ["overview", "paper", "concept", "shared"])
def test_input_text_never_appears_as_markup(pages, name):
    html = pages[name]
    for payload in (XSS_TITLE, XSS_HREF_TITLE, XSS_CONCEPT, XSS_EVIDENCE):
        assert payload not in html
    assert "<img" not in html.lower() and "<a " not in html.lower()
    assert "<!--" not in html
    assert html.lower().count("</script") == 3  # data block + two scripts, nothing from input
    page_script = INLINE_SCRIPT_RE.findall(html)[1]
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", page_script)


def test_payloads_reach_the_page_as_plain_text(pages):
    data = view_data(pages["paper"])
    by_id = {node["id"]: node for node in data["nodes"]}
    assert by_id[P3]["title"].startswith(XSS_TITLE + "\nPaper · 2024\n")
    assert by_id[P3]["label"] == short_label(XSS_TITLE)
    assert by_id[EVIL]["title"].startswith(XSS_CONCEPT + "\nMethod · 2 papers\nAliases: " + XSS_TITLE)
    assert by_id[EVIL]["title"].endswith("Used by this paper: “" + XSS_EVIDENCE + "”")
    assert "href" in by_id[P4]["title"]  # the text that makes pyvis' own template switch to innerHTML
    html = pages["paper"]
    escaped = "&lt;img src=x onerror=&#34;document.title=&#39;XSS&#39;;window.__xss=1&#34;&gt;"
    assert f"<title>Paper: {escaped}</title>" in html
    assert "<h1>Paper: &lt;img src=x onerror=" in html


def test_legend_heading_and_title(pages):
    html = pages["shared"]
    assert "<title>Papers sharing datasets with: Robust Fine-Tuning under Distribution Shift</title>" in html
    assert "<h1>Papers sharing datasets with: Robust Fine-Tuning under Distribution Shift</h1>" in html
    legend = re.search(r'<aside class="kg-legend".*?</aside>', html, re.S).group(0)
    counts = dict(re.findall(r"<span>([^<]+)</span> <span class=\"kg-count\">(\d+)</span>", legend))
    assert counts == {"Paper": "5", "Dataset / benchmark": "3", "Model": "0", "Method": "0", "Task": "0",
                      "Code repository": "0", "proposes": "0", "uses": "9", "has code": "0", "cites": "3"}


def test_nodes_are_styled_by_kind_and_sized_by_degree(pages, graph):
    data = view_data(pages["overview"])
    by_id = {node["id"]: node for node in data["nodes"]}
    assert by_id[IMAGENET]["shape"] == "square" and by_id[IMAGENET]["color"]["background"] == "#E69F00"
    assert by_id[CLIP]["shape"] == "diamond"
    assert by_id[LORA]["shape"] == "triangle"
    assert by_id[DG]["shape"] == "star"
    assert by_id[P1]["shape"] == "dot"
    assert by_id[IMAGENET]["size"] > by_id[COT]["size"]  # 5 papers vs 1
    assert len(data["nodes"]) == 16
    assert {(e["from"], e["to"]) for e in data["edges"]} == {
        (u, v) for u, v in graph.subgraph(by_id).edges()
    }
    cites = [e for e in data["edges"] if e["dashes"] and e["arrows"]["to"]["enabled"]]
    assert len(cites) == 4


def test_edge_tooltip_has_the_evidence(pages):
    data = view_data(pages["concept"])
    edge = next(e for e in data["edges"] if e["from"] == P1 and e["to"] == IMAGENET)
    assert edge["title"] == (
        "LoRA-X: Low-Rank Adaptation for Vision Transformers on ImageNet\nuses ImageNet\n"
        "Evidence: “We evaluate on ImageNet.”\nrule gazetteer · confidence 0.90"
    )


def test_pages_are_deterministic(graph):
    first = render_html(graph, overview_spec(graph))
    second = render_html(sample_graph(), overview_spec(sample_graph()))
    assert first == second
    assert positions(["a", "b", "c"], [("a", "b"), ("b", "c")]) == positions(
        ["a", "b", "c"], [("a", "b"), ("b", "c")]
    )


def test_physics_is_bounded_and_off_for_big_views():
    small, large = network_options(200), network_options(PHYSICS_NODE_LIMIT)
    huge = network_options(PHYSICS_NODE_LIMIT + 1)
    assert small["physics"]["enabled"] and small["physics"]["stabilization"]["iterations"] == 250
    assert large["physics"]["enabled"] and large["physics"]["stabilization"]["iterations"] == 50
    assert not huge["physics"]["enabled"] and not huge["physics"]["stabilization"]["enabled"]
    assert small["layout"]["improvedLayout"] is False


def test_big_view_has_precomputed_positions_and_no_physics(tmp_path):
    big = synthetic_graph(900, 450)
    result = render_overview(big, tmp_path / "big.html", max_nodes=1200)
    assert PHYSICS_NODE_LIMIT < result.nodes <= 1200 and not result.physics
    data = view_data((tmp_path / "big.html").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == result.nodes
    xs = {round(node["x"]) for node in data["nodes"]}
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in data["nodes"])
    assert len(xs) > 600  # spread out, not stacked
    assert data["options"]["physics"]["enabled"] is False


def test_write_is_atomic_and_leaves_no_temporary_file(graph, tmp_path):
    target = tmp_path / "view.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(NameNotFoundError):
        render_paper(graph, "no such paper", target)
    assert target.read_text(encoding="utf-8") == "old"
    render_paper(graph, P1, target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["view.html"]


def test_empty_and_isolated_graphs_still_render(tmp_path):
    import networkx as nx

    g = nx.MultiDiGraph()
    assert render_overview(g, tmp_path / "empty.html").nodes == 0
    add_paper(g, "arxiv:1", "Only paper")
    concept = add_concept(g, ConceptKind.TASK, "only task")
    link(g, "arxiv:1", concept)
    result = render_concept(g, "only task", tmp_path / "one.html")
    assert (result.nodes, result.edges) == (2, 1)


@given(st.recursive(st.text() | st.integers() | st.booleans() | st.none(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=20))
def test_script_json_round_trips_and_cannot_close_a_script(value):
    text = script_json(value)
    assert json.loads(text) == value
    for forbidden in ("<", ">", "&", "'", "\u2028", "\u2029"):
        assert forbidden not in text
    assert "//" not in text


def test_script_json_escapes_script_breakers():
    assert script_json("</script><!-- a//b") == '"\\u003c\\/script\\u003e\\u003c!-- a\\/\\/b"'


def test_short_label_cuts_at_a_word_boundary():
    assert short_label("Attention Is All You Need", 14) == "Attention Is…"
    assert short_label("Attention Is All You Need", 12) == "Attention…"
    assert short_label("  spaced\n  out  ") == "spaced out"
    assert short_label("x" * 50, 10) == "x" * 9 + "…"


# --- command line ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("graph")
    save_graph(sample_graph(), directory)
    return directory


def run(*args: str):
    return CliRunner().invoke(app, ["view", *args])


def test_cli_writes_the_overview_by_default(graph_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("-g", str(graph_dir))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "overview.html").is_file()
    assert "Wrote overview.html: Paper graph overview" in result.output
    assert "16 nodes, 27 links" in result.output


@pytest.mark.parametrize(
    ("args", "name", "title"),
    [
        (["--paper", "lora-x: low-rank"], "paper-arxiv-2401.00001.html", "<title>Paper: LoRA-X"),
        (["--concept", "ILSVRC"], "concept-dataset-imagenet.html", "<title>Dataset: ImageNet</title>"),
        (["--shared-with", P2, "--kind", "dataset"], "shared-dataset-arxiv-2401.00002.html",
         "<title>Papers sharing datasets with: Robust"),
    ],
)
def test_cli_views_get_sensible_default_names(graph_dir, tmp_path, monkeypatch, args, name, title):
    monkeypatch.chdir(tmp_path)
    result = run("-g", str(graph_dir), *args)
    assert result.exit_code == 0, result.output
    assert title in (tmp_path / name).read_text(encoding="utf-8")


def test_cli_output_and_max_nodes(graph_dir, tmp_path):
    target = tmp_path / "out" / "small.html"
    result = run("-g", str(graph_dir), "--max-nodes", "6", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert len(view_data(target.read_text(encoding="utf-8"))["nodes"]) <= 6


def test_cli_ambiguous_name_lists_candidates(graph_dir, tmp_path):
    result = run("-g", str(graph_dir), "--concept", "image", "-o", str(tmp_path / "x.html"))
    output = " ".join(result.output.split())
    assert result.exit_code == 1
    assert "concept 'image' is ambiguous (2 matches)" in output
    assert "concept:dataset:imagenet 'ImageNet' (Dataset)" in output
    assert "concept:dataset:imagenet-c 'ImageNet-C' (Dataset)" in output
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--paper", "Nope"], 1, "no paper matches 'Nope'"),
        (["--paper", P1, "--concept", "LoRA"], 2, "use only one of --paper, --concept and --shared-with"),
        (["--shared-with", P1], 2, "--shared-with needs --kind"),
        (["--kind", "task"], 2, "--kind only applies to --shared-with"),
        (["--shared-with", P6, "--kind", "dataset"], 1, "has no datasets in the graph"),
    ],
)
def test_cli_errors(graph_dir, tmp_path, args, code, message):
    result = run("-g", str(graph_dir), *args, "-o", str(tmp_path / "x.html"))
    assert result.exit_code == code
    assert message in " ".join(result.output.split())


def test_cli_missing_graph_names_the_file(tmp_path):
    result = run("-g", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert str(tmp_path / "nowhere") in "".join(result.output.split())
