"""paper-kg: a citation/concept knowledge graph from paper abstracts.

The Python API mirrors the ``kg`` command line.
"""

from __future__ import annotations

from kg.records import Paper

__all__ = ["Paper"]
__version__ = "0.1.0"
