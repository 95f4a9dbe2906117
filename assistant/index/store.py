"""``ChromaIndex``: the index of one corpus — reads and searches, and writes of whole posts under the lock.

It holds a connection (``connection``), the write lock and generation stamp (``locking``) and turns records to
and from Chroma (``records``). A thread lock keeps one thread from reopening the client under another's read.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict

from assistant.catalog import STAMP_FILE, write_catalog
from assistant.chunking import Chunk, Span, Window
from assistant.config import Settings
from assistant.errors import EmbedderMismatchError, IndexUnavailableError
from assistant.index import records, vectors
from assistant.index.connection import ChromaConnection
from assistant.index.locking import GenerationStamp, WriteLock, modifiable
from assistant.index.records import PostRecord, WindowHit

KINDS = ("chunks", "windows", "posts")


class ChromaIndex:
    """The vector index of one corpus, with the locking that lets processes share it."""

    def __init__(
        self,
        settings: Settings,
        embedding_name: str,
        *,
        check_embedder: bool = True,
        set_aside_broken: bool = False,
    ):
        self.settings = settings
        self.embedding_name = embedding_name
        self._check_embedder_on_open = check_embedder
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self._connection = ChromaConnection(settings, embedding_name)
        self._stamp = GenerationStamp(settings.data_dir / STAMP_FILE, self._connection)
        self._write_lock = WriteLock(settings.data_dir / "index.lock", settings.lock_timeout_s)
        self._thread_lock = threading.RLock()
        self._seen_generation = ""
        self._chunk_vectors = vectors.ChunkVectors()
        self._followed: tuple[str, dict[str, PostRecord]] | None = None
        self._open(set_aside_broken)

    # ---- connection and staleness -----------------------------------------------------------------------------

    def _open(self, set_aside_broken: bool = False) -> None:
        self._seen_generation = self.generation()
        self._connection.open(set_aside_broken)
        if self._check_embedder_on_open:
            self._check_embedder()

    def close(self) -> None:
        self._connection.close()

    def generation(self) -> str:
        """The stamp writers bump (see ``locking``)."""
        return self._stamp.read()

    def refresh_if_stale(self) -> bool:
        """Reopen the client if another process wrote since we opened it; return whether it did."""
        with self._thread_lock:
            if self.generation() == self._seen_generation:
                return False
            self.close()
            self._open()
            return True

    @contextlib.contextmanager
    def write_lock(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the cross-process write lock; ``on_wait`` is called once if another process holds it."""
        with self._write_lock.held(on_wait), self._thread_lock:
            self.refresh_if_stale()
            yield
            self._stamp.bump()
            self._seen_generation = self.generation()
            if not self._connection.on_server:
                listed = [asdict(r) for r in records.newest_first(self.posts().values())]
                write_catalog(self.settings.data_dir, self._seen_generation, self.embedding_name, listed)

    def _check_embedder(self) -> None:
        built_with = (self._chunks().metadata or {}).get("embedder")
        if built_with and built_with != self.embedding_name:
            raise EmbedderMismatchError(
                f"the index was built with the {built_with} embedder, but {self.embedding_name} is configured: "
                "run `assistant reindex` to rebuild it (or set ASSISTANT_EMBEDDER back)"
            )

    def _record_dimension(self, dim: int) -> None:
        chunks = self._chunks()
        recorded = (chunks.metadata or {}).get("dim")
        if recorded is None:
            chunks.modify(metadata={**modifiable(chunks.metadata), "dim": dim})
        elif int(recorded) != dim:
            raise EmbedderMismatchError(
                f"the index holds {recorded}-dimensional vectors, but the embedder made {dim}: run `assistant reindex`"
            )

    def _chunks(self):
        return self._connection.collection("chunks")

    def _windows(self):
        return self._connection.collection("windows")

    def _posts(self):
        return self._connection.collection("posts")

    def _guarded(self, call):
        """Run a read: under the thread lock, so no other thread reopens the client mid-call."""
        try:
            with self._thread_lock:
                return call()
        except (EmbedderMismatchError, IndexUnavailableError):
            raise
        except Exception as error:
            raise IndexUnavailableError(self._connection.cannot_read(error)) from None

    # ---- reads ------------------------------------------------------------------------------------------------

    def posts(self) -> dict[str, PostRecord]:
        """Every indexed post by slug."""
        got = self._guarded(lambda: self._posts().get(include=["metadatas"]))
        return {i: records.post_from_record(i, m) for i, m in zip(got["ids"], got["metadatas"], strict=True)}

    def posts_at(self, generation: str) -> dict[str, PostRecord]:
        """``posts()`` read once per generation, for what follows the index by its generation (the retriever's
        lexical index, the chunk vectors): after a write, each would otherwise read every record again.

        ``generation`` must be taken before the call, as the followers do: a write landing during the read then
        moves the generation again, and the next look reads afresh.
        """
        with self._thread_lock:
            if self._followed is None or self._followed[0] != generation:
                self._followed = (generation, self.posts())
            return self._followed[1]

    def chunk_count(self) -> int:
        return self._guarded(lambda: self._chunks().count())

    def all_chunks(self) -> list[Chunk]:
        """Every indexed chunk, in post and position order (the lexical index is built from these)."""
        chunks: list[Chunk] = []
        batch = self.settings.index_batch_size
        for offset in range(0, self.chunk_count(), batch):
            chunks += records.chunks_from_result(
                self._guarded(
                    lambda o=offset: self._chunks().get(
                        include=["documents", "metadatas"], limit=batch, offset=o
                    )
                )
            )
        return sorted(chunks, key=lambda c: (c.post_slug, c.position))

    def chunks_of(self, slug: str) -> list[Chunk]:
        got = self._guarded(
            lambda: self._chunks().get(where={"post": slug}, include=["documents", "metadatas"])
        )
        return sorted(records.chunks_from_result(got), key=lambda c: c.position)

    def get_chunks(self, ids: list[str]) -> dict[str, Chunk]:
        if not ids:
            return {}
        got = self._guarded(lambda: self._chunks().get(ids=ids, include=["documents", "metadatas"]))
        return {c.id: c for c in records.chunks_from_result(got)}

    def query_windows(self, vector: list[float], k: int) -> list[WindowHit]:
        """The ``k`` sentence windows nearest to ``vector``, as (chunk id, cosine similarity)."""
        self.refresh_if_stale()
        # No count() first: it took 10–25 ms at 95,000 windows, more than the search itself, and Chroma
        # returns fewer than ``k`` results (none for an empty collection) without complaint.
        got = self._guarded(
            lambda: self._windows().query(
                query_embeddings=[vector], n_results=k, include=["metadatas", "distances"]
            )
        )
        return [
            WindowHit(*records.window_sentence(m), 1.0 - d)
            for m, d in zip(got["metadatas"][0], got["distances"][0], strict=True)
        ]

    def chunk_similarities(self, vector: list[float], posts: list[str], count: int) -> dict[str, float]:
        """The cosine similarity of ``vector`` to the own vector of every chunk of ``posts`` (``count`` of them).

        The re-ranker's chunk and post signals come from here: the only search of the chunks' own vectors
        (windows are searched for candidates). Only distances travel (Chroma's Python server cannot send vectors
        back), so this works against every backend; the embedded client reads the vectors and computes the
        similarities itself (``vectors``), which is several times quicker than a filtered search. Posts are named
        by a filter rather than chunks by id: a chunk removed by a writer meanwhile is simply not returned, where an
        unknown id is an error.
        """
        if not posts or count < 1:
            return {}
        if not self._connection.on_server:
            return self._guarded(lambda: self._local_chunk_similarities(vector, posts))
        got = self._guarded(
            lambda: self._chunks().query(
                query_embeddings=[vector],
                where={"post": {"$in": posts}},
                n_results=count,
                include=["distances"],
            )
        )
        return {i: 1.0 - d for i, d in zip(got["ids"][0], got["distances"][0], strict=True)}

    def _local_chunk_similarities(self, vector: list[float], posts: list[str]) -> dict[str, float]:
        """``chunk_similarities`` from cached chunk vectors (all chunks of the posts, whatever ``count``)."""
        chunks = self._chunks()
        generation = self.generation()
        self._chunk_vectors.follow(str(chunks.id), generation, lambda: self.posts_at(generation))
        return self._chunk_vectors.similarities(chunks, vector, posts)

    def window_similarities(self, vector: list[float], chunks: list[Chunk]) -> dict[tuple[str, Span], float]:
        """The cosine similarity of ``vector`` to every window of these chunks, by (chunk id, middle sentence)."""
        if not chunks:
            return {}
        if not self._connection.on_server:
            return self._guarded(lambda: vectors.window_similarities(self._windows(), vector, chunks))
        # A chunk owns at most one window per sentence, so this many results cover them all without first
        # counting them (a filtered count cost ~50 ms at 95,000 windows).
        most = sum(len(c.sentences) for c in chunks)
        got = self._guarded(
            lambda: self._windows().query(
                query_embeddings=[vector],
                where={"chunk": {"$in": [c.id for c in chunks]}},
                n_results=most,
                include=["metadatas", "distances"],
            )
        )
        return {
            records.window_sentence(m): 1.0 - d
            for m, d in zip(got["metadatas"][0], got["distances"][0], strict=True)
        }

    def chunk_counts(self) -> dict[str, int]:
        """How many chunks the index holds for each post slug (orphans included)."""
        counts: dict[str, int] = {}
        for slug in self._post_tags(self._chunks()).values():
            counts[slug] = counts.get(slug, 0) + 1
        return counts

    def _post_tags(self, collection) -> dict[str, str]:
        """Every record's post, read in pages: one unbounded ``get`` of ~40,000 records fails in Chroma's SQLite
        ("too many SQL variables")."""
        tags: dict[str, str] = {}
        batch = self.settings.index_batch_size
        for offset in range(0, self._guarded(collection.count), batch):
            got = self._guarded(lambda o=offset: collection.get(include=["metadatas"], limit=batch, offset=o))
            tags.update({i: m.get("post", "") for i, m in zip(got["ids"], got["metadatas"], strict=True)})
        return tags

    # ---- writes (call inside write_lock) ----------------------------------------------------------------------

    def write_post(
        self,
        record: PostRecord,
        chunks: list[Chunk],
        chunk_vectors: list[list[float]],
        windows: list[Window],
        window_vectors: list[list[float]],
    ) -> None:
        """Replace everything indexed for ``record.slug``: all of the new version lands, or none of it."""
        if chunk_vectors:
            self._record_dimension(len(chunk_vectors[0]))
        records.replace_post(
            self._chunks(),
            self._windows(),
            self._posts(),
            record,
            chunks,
            chunk_vectors,
            windows,
            window_vectors,
            self.settings.index_batch_size,
        )

    def delete_post(self, slug: str) -> None:
        """Remove a post: its record first, so a crash halfway leaves orphans that ``ingest`` cleans up."""
        self._posts().delete(ids=[slug])
        self._chunks().delete(where={"post": slug})
        self._windows().delete(where={"post": slug})

    def delete_orphans(self, known_slugs: set[str]) -> int:
        """Delete chunks and windows of posts that have no post record; return how many chunks went."""
        removed = 0
        for kind in ("chunks", "windows"):
            collection = self._connection.collection(kind)
            orphans = [i for i, post in self._post_tags(collection).items() if post not in known_slugs]
            records.delete_batched(collection, orphans, self.settings.index_batch_size)
            removed += len(orphans) if kind == "chunks" else 0
        return removed

    def reset(self) -> None:
        """Drop all collections, so the next write builds them afresh with the configured embedder."""
        self._connection.drop_collections(KINDS)
