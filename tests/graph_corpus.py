"""A small hand-built corpus with hand-written extractions, for the graph tests.

Spans and sentences are computed from the real text, so the entities look
exactly like the extractor's output.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from extractors.types import Entity, Mention, PaperConcepts
from kg.records import Paper
from kg.schema import concept_id, repo_id

INSERT = Paper.create(
    "InsertNeRF: Instilling Generalizability into NeRF with HyperNet Modules",
    "We present InsertNeRF, a method for generalizable neural radiance fields. "
    "It is evaluated on LLFF. Code is at https://github.com/bbbbby-99/InsertNeRF.",
    year=2023,
    arxiv_id="2301.00001",
    authors=["Yanqi Bao", "Tianyu Ding"],
    url="https://arxiv.org/abs/2301.00001",
    source="corpus.jsonl:1",
)
EDIT = Paper.create(
    "Editing Scenes with Language",
    "We build on InsertNeRF (Lee et al., 2023) and CLIP to edit scenes. "
    "Results on LLFF improve over prior work.",
    year=2024,
    arxiv_id="2402.00002",
    references=["arxiv:9999.99999", "A Paper Nobody Has", INSERT.title],
    source="corpus.jsonl:2",
)
BIRDS = Paper.create(
    "A Study of Waterbirds",
    "We study spurious features on Waterbirds with CLIP (Smith and Jones, 2020; Kim, 2019). "
    "InsertNeRF is unrelated.",
    year=2022,
    references=["https://arxiv.org/abs/2402.00002v2"],
    source="corpus.jsonl:3",
)
SCALE = Paper.create(
    "FooNet: Scaling Vision Models",
    "We introduce FooNet. Unlike InsertNeRF, FooNet scales to Waterbirds.",
    doi="10.1000/XYZ.1",
    source="corpus.jsonl:4",
)
OTHER = Paper.create(
    "FooNet: Another Network of the Same Name",
    "We propose FooNet, trained with CLIP features.",
    source="corpus.jsonl:5",
)
PAPERS = [INSERT, EDIT, BIRDS, SCALE, OTHER]


def entity(
    paper: Paper,
    etype: str,
    name: str,
    role: str,
    text: str | None = None,
    *,
    field: str = "abstract",
    aliases: tuple[str, ...] = (),
    rule: str = "gazetteer",
    confidence: float = 0.9,
    occurrences: int = 1,
) -> Entity:
    """An entity for the first *occurrences* occurrences of *text* (default: *name*) in *paper*."""
    text = text or name
    source = getattr(paper, field)
    mentions = []
    start = -1
    for _ in range(occurrences):
        start = source.index(text, start + 1)
        sentence_start = max(source.rfind(". ", 0, start) + 2, 0) if ". " in source[:start] else 0
        sentence_end = source.find(". ", start)
        sentence = source[sentence_start : sentence_end + 1 if sentence_end >= 0 else len(source)]
        mentions.append(
            Mention(etype, text, start, start + len(text), field, sentence, rule, confidence)  # type: ignore[arg-type]
        )
    best = mentions[0]
    cid = repo_id(*name.split("/")[-3:]) if etype == "REPO" else concept_id(etype.capitalize(), name)
    return Entity(
        type=etype,  # type: ignore[arg-type]
        name=name,
        concept_id=cid,
        aliases=list(aliases),
        text=best.text,
        start=best.start,
        end=best.end,
        field=field,  # type: ignore[arg-type]
        sentence=best.sentence,
        rule=rule,
        confidence=confidence,
        role=role,  # type: ignore[arg-type]
        mentions=mentions,
    )


def extractions() -> list[PaperConcepts]:
    """The hand-written extraction of :data:`PAPERS`."""
    return [
        PaperConcepts(INSERT.id, INSERT.title, [
            entity(INSERT, "METHOD", "InsertNeRF", "PROPOSES", field="title", rule="title_prefix",
                   confidence=0.95),
            entity(INSERT, "DATASET", "LLFF", "USES"),
            entity(INSERT, "REPO", "https://github.com/bbbbby-99/InsertNeRF", "USES",
                   "https://github.com/bbbbby-99/InsertNeRF", rule="url", confidence=1.0),
        ]),
        PaperConcepts(EDIT.id, EDIT.title, [
            entity(EDIT, "METHOD", "InsertNeRF", "USES"),
            entity(EDIT, "MODEL", "CLIP", "USES", aliases=("Contrastive Language-Image Pre-training",)),
            entity(EDIT, "DATASET", "LLFF", "USES"),
        ]),
        PaperConcepts(BIRDS.id, BIRDS.title, [
            entity(BIRDS, "DATASET", "Waterbirds", "USES", confidence=0.8),
            entity(BIRDS, "MODEL", "CLIP", "USES"),
        ]),
        PaperConcepts(SCALE.id, SCALE.title, [
            entity(SCALE, "MODEL", "FooNet", "PROPOSES", field="title", rule="title_prefix"),
            entity(SCALE, "DATASET", "Waterbirds", "USES"),
        ]),
        PaperConcepts(OTHER.id, OTHER.title, [
            entity(OTHER, "MODEL", "FooNet", "PROPOSES", field="title", rule="title_prefix"),
            entity(OTHER, "MODEL", "CLIP", "USES"),
        ]),
    ]


def resign_graph_file(directory: Path, transform: Callable[[bytes], bytes]) -> None:
    """Rewrite graph.json with *transform* and update the manifest's fingerprint, as an editing tool would."""
    path = directory / "graph.json"
    data = transform(path.read_bytes())
    path.write_bytes(data)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["fingerprint"] = hashlib.sha256(data).hexdigest()
    (directory / "manifest.json").write_text(json.dumps(manifest))
