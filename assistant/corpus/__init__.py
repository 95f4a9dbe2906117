"""Posts: their types, the loaders for each file format, and the corpus folder that is the source of truth."""

from assistant.corpus.model import Post, Section, slugify

__all__ = ["Post", "Section", "slugify"]
