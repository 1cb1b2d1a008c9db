"""The one graph schema: labels, relationship types, properties and node ids.

Everything that writes or reads the graph — the networkx builder, the
persistence format, the embedded Cypher engine, the Neo4j loader and the views —
takes its names from here, so the three representations cannot drift apart.

networkx representation
-----------------------
A :class:`networkx.MultiDiGraph`. Every node has ``label`` (``"Paper"``,
``"Concept"`` or ``"Repo"``) plus the properties listed in :data:`NODE_PROPERTIES`.
Every edge has ``key`` = ``type`` (``"PROPOSES"``, ``"USES"``, ``"HAS_CODE"``,
``"CITES"``) plus the properties in :data:`REL_PROPERTIES`, so there is at most
one edge of each type between two nodes.

Node keys are the ``id`` property and are prefixed by kind so they never
collide: paper ids as produced by :mod:`kg.records` (``arxiv:…``, ``doi:…``,
``title:…``), concept ids ``concept:<kind>:<slug>`` and repo ids
``repo:<host>/<owner>/<name>``.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Final

__all__ = [
    "ENTITY_TYPE_TO_KIND",
    "NODE_PROPERTIES",
    "REL_PROPERTIES",
    "ROLE_RELS",
    "ConceptKind",
    "Label",
    "Rel",
    "concept_id",
    "repo_id",
    "slugify",
]


class Label(StrEnum):
    """Node labels."""

    PAPER = "Paper"
    CONCEPT = "Concept"
    REPO = "Repo"


class Rel(StrEnum):
    """Relationship types."""

    PROPOSES = "PROPOSES"  # (:Paper)-[:PROPOSES]->(:Concept): the paper introduces it
    USES = "USES"  # (:Paper)-[:USES]->(:Concept): the paper uses/evaluates on it
    HAS_CODE = "HAS_CODE"  # (:Paper)-[:HAS_CODE]->(:Repo)
    CITES = "CITES"  # (:Paper)-[:CITES]->(:Paper)


class ConceptKind(StrEnum):
    """The ``kind`` property of a Concept; in Neo4j also a second label."""

    DATASET = "Dataset"
    MODEL = "Model"
    METHOD = "Method"
    TASK = "Task"


#: Extraction entity types (``DATASET`` …) to concept kinds. ``REPO`` becomes a Repo node.
ENTITY_TYPE_TO_KIND: Final[dict[str, ConceptKind]] = {
    "DATASET": ConceptKind.DATASET,
    "MODEL": ConceptKind.MODEL,
    "METHOD": ConceptKind.METHOD,
    "TASK": ConceptKind.TASK,
}

#: Properties stored on each node label (``id`` is the unique key of every label).
NODE_PROPERTIES: Final[dict[Label, tuple[str, ...]]] = {
    Label.PAPER: (
        "id", "title", "abstract", "year", "url", "arxiv_id", "doi", "authors",
        "source", "unresolved_refs",
    ),
    Label.CONCEPT: ("id", "name", "kind", "aliases", "paper_count"),
    Label.REPO: ("id", "url", "host", "owner", "name"),
}

#: Properties stored on each relationship type.
REL_PROPERTIES: Final[dict[Rel, tuple[str, ...]]] = {
    Rel.PROPOSES: ("evidence", "field", "start", "end", "rule", "confidence", "mentions"),
    Rel.USES: ("evidence", "field", "start", "end", "rule", "confidence", "mentions"),
    Rel.HAS_CODE: ("evidence", "field", "start", "end"),
    Rel.CITES: ("source",),  # "metadata" | "inferred:<concept id>"
}

#: Relationship used for each extraction role.
ROLE_RELS: Final[dict[str, Rel]] = {"PROPOSES": Rel.PROPOSES, "USES": Rel.USES}


def slugify(text: str) -> str:
    """Lower-case ASCII slug used inside concept ids (``"GPT-4o"`` → ``"gpt-4o"``).

    Letters, digits, ``.``, ``+`` and ``-`` are kept so that different variants
    (``qwen2.5-1.5b`` vs ``qwen2.5-7b``) keep different ids; everything else
    becomes ``-``.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9.+\-]+", "-", ascii_text.lower()).strip("-")
    return re.sub(r"-{2,}", "-", slug) or "x"


def concept_id(kind: ConceptKind | str, canonical_name: str) -> str:
    """Node id of a concept: ``concept:<kind>:<slug of canonical name>``."""
    return f"concept:{str(kind).lower()}:{slugify(canonical_name)}"


def repo_id(host: str, owner: str, name: str, namespace: str = "") -> str:
    """Node id of a code repository: ``repo:<host>/[<namespace>/]<owner>/<name>`` in lower case.

    *namespace* is the kind of repository on hosts that keep several kinds under
    one owner/name (Hugging Face ``datasets``/``spaces``; models have none), so
    a model and a dataset both called ``owner/name`` stay two repositories.
    """
    middle = f"{namespace.lower()}/" if namespace else ""
    return f"repo:{host.lower()}/{middle}{owner.lower()}/{name.lower()}"
