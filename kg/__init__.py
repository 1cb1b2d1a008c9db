"""paper-kg: a citation/concept knowledge graph from paper abstracts.

The Python API mirrors the ``kg`` command line.
"""

from __future__ import annotations

from kg.cypher.api import run_named, run_query
from kg.records import Paper

__all__ = ["Paper", "run_named", "run_query"]
__version__ = "0.1.0"
