"""The embedding cache: the same text is embedded once, read back bit-identical, bounded, and clearable."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.embeddings import BaseEmbedding
from pydantic import PrivateAttr

from assistant.embedding_cache import CachedEmbedding, EmbeddingCache


class CountingEmbedding(BaseEmbedding):
    """A small deterministic embedder that records every text it is asked to embed."""

    _seen: list[str] = PrivateAttr(default_factory=list)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model_name="counting", **kwargs)

    def _vector(self, text: str) -> list[float]:
        self._seen.append(text)
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")
        return np.random.default_rng(seed).standard_normal(8).astype(np.float32).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._vector(text)

    @property
    def seen(self) -> list[str]:
        return self._seen


def cached(tmp_path: Path, inner: BaseEmbedding, name: str = "counting", **kwargs: Any) -> CachedEmbedding:
    return CachedEmbedding(inner, EmbeddingCache(tmp_path / "embeddings.sqlite", **kwargs), name)


def test_a_text_is_embedded_once_even_across_cache_objects(tmp_path):
    inner = CountingEmbedding()
    cached(tmp_path, inner).get_text_embedding_batch(["een", "twee"])

    again = cached(tmp_path, inner).get_text_embedding_batch(["twee", "drie", "een"])

    assert inner.seen == ["een", "twee", "drie"]
    assert len(again) == 3


def test_vectors_read_back_are_bit_identical_to_the_embedders(tmp_path, embedder):
    texts = ["Vertrouwen begint bij gedrag.", "Feedback die landt is concreet."]
    direct = embedder.get_text_embedding_batch(texts)
    cached(tmp_path, embedder, "e5-small").get_text_embedding_batch(texts)

    from_cache = cached(tmp_path, embedder, "e5-small").get_text_embedding_batch(texts)

    assert np.array_equal(np.array(from_cache, dtype=np.float32), np.array(direct, dtype=np.float32))


def test_two_embedders_never_share_vectors(tmp_path):
    first, second = CountingEmbedding(), CountingEmbedding()
    cached(tmp_path, first, "model-a").get_text_embedding_batch(["zelfde tekst"])

    cached(tmp_path, second, "model-b").get_text_embedding_batch(["zelfde tekst"])

    assert second.seen == ["zelfde tekst"]


def test_queries_are_remembered_in_memory_but_not_stored(tmp_path):
    inner = CountingEmbedding()
    embedding = cached(tmp_path, inner)
    embedding.get_query_embedding("Hoe begin ik?")
    embedding.get_query_embedding("Hoe begin ik?")

    cached(tmp_path, inner).get_query_embedding("Hoe begin ik?")

    assert inner.seen == ["Hoe begin ik?", "Hoe begin ik?"]


def test_the_cache_keeps_at_most_max_entries_dropping_the_oldest(tmp_path):
    inner = CountingEmbedding()
    embedding = cached(tmp_path, inner, max_entries=2)
    embedding.get_text_embedding_batch(["oud", "midden", "nieuw"])

    embedding.get_text_embedding_batch(["oud", "nieuw"])

    assert EmbeddingCache(tmp_path / "embeddings.sqlite").count() == 2
    assert inner.seen == ["oud", "midden", "nieuw", "oud"]


def test_clearing_the_cache_makes_every_text_embed_again(tmp_path):
    inner = CountingEmbedding()
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    CachedEmbedding(inner, cache, "counting").get_text_embedding_batch(["een"])

    cache.clear()
    CachedEmbedding(inner, cache, "counting").get_text_embedding_batch(["een"])

    assert inner.seen == ["een", "een"]
