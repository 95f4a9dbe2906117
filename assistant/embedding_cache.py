"""A persistent embedding cache: the same embedder and the exact same text are embedded once, ever.

Passage vectors are kept in one SQLite file, keyed by a hash of the embedder's name and the exact text, and
stored as float32 bytes, so a vector read back is bit-identical to the one the embedder returned. The file is
bounded: past ``max_entries`` the oldest entries go. Queries are only remembered in memory, for the lifetime of
the object: a question is often retrieved twice in a row, an English question's words recur from question to
question (each is embedded on its own to find its Dutch translations), and storing every question asked would grow
without end.

The cache only ever saves work: when its file cannot be opened, read or written (corrupt, read-only disk, locked
too long) the texts are embedded as if it were not there, with a logged warning.

    embedder = CachedEmbedding(E5SmallEmbedding(), EmbeddingCache(Path("data/embeddings.sqlite")), "e5-small")
    embedder.get_text_embedding_batch(["Vertrouwen is een werkwoord."])   # embedded, then cached
    embedder.hits, embedder.misses                                       # 0, 1
    embed_queries(embedder, ["teachers", "trust"])                       # one batch, remembered in memory
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.embeddings import BaseEmbedding
from pydantic import PrivateAttr

MAX_ENTRIES = 200_000  # about 300 MB of 384-dimensional vectors
MAX_QUERIES_IN_MEMORY = 1024
# What goes wrong with a cache file: SQLite's errors (corrupt, read-only, locked) and the file system's.
CACHE_FAILURES = (sqlite3.Error, OSError)

log = logging.getLogger(__name__)


class EmbeddingCache:
    """Vectors by key in a SQLite file; safe to share between threads and between processes."""

    def __init__(self, path: Path, max_entries: int = MAX_ENTRIES):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        try:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"
            )
            self._db.commit()
        except sqlite3.Error:
            self._db.close()  # e.g. not a database: leave no open handle behind
            raise

    def get_many(self, keys: Sequence[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        with self._lock:
            for start in range(0, len(keys), 500):  # SQLite limits the number of parameters
                part = keys[start : start + 500]
                rows = self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part
                )
                found.update((key, np.frombuffer(blob, dtype=np.float32).tolist()) for key, blob in rows)
        return found

    def put_many(self, items: dict[str, list[float]]) -> None:
        rows = [(key, np.asarray(vector, dtype=np.float32).tobytes()) for key, vector in items.items()]
        with self._lock:
            try:
                self._db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)
                excess = self._count_locked() - self.max_entries
                if excess > 0:  # rowids grow with insertion, so the smallest are the oldest
                    self._db.execute(
                        "DELETE FROM vectors WHERE rowid IN (SELECT rowid FROM vectors ORDER BY rowid LIMIT ?)",
                        (excess,),
                    )
                self._db.commit()
            except sqlite3.Error:
                self._db.rollback()  # a half-done write must not stay open and block the next one
                raise

    def count(self) -> int:
        with self._lock:
            return self._count_locked()

    def keys(self) -> list[str]:
        """Every key held, oldest first (what ``fixture_embeddings`` exports)."""
        with self._lock:
            return [key for (key,) in self._db.execute("SELECT key FROM vectors ORDER BY rowid")]

    def _count_locked(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]

    def clear(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM vectors")
            self._db.commit()
            self._db.execute("VACUUM")  # give the space back: the file may have held 300 MB

    def close(self) -> None:
        with self._lock:
            self._db.close()


def clear_cache_file(path: Path) -> int:
    """Empty the cache in ``path`` and return how many vectors it held.

    The entries are deleted inside the file, so a running web app sees the cache empty at once; a file SQLite
    cannot read as a database is removed instead (and counts as 0).
    """
    if not path.exists():
        return 0
    try:
        cache = EmbeddingCache(path)
    except sqlite3.DatabaseError as error:
        if getattr(error, "sqlite_errorname", "") not in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
            raise  # locked or read-only: deleting would not help
        for part in (path, *(path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm"))):
            part.unlink(missing_ok=True)
        return 0
    try:
        held = cache.count()
        cache.clear()
        return held
    finally:
        cache.close()


def embed_queries(embedder: BaseEmbedding, queries: list[str]) -> list[list[float]]:
    """Each query's vector, in one batch where the embedder offers one (``get_query_embedding_batch``: e5-small
    and the cache in front of it), else one at a time."""
    batch = getattr(embedder, "get_query_embedding_batch", None)
    return batch(queries) if batch else [embedder.get_query_embedding(q) for q in queries]


def cache_key(embedder_name: str, text: str) -> str:
    return hashlib.sha256(f"{embedder_name}\x1f{text}".encode()).hexdigest()


def with_cache(inner: BaseEmbedding, path: Path, name: str) -> BaseEmbedding:
    """``inner`` behind a cache in ``path``, or ``inner`` alone (with a warning) if the file cannot be opened."""
    try:
        cache = EmbeddingCache(path)
    except CACHE_FAILURES as error:
        log.warning("embedding cache %s unusable, embedding without it: %s", path, error)
        return inner
    return CachedEmbedding(inner, cache, name)


class CachedEmbedding(BaseEmbedding):
    """Any llama-index embedder, with its vectors read from and written to an ``EmbeddingCache``.

    ``name`` must identify the embedder and its settings (``Settings.embedder`` does): two embedders that give
    different vectors must never share a name. ``hits`` and ``misses`` count passage texts found in the cache and
    texts embedded, since the object was made.
    """

    _inner: BaseEmbedding = PrivateAttr()
    _cache: EmbeddingCache = PrivateAttr()
    _name: str = PrivateAttr()
    _queries: dict[str, list[float]] = PrivateAttr(default_factory=dict)
    _queries_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _hits: int = PrivateAttr(default=0)
    _misses: int = PrivateAttr(default=0)
    _warned: bool = PrivateAttr(default=False)

    def __init__(self, inner: BaseEmbedding, cache: EmbeddingCache, name: str, **kwargs: Any) -> None:
        super().__init__(model_name=f"cached:{name}", embed_batch_size=inner.embed_batch_size, **kwargs)
        self._inner = inner
        self._cache = cache
        self._name = name

    @classmethod
    def class_name(cls) -> str:
        return "CachedEmbedding"

    @property
    def hits(self) -> int:
        return self._hits

    @property
    def misses(self) -> int:
        return self._misses

    @property
    def cache(self) -> EmbeddingCache:
        return self._cache

    def close(self) -> None:
        self._cache.close()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.get_query_embedding_batch([query])[0]

    def get_query_embedding_batch(self, queries: list[str]) -> list[list[float]]:
        """The queries' vectors: those asked before from memory, the others embedded together (in one batch where
        the inner embedder offers one) and remembered, the oldest forgotten past ``MAX_QUERIES_IN_MEMORY``."""
        with self._queries_lock:
            known = {q: self._queries[q] for q in queries if q in self._queries}
        missing = list(dict.fromkeys(q for q in queries if q not in known))
        if missing:
            # Embedded outside the lock: sessions asking different questions do not wait on each other here.
            fresh = dict(zip(missing, embed_queries(self._inner, missing), strict=True))
            with self._queries_lock:
                for query, vector in fresh.items():
                    self._queries.pop(query, None)
                    self._queries[query] = vector
                while len(self._queries) > MAX_QUERIES_IN_MEMORY:
                    del self._queries[next(iter(self._queries))]
            known |= fresh
        return [known[q] for q in queries]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        keys = [cache_key(self._name, t) for t in texts]
        try:
            found = self._cache.get_many(keys)
        except CACHE_FAILURES as error:
            self._warn(error)
            found = {}
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
        self._hits += len(texts) - sum(k not in found for k in keys)
        self._misses += len(missing)
        if missing:
            vectors = self._inner.get_text_embedding_batch(missing)
            fresh = {cache_key(self._name, t): v for t, v in zip(missing, vectors, strict=True)}
            try:
                self._cache.put_many(fresh)
            except CACHE_FAILURES as error:
                self._warn(error)
            # Rounded to float32 as the cache stores them: a text's vector is the same, hit or miss.
            found |= {k: np.asarray(v, dtype=np.float32).tolist() for k, v in fresh.items()}
        return [found[k] for k in keys]

    def _warn(self, error: Exception) -> None:
        """Warn once per object: a broken file fails every batch, and one line says it all."""
        if not self._warned:
            log.warning("embedding cache %s failed, embedding without it: %s", self._cache.path, error)
            self._warned = True
