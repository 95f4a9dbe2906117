"""The benchmark's embedder: times the real embedder, and for large corpora stands in for it with cached vectors.

Embedding 10,000 chunks (about 95,000 sentence windows) takes well over an hour on two cores, so for the large
sizes ``BenchEmbedding(cache=True)`` returns, for every passage, a vector the real model made earlier: the
passage's own vector when that exact text was embedded before (the larger corpora contain the smaller ones),
else the vector of another real passage chosen by hashing the text. Chroma, BM25 and retrieval then work on
real vectors at full scale; only the embed time of those sizes is not real, and the report says so.
Questions are always embedded by the real model, so query latency is real at every size.

    store = VectorStore(folder)                        # shards of (text, vector) written by earlier runs
    embedder = BenchEmbedding(E5SmallEmbedding(), store, cache=size > 1000)
    ...
    store.save_shard("ours-100", embedder.recorded())  # real vectors, for the cached sizes that follow
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.embeddings import BaseEmbedding
from pydantic import PrivateAttr


class VectorStore:
    """Real (text, vector) pairs, kept as ``.npz`` shards in one folder so separate processes can share them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.texts: dict[str, int] = {}
        self.vectors = np.zeros((0, 0), dtype=np.float32)
        self.reload()

    def reload(self) -> None:
        texts: list[str] = []
        blocks: list[np.ndarray] = []
        for shard in sorted(self.folder.glob("*.npz")):
            with np.load(shard, allow_pickle=False) as data:
                texts += [str(t) for t in data["texts"]]
                blocks.append(data["vectors"].astype(np.float32))
        self.vectors = np.concatenate(blocks) if blocks else np.zeros((0, 0), dtype=np.float32)
        self.texts = {}
        for row, text in enumerate(texts):
            self.texts.setdefault(text, row)

    def __len__(self) -> int:
        return len(self.vectors)

    def save_shard(self, name: str, pairs: list[tuple[str, list[float]]]) -> None:
        if not pairs:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        texts = np.array([t for t, _ in pairs], dtype=str)
        vectors = np.array([v for _, v in pairs], dtype=np.float32)
        np.savez(self.folder / f"{name}.npz", texts=texts, vectors=vectors)
        self.reload()

    def lookup(self, text: str) -> tuple[list[float], bool]:
        """The text's own vector if it was embedded before (True), else a real one chosen by its hash (False)."""
        row = self.texts.get(text)
        if row is not None:
            return self.vectors[row].tolist(), True
        if len(self.vectors) == 0:
            raise RuntimeError("the vector cache is empty: embed a few passages for real first")
        digest = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
        return self.vectors[digest % len(self.vectors)].tolist(), False


class BenchEmbedding(BaseEmbedding):
    """Wraps the real embedder: times every passage call; with ``cache`` on, answers passages from a store."""

    _inner: BaseEmbedding = PrivateAttr()
    _store: VectorStore | None = PrivateAttr(default=None)
    _cache: bool = PrivateAttr(default=False)
    _record: bool = PrivateAttr(default=False)
    _recorded: list[tuple[str, list[float]]] = PrivateAttr(default_factory=list)
    _stats: dict[str, float] = PrivateAttr(default_factory=dict)

    def __init__(
        self,
        inner: BaseEmbedding,
        store: VectorStore | None = None,
        *,
        cache: bool = False,
        record: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(model_name=inner.model_name, embed_batch_size=inner.embed_batch_size, **kwargs)
        if cache and store is None:
            raise ValueError("the vector cache needs a store")
        self._inner = inner
        self._store = store
        self._cache = cache
        self._record = record and not cache
        self.reset_stats()

    @classmethod
    def class_name(cls) -> str:
        return "BenchEmbedding"

    @property
    def cached(self) -> bool:
        return self._cache

    def reset_stats(self) -> None:
        self._stats = {"seconds": 0.0, "texts": 0, "chars": 0, "exact": 0, "reused": 0, "queries": 0}

    def stats(self) -> dict[str, float]:
        """Passage calls so far: seconds inside them, texts, characters, cache hits (exact) and stand-ins."""
        return dict(self._stats)

    def recorded(self) -> list[tuple[str, list[float]]]:
        """The (text, vector) pairs the real model made, for the store."""
        return list(self._recorded)

    def _get_query_embedding(self, query: str) -> list[float]:
        self._stats["queries"] += 1
        return self._inner.get_query_embedding(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        if self._cache:
            vectors = []
            for text in texts:
                vector, exact = self._store.lookup(text)
                self._stats["exact" if exact else "reused"] += 1
                vectors.append(vector)
        else:
            vectors = self._inner.get_text_embedding_batch(list(texts))
            if self._record:
                self._recorded += list(zip(texts, vectors, strict=True))
        self._stats["seconds"] += time.perf_counter() - started
        self._stats["texts"] += len(texts)
        self._stats["chars"] += sum(len(t) for t in texts)
        return vectors
