"""The hand-built sample graph of the view tests, script payloads in its text (builders: benchmarks/)."""

from __future__ import annotations

import networkx as nx

from benchmarks.view_graphs import add_concept, add_paper, cite, link
from kg.schema import ConceptKind, Label, Rel, repo_id

#: Script payloads placed in titles, names, aliases and evidence. Each one, if it ever ran, would
#: change ``document.title`` to "XSS" or set ``window.__xss``; the tests check that neither happens.
XSS_TITLE = "<img src=x onerror=\"document.title='XSS';window.__xss=1\">"
XSS_HREF_TITLE = 'See <a href="javascript:window.__xss=1">href</a><script>window.__xss=2</script>'
XSS_CONCEPT = "</script><script>window.__xss=3</script><!--"
XSS_EVIDENCE = "We use </script><img src=x onerror=window.__xss=4> and <!-- on https://evil.example/x.js"


def sample_graph() -> nx.MultiDiGraph:
    """Eight papers, nine concepts of all kinds, a repo, citations — and hostile text everywhere."""
    g = nx.MultiDiGraph()
    p1 = add_paper(g, "arxiv:2401.00001", "LoRA-X: Low-Rank Adaptation for Vision Transformers on ImageNet",
                   arxiv_id="2401.00001", authors=["Ada Lovelace", "Alan Turing"])
    p2 = add_paper(g, "arxiv:2401.00002", "Robust Fine-Tuning under Distribution Shift", year=2023)
    p3 = add_paper(g, "arxiv:2401.00003", XSS_TITLE)
    p4 = add_paper(g, "arxiv:2401.00004", XSS_HREF_TITLE)
    p5 = add_paper(g, "title:00000000000000a5", "Benchmarking CLIP on Waterbirds and ImageNet-C", year=None)
    p6 = add_paper(g, "arxiv:2401.00006", "Chain-of-Thought Prompting Elicits Reasoning in GPT-4")
    p7 = add_paper(g, "arxiv:2401.00007", "A Survey of Parameter-Efficient Fine-Tuning Methods", year=2022)
    p8 = add_paper(g, "arxiv:2401.00008", "Isolated Paper Without Concepts")
    imagenet = add_concept(g, ConceptKind.DATASET, "ImageNet", ["ImageNet-1k", "ILSVRC"])
    imagenet_c = add_concept(g, ConceptKind.DATASET, "ImageNet-C")
    waterbirds = add_concept(g, ConceptKind.DATASET, "Waterbirds")
    clip = add_concept(g, ConceptKind.MODEL, "CLIP", ["Contrastive Language-Image Pre-training"])
    gpt4 = add_concept(g, ConceptKind.MODEL, "GPT-4", ["GPT4"])
    lora = add_concept(g, ConceptKind.METHOD, "LoRA", ["Low-Rank Adaptation"])
    evil = add_concept(g, ConceptKind.METHOD, XSS_CONCEPT, [XSS_TITLE])
    cot = add_concept(g, ConceptKind.METHOD, "chain-of-thought prompting")
    dg = add_concept(g, ConceptKind.TASK, "domain generalization")
    link(g, p1, lora, Rel.PROPOSES, "We propose LoRA-X, extending LoRA to ViTs.")
    link(g, p1, imagenet, evidence="We evaluate on ImageNet.")
    link(g, p1, clip)
    link(g, p2, imagenet)
    link(g, p2, imagenet_c)
    link(g, p2, waterbirds)
    link(g, p2, dg)
    link(g, p2, lora)
    link(g, p3, imagenet, evidence=XSS_EVIDENCE)
    link(g, p3, evil, evidence=XSS_EVIDENCE)
    link(g, p3, lora)
    link(g, p4, imagenet)
    link(g, p4, evil)
    link(g, p4, clip)
    link(g, p5, clip)
    link(g, p5, waterbirds)
    link(g, p5, imagenet_c)
    link(g, p5, imagenet)
    link(g, p6, gpt4)
    link(g, p6, cot, Rel.PROPOSES)
    link(g, p7, lora)
    link(g, p7, gpt4)
    link(g, p7, dg)
    rid = repo_id("github.com", "example", "lora-x")
    g.add_node(rid, label=Label.REPO.value, id=rid, url="https://github.com/example/lora-x",
               host="github.com", owner="example", name="lora-x")
    g.add_edge(p1, rid, key=Rel.HAS_CODE.value, type=Rel.HAS_CODE.value,
               evidence="Code: https://github.com/example/lora-x.", field="abstract", start=6, end=40)
    cite(g, p2, p1)
    cite(g, p3, p1)
    cite(g, p1, p7)
    cite(g, p5, p2)
    del p8
    return g
