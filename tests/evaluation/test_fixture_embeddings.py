"""The committed vectors of the evaluation corpus: bit-identical to the embedder's, and only ever a head start."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from test_embedding_cache import CountingEmbedding

from assistant.corpus.loaders import load_post
from assistant.embedders import E5_SMALL
from assistant.embedding_cache import CachedEmbedding, EmbeddingCache, cache_key
from assistant.evaluation import fixture_embeddings
from assistant.ingest import prepare

EVAL = Path(__file__).resolve().parents[2] / "eval"
COMMITTED = fixture_embeddings.beside(EVAL / "fixtures")


def test_the_committed_vectors_are_bit_identical_to_the_embedders(embedder):
    committed = fixture_embeddings.read(COMMITTED)
    post = load_post(sorted((EVAL / "fixtures").glob("*.md"))[0], slug="eerste")
    texts = [w.text for w in prepare(post).windows]
    found = [t for t in texts if cache_key(E5_SMALL, t) in committed][:4]
    assert len(found) >= 3, f"{COMMITTED.name} is out of date: rewrite it with `make eval-embeddings`"

    fresh = np.asarray(embedder.get_text_embedding_batch(found), dtype=np.float32)

    stored = np.stack([committed[cache_key(E5_SMALL, t)] for t in found])
    assert stored.dtype == np.float32
    assert fresh.tobytes() == stored.tobytes()


def test_a_seeded_cache_embeds_only_the_texts_the_file_lacks(tmp_path):
    inner = CountingEmbedding()
    known = {cache_key("counting", "Vertrouwen is een werkwoord."): [0.25, -1.5, 3.0]}
    fixture_embeddings.write(known, tmp_path / "vectors.npz")
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")

    copied = fixture_embeddings.seed(cache, tmp_path / "vectors.npz")
    vectors = CachedEmbedding(inner, cache, "counting").get_text_embedding_batch(
        ["Vertrouwen is een werkwoord.", "Een rooster laat zien wat telt."]
    )

    assert copied == 1
    assert inner.seen == ["Een rooster laat zien wat telt."]
    assert vectors[0] == [0.25, -1.5, 3.0]


def test_seeding_twice_copies_nothing_the_second_time(tmp_path):
    fixture_embeddings.write({cache_key("counting", "tekst"): [1.0, 2.0]}, tmp_path / "vectors.npz")
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")

    assert fixture_embeddings.seed(cache, tmp_path / "vectors.npz") == 1
    assert fixture_embeddings.seed(cache, tmp_path / "vectors.npz") == 0


def test_the_same_vectors_give_the_same_file_bytes(tmp_path):
    vectors = {cache_key("counting", text): [float(n), 0.5] for n, text in enumerate(["a", "b", "c"])}

    fixture_embeddings.write(vectors, tmp_path / "one.npz")
    fixture_embeddings.write(dict(reversed(vectors.items())), tmp_path / "two.npz")

    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()


def test_no_file_seeds_nothing(tmp_path):
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")

    assert fixture_embeddings.seed(cache, tmp_path / "absent.npz") == 0
    assert cache.count() == 0
