"""Pausing Python's cyclic garbage collector around work that makes hundreds of thousands of
objects and no cycles (reading a QuickBooks export, matching it with the posted entries): the
collector would only re-scan them, over and over, and that can be half the time of the work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
