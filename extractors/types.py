"""Plain data types produced by the extractors.

They are deliberately free of spaCy objects so that results can be pickled,
written as JSON lines (``kg extract``) and consumed by :mod:`kg` without a
pipeline in memory.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = ["Entity", "EntityType", "Mention", "PaperConcepts"]

EntityType = Literal["DATASET", "MODEL", "METHOD", "TASK", "REPO"]
Field = Literal["title", "abstract"]
Role = Literal["PROPOSES", "USES"]


@dataclass(slots=True)
class Mention:
    """One occurrence of a concept in a paper's title or abstract.

    ``start``/``end`` are character offsets into the field's text
    (``text == paper.<field>[start:end]``); ``sentence`` is the sentence
    containing it, verbatim.
    """

    type: EntityType
    text: str
    start: int
    end: int
    field: Field
    sentence: str
    rule: str
    confidence: float


@dataclass(slots=True)
class Entity:
    """One concept of one paper (deduplicated: one per concept per paper).

    ``name`` is the corpus-wide canonical name and ``concept_id`` its stable
    id (see :func:`kg.schema.concept_id`; for REPO, :func:`kg.schema.repo_id`).
    The positional fields (``text`` … ``confidence``) describe the best
    mention; every mention, that one included, is in ``mentions``.
    """

    type: EntityType
    name: str
    concept_id: str
    aliases: list[str]
    text: str
    start: int
    end: int
    field: Field
    sentence: str
    rule: str
    confidence: float
    role: Role
    mentions: list[Mention] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``kg extract`` JSON form of this entity (``concept_id`` is internal)."""
        data = asdict(self)
        del data["concept_id"]
        return data


@dataclass(slots=True)
class PaperConcepts:
    """The extraction result for one paper."""

    id: str
    title: str
    entities: list[Entity] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``kg extract`` JSON line for this paper."""
        return {"id": self.id, "title": self.title, "entities": [e.to_json() for e in self.entities]}
