"""The retrieval modes, named apart from the engine so the command line can offer them without importing it."""

from __future__ import annotations

from typing import Literal

Mode = Literal["hybrid", "dense", "bm25", "rrf"]
MODES: tuple[str, ...] = ("hybrid", "dense", "bm25", "rrf")
