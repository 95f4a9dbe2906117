"""The embedding cache: the same text is embedded once, read back bit-identical, bounded, clearable, and never in
the way: a broken cache file only means embedding again."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.embeddings import BaseEmbedding
from pydantic import PrivateAttr
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.embedders import embeddings_cache_path
from assistant.embedding_cache import (
    MAX_QUERIES_IN_MEMORY,
    CachedEmbedding,
    EmbeddingCache,
    clear_cache_file,
    embed_queries,
    with_cache,
)


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


def test_a_batch_of_queries_embeds_only_those_not_remembered_once_each(tmp_path):
    inner = CountingEmbedding()
    embedding = cached(tmp_path, inner)
    embedding.get_query_embedding("trust")

    vectors = embed_queries(embedding, ["trust", "teachers", "teachers", "staff"])

    assert inner.seen == ["trust", "teachers", "staff"]
    assert vectors[1] == vectors[2] == embedding.get_query_embedding("teachers")
    assert vectors[0] == embedding.get_query_embedding("trust")


def test_an_embedder_without_batches_embeds_queries_one_at_a_time() -> None:
    inner = CountingEmbedding()

    vectors = embed_queries(inner, ["trust", "staff"])

    assert inner.seen == ["trust", "staff"]
    assert vectors == [inner.get_query_embedding("trust"), inner.get_query_embedding("staff")]


def test_queries_in_memory_are_bounded_forgetting_the_oldest(tmp_path):
    inner = CountingEmbedding()
    embedding = cached(tmp_path, inner)
    embedding.get_query_embedding_batch([f"vraag {n}" for n in range(MAX_QUERIES_IN_MEMORY + 1)])

    embedding.get_query_embedding_batch(["vraag 1", "vraag 0"])

    assert inner.seen.count("vraag 1") == 1
    assert inner.seen.count("vraag 0") == 2


def test_queries_asked_from_many_threads_at_once_each_get_their_own_vector(tmp_path):
    inner = CountingEmbedding()
    embedding = cached(tmp_path, inner)
    # More distinct queries than are remembered, so threads forget the oldest while others read and add.
    batches = [[f"vraag {(start + n) % 1500}" for n in range(25)] for start in range(0, 3000, 7)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(embedding.get_query_embedding_batch, batches))

    expected = CountingEmbedding()
    for batch, vectors in zip(batches, results, strict=True):
        assert vectors == [expected.get_query_embedding(q) for q in batch]


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


def test_hits_and_misses_count_texts_found_and_texts_embedded(tmp_path):
    embedding = cached(tmp_path, CountingEmbedding())
    embedding.get_text_embedding_batch(["een", "twee"])

    embedding.get_text_embedding_batch(["twee", "drie", "drie"])

    assert (embedding.hits, embedding.misses) == (1, 3)


def test_a_cache_file_that_is_not_a_database_is_bypassed_with_a_warning(tmp_path, caplog):
    path = tmp_path / "embeddings.sqlite"
    path.write_bytes(b"geen database" * 100)
    inner = CountingEmbedding()

    embedding = with_cache(inner, path, "counting")

    assert embedding is inner
    assert "embedding cache" in caplog.text


def test_a_cache_file_damaged_while_in_use_falls_back_to_embedding_with_one_warning(tmp_path, caplog):
    inner = CountingEmbedding()
    embedding = cached(tmp_path, inner)
    first = embedding.get_text_embedding_batch(["een"])
    (tmp_path / "embeddings.sqlite").write_bytes(b"geen database" * 100)

    again = embedding.get_text_embedding_batch(["een"])
    embedding.get_text_embedding_batch(["twee"])

    assert again == first
    assert inner.seen == ["een", "een", "twee"]
    assert caplog.text.count("embedding cache") == 1


def test_a_closed_cache_falls_back_to_embedding(tmp_path):
    inner = CountingEmbedding()
    embedding = cached(tmp_path, inner)
    embedding.cache.close()

    vectors = embedding.get_text_embedding_batch(["een"])

    assert vectors == CountingEmbedding().get_text_embedding_batch(["een"])


def test_clearing_the_cache_file_empties_it_and_says_how_many_vectors_went(tmp_path):
    path = tmp_path / "embeddings.sqlite"
    cached(tmp_path, CountingEmbedding()).get_text_embedding_batch(["een", "twee"])

    assert clear_cache_file(path) == 2
    assert EmbeddingCache(path).count() == 0


def test_clearing_a_cache_file_that_is_not_a_database_removes_it(tmp_path):
    path = tmp_path / "embeddings.sqlite"
    path.write_bytes(b"geen database" * 100)

    clear_cache_file(path)

    assert not path.exists()


def test_the_cache_clear_command_empties_the_data_folders_cache(tmp_path):
    data = tmp_path / "data"
    settings = Settings(data_dir=data, corpus_dir=tmp_path / "corpus")
    cached(data, CountingEmbedding()).get_text_embedding_batch(["een"])

    result = CliRunner().invoke(app, ["cache", "clear", "--data-dir", str(data)])

    assert result.exit_code == 0, result.output
    assert "cleared 1 cached vectors" in result.output
    assert EmbeddingCache(embeddings_cache_path(settings)).count() == 0
