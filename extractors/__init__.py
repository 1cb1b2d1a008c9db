"""spaCy components that find datasets, models, methods, tasks and code repos in paper text."""

from __future__ import annotations

from extractors.types import Entity, Mention, PaperConcepts

__all__ = ["Entity", "Mention", "PaperConcepts"]
