"""Pause Python's cyclic garbage collector while building large, long-lived structures."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block (restoring its previous state after).

    Building or loading a graph creates millions of small dicts and tuples
    that all stay alive; every automatic collection would walk them (and
    everything else in memory) again for nothing — a third of the load time at
    10k papers. Reference counting still frees garbage as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
