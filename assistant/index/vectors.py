"""Cosine similarities to a known, small set of stored vectors, computed here instead of by a filtered search.

The re-ranker needs the question's similarity to every chunk of a few posts, and the quotes its similarity to
every window of a few chunks. A Chroma query filtered to those records walks the whole HNSW graph (~60 and
~120 ms at 10,000 chunks); reading the vectors (by primary key for windows, from a per-post cache for chunks)
and taking dot products costs a few milliseconds. Used on the embedded client only: the query path stays for a
server.

The chunk vectors are kept per post and follow the index the way the retriever's lexical index does: when the
generation moves, the post records are read and the posts whose record changed or went are dropped, to be read
again on their next use. A post read while a writer changes it is dropped at the next look, since the writer's
record differs from the one it was cached with.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from assistant.chunking import Chunk, Span, Window
from assistant.index import records
from assistant.index.records import PostRecord


def cosine(vector: list[float], matrix: np.ndarray) -> np.ndarray:
    """The cosine similarity of ``vector`` to each row: Chroma's "cosine" distance is one minus this."""
    query = np.asarray(vector, dtype=np.float64)
    rows = matrix.astype(np.float64, copy=False)
    norms = np.linalg.norm(rows, axis=1) * np.linalg.norm(query)
    return rows @ query / np.where(norms == 0, 1.0, norms)


def window_keys(chunks: list[Chunk]) -> dict[str, tuple[str, Span]]:
    """The ids every window of these chunks can have, with the (chunk id, middle sentence) each names: one per
    sentence (a sentence shared with the chunk before belongs to that chunk's window, so some name no record)."""
    return {
        records.window_id(c.post_slug, Window(c.id, sentence, "")): (c.id, sentence)
        for c in chunks
        for sentence in c.sentences
    }


def window_similarities(
    windows_collection, vector: list[float], chunks: list[Chunk]
) -> dict[tuple[str, Span], float]:
    """The similarity of ``vector`` to every stored window of ``chunks``, read by primary key (the id says
    whose window it is, so no metadata is read)."""
    keys = window_keys(chunks)
    got = windows_collection.get(ids=list(keys), include=["embeddings"])
    if not got["ids"]:
        return {}
    similarity = cosine(vector, np.asarray(got["embeddings"]))
    return {keys[i]: float(s) for i, s in zip(got["ids"], similarity, strict=True)}


class ChunkVectors:
    """The chunk vectors of the posts asked about so far, each kept with the post record it was read under."""

    def __init__(self) -> None:
        self._key: tuple[str, str] = ("", "")  # (collection id, generation) the records below were read at
        self._records: dict[str, PostRecord] = {}
        self._posts: dict[str, tuple[PostRecord | None, list[str], np.ndarray]] = {}

    def follow(
        self, collection_id: str, generation: str, read_records: Callable[[], dict[str, PostRecord]]
    ) -> None:
        """Drop the posts whose record changed since the last look; everything if the collection was rebuilt."""
        if (collection_id, generation) == self._key:
            return
        # The generation is taken before the records are read: a write landing in between moves it again.
        self._records = read_records()
        if collection_id != self._key[0]:
            self._posts = {}
        self._posts = {
            slug: cached for slug, cached in self._posts.items() if self._records.get(slug) == cached[0]
        }
        self._key = (collection_id, generation)

    def similarities(self, chunks_collection, vector: list[float], posts: list[str]) -> dict[str, float]:
        """The similarity of ``vector`` to every chunk of ``posts`` (reading the posts not cached yet)."""
        missing = [p for p in dict.fromkeys(posts) if p not in self._posts]
        if missing:
            self._read(chunks_collection, missing)
        present = [p for p in dict.fromkeys(posts) if self._posts[p][1]]
        if not present:
            return {}
        ids = [i for p in present for i in self._posts[p][1]]
        matrix = np.concatenate([self._posts[p][2] for p in present])
        return dict(zip(ids, cosine(vector, matrix).tolist(), strict=True))

    def _read(self, chunks_collection, posts: list[str]) -> None:
        # No metadata: reading it triples the cost, and a chunk's id (``chunking``) starts with its post's slug.
        got = chunks_collection.get(where={"post": {"$in": posts}}, include=["embeddings"])
        by_post: dict[str, tuple[list[str], list]] = {p: ([], []) for p in posts}
        for chunk_id, embedding in zip(got["ids"], got["embeddings"], strict=True):
            ids, rows = by_post[chunk_id.rsplit(":", 2)[0]]
            ids.append(chunk_id)
            rows.append(embedding)
        for post, (ids, rows) in by_post.items():
            matrix = np.asarray(rows, dtype=np.float32) if rows else np.zeros((0, 0), dtype=np.float32)
            self._posts[post] = (self._records.get(post), ids, matrix)
