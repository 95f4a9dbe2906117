"""The bundled embedder: queries embedded together get the very vectors they get one at a time."""

from __future__ import annotations

import numpy as np

from assistant.embedders import E5SmallEmbedding


def test_a_batch_of_queries_gives_each_query_its_own_vector_bit_for_bit() -> None:
    embedder = E5SmallEmbedding()
    queries = [
        "How do I rebuild trust after I let a colleague down?",
        "rebuild",
        "trust",
        "colleague",
        "down",
    ]

    batch = embedder.get_query_embedding_batch(queries)

    alone = [embedder.get_query_embedding(q) for q in queries]
    assert np.array_equal(np.array(batch, dtype=np.float32), np.array(alone, dtype=np.float32))


def test_an_empty_batch_of_queries_embeds_nothing() -> None:
    assert E5SmallEmbedding().get_query_embedding_batch([]) == []
