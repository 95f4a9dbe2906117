"""Chroma, embedded or server: chunks, their sentence windows, and one record per indexed post.

The only module that talks to Chroma. Writers hold a file lock and bump a generation stamp; readers reopen
their client when the stamp moved, because an embedded Chroma client does not see another process's writes.

    index = ChromaIndex(settings, embedding_name="e5-small")
    index.write_post(record, chunks, chunk_vectors, windows, window_vectors)
    hits = index.query_windows(vector, k=40)
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

import chromadb
from chromadb.config import Settings as ChromaSettings
from filelock import FileLock, Timeout

from assistant.chunking import Chunk, Span, Window
from assistant.config import Settings
from assistant.errors import EmbedderMismatchError, IndexBusyError, IndexUnavailableError

log = logging.getLogger(__name__)

_BATCH = 1000


@dataclass(frozen=True)
class PostRecord:
    """What the index remembers of a post: enough to list it and to tell whether it changed."""

    slug: str
    title: str
    content_hash: str
    date: str = ""
    url: str = ""
    author: str = ""
    sections: int = 0
    chunks: int = 0
    file: str = ""
    # The length of the mean of the post's chunk vectors: the post's vector is that mean divided by this, so
    # its similarity to a question follows from the chunks' similarities (see ``chunk_similarities``).
    mean_vector_norm: float = 1.0


@dataclass(frozen=True)
class WindowHit:
    """A dense match: the chunk, the middle sentence of the matching window, and the cosine similarity."""

    chunk_id: str
    sentence: Span
    similarity: float


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
        self._lock_path = settings.data_dir / "index.lock"
        self._stamp_path = settings.data_dir / "generation"
        self._thread_lock = threading.RLock()
        self._client: chromadb.ClientAPI | None = None
        self._collections: dict[str, chromadb.Collection] = {}
        self._seen_generation = ""
        self._connect(set_aside_broken)

    # ---- connection -------------------------------------------------------------------------------------------

    def _connect(self, set_aside_broken: bool = False) -> None:
        self._seen_generation = self.generation()
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
        try:
            if self.settings.chroma_host:
                if self.settings.chroma_token:
                    chroma_settings.chroma_client_auth_provider = (
                        "chromadb.auth.token_authn.TokenAuthClientProvider"
                    )
                    chroma_settings.chroma_client_auth_credentials = (
                        self.settings.chroma_token.get_secret_value()
                    )
                self._client = chromadb.HttpClient(
                    host=self.settings.chroma_host, port=self.settings.chroma_port, settings=chroma_settings
                )
            else:
                self._client = chromadb.PersistentClient(
                    path=str(self.settings.chroma_dir), settings=chroma_settings
                )
                self._client.heartbeat()
                self._client.list_collections()
        except Exception as error:
            self.close()
            self._forget_broken_system()
            if set_aside_broken and not self.settings.chroma_host:
                self._set_aside_broken_folder()
                return self._connect()
            raise IndexUnavailableError(self._unavailable(error)) from None
        if self._check_embedder_on_open:
            self._check_embedder()

    def _forget_broken_system(self) -> None:
        # chromadb caches one System per folder and registers it before starting it; when starting fails (a
        # damaged folder) the broken System stays cached and every later client for that folder gets it.
        from chromadb.api.shared_system_client import SharedSystemClient

        if not self.settings.chroma_host:
            SharedSystemClient._identifier_to_system.pop(str(self.settings.chroma_dir), None)

    def _unavailable(self, error: Exception) -> str:
        if self.settings.chroma_host:
            if any(word in str(error) for word in ("Forbidden", "Unauthorized", "401", "403")):
                return f"the {self._where()} refused access: check ASSISTANT_CHROMA_TOKEN"
            return f"the {self._where()} cannot be reached ({_short(error)}): is it running?"
        return (
            f"the index in {self._where()} cannot be opened ({_short(error)}); the corpus is intact: "
            "run `assistant reindex` to rebuild the index from it"
        )

    def _set_aside_broken_folder(self) -> None:
        """Move a damaged embedded index out of the way (kept for inspection) so a fresh one can be built."""
        self.close()
        broken = self.settings.chroma_dir.with_name(f"chroma.broken-{uuid.uuid4().hex[:8]}")
        if self.settings.chroma_dir.exists():
            os.replace(self.settings.chroma_dir, broken)
            log.warning("the damaged index was moved to %s", broken)

    def _where(self) -> str:
        if self.settings.chroma_host:
            return f"Chroma server {self.settings.chroma_host}:{self.settings.chroma_port}"
        return str(self.settings.chroma_dir)

    def close(self) -> None:
        if self._client is not None and not self.settings.chroma_host:
            with contextlib.suppress(Exception):
                self._client.close()
        self._client = None
        self._collections = {}

    def refresh_if_stale(self) -> bool:
        """Reopen the client if another process wrote since we opened it; return whether it did."""
        with self._thread_lock:
            if self.generation() == self._seen_generation:
                return False
            self.close()
            self._connect()
            return True

    def generation(self) -> str:
        """The stamp writers bump: a file beside the embedded index, a collection's metadata on a server."""
        if self.settings.chroma_host and self._client is not None:
            with contextlib.suppress(Exception):
                posts = self._client.get_collection(f"{self.settings.collection_prefix}_posts")
                return str((posts.metadata or {}).get("generation", ""))
        try:
            return self._stamp_path.read_text()
        except FileNotFoundError:
            return ""

    def _bump_generation(self) -> None:
        stamp = uuid.uuid4().hex
        temporary = self._stamp_path.with_suffix(".tmp")
        temporary.write_text(stamp)
        os.replace(temporary, self._stamp_path)
        if self.settings.chroma_host:
            posts = self._posts()
            posts.modify(metadata={**_modifiable(posts.metadata), "generation": stamp})
        self._seen_generation = self.generation()

    @contextlib.contextmanager
    def write_lock(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the cross-process write lock; ``on_wait`` is called once if another process holds it."""
        lock = FileLock(str(self._lock_path))
        try:
            lock.acquire(timeout=0.2)
        except Timeout:
            if on_wait:
                on_wait()
            try:
                lock.acquire(timeout=self.settings.lock_timeout_s)
            except Timeout:
                raise IndexBusyError(
                    f"the index is busy: another process has held {self._lock_path} for over "
                    f"{self.settings.lock_timeout_s:.0f} s; try again later"
                ) from None
        try:
            with self._thread_lock:
                self.refresh_if_stale()
                yield
                self._bump_generation()
        finally:
            lock.release()

    # ---- collections ------------------------------------------------------------------------------------------

    def _collection(self, kind: str, space: str = "cosine"):
        """The collection, looked up once per connection (a lookup is a database or HTTP round trip)."""
        if kind in self._collections:
            return self._collections[kind]
        name = f"{self.settings.collection_prefix}_{kind}"
        metadata = {"hnsw:space": space, "embedder": self.embedding_name}
        try:
            collection = self._client.get_or_create_collection(
                name, metadata=metadata, embedding_function=None
            )
        except Exception as error:
            raise IndexUnavailableError(f"cannot read the index ({self._where()}): {_short(error)}") from None
        self._collections[kind] = collection
        return collection

    def _chunks(self):
        return self._collection("chunks")

    def _windows(self):
        return self._collection("windows")

    def _posts(self):
        return self._collection("posts", space="l2")

    def _check_embedder(self) -> None:
        metadata = self._chunks().metadata or {}
        built_with = metadata.get("embedder")
        if built_with and built_with != self.embedding_name:
            raise EmbedderMismatchError(
                f"the index was built with the {built_with} embedder, but {self.embedding_name} is configured: "
                "run `assistant reindex` to rebuild it (or set ASSISTANT_EMBEDDER back)"
            )

    def _record_dimension(self, dim: int) -> None:
        chunks = self._chunks()
        recorded = (chunks.metadata or {}).get("dim")
        if recorded is None:
            chunks.modify(metadata={**_modifiable(chunks.metadata), "dim": dim})
        elif int(recorded) != dim:
            raise EmbedderMismatchError(
                f"the index holds {recorded}-dimensional vectors, but the embedder made {dim}: run `assistant reindex`"
            )

    # ---- reads ------------------------------------------------------------------------------------------------

    def posts(self) -> dict[str, PostRecord]:
        """Every indexed post by slug."""
        result = self._guarded(lambda: self._posts().get(include=["metadatas"]))
        return {i: PostRecord(slug=i, **m) for i, m in zip(result["ids"], result["metadatas"], strict=True)}

    def chunk_count(self) -> int:
        return self._guarded(lambda: self._chunks().count())

    def all_chunks(self) -> list[Chunk]:
        """Every indexed chunk, in post and position order (the lexical index is built from these)."""
        chunks: list[Chunk] = []
        total = self.chunk_count()
        for offset in range(0, total, _BATCH):
            got = self._guarded(
                lambda o=offset: self._chunks().get(
                    include=["documents", "metadatas"], limit=_BATCH, offset=o
                )
            )
            chunks += [
                _chunk_from_record(i, d, m)
                for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            ]
        return sorted(chunks, key=lambda c: (c.post_slug, c.position))

    def chunks_of(self, slug: str) -> list[Chunk]:
        got = self._guarded(
            lambda: self._chunks().get(where={"post": slug}, include=["documents", "metadatas"])
        )
        chunks = [
            _chunk_from_record(i, d, m)
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]
        return sorted(chunks, key=lambda c: c.position)

    def get_chunks(self, ids: list[str]) -> dict[str, Chunk]:
        if not ids:
            return {}
        got = self._guarded(lambda: self._chunks().get(ids=ids, include=["documents", "metadatas"]))
        return {
            i: _chunk_from_record(i, d, m)
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }

    def query_windows(self, vector: list[float], k: int) -> list[WindowHit]:
        """The ``k`` sentence windows nearest to ``vector``, as (chunk id, cosine similarity)."""
        self.refresh_if_stale()

        def query() -> dict:
            # No count() first: it took 10–25 ms at 95,000 windows, more than the search itself, and Chroma
            # returns fewer than ``k`` results (none for an empty collection) without complaint.
            return self._windows().query(
                query_embeddings=[vector], n_results=k, include=["metadatas", "distances"]
            )

        got = self._guarded(query)
        return [
            WindowHit(m["chunk"], Span(int(m["start"]), int(m["end"])), 1.0 - d)
            for m, d in zip(got["metadatas"][0], got["distances"][0], strict=True)
        ]

    def chunk_similarities(self, vector: list[float], posts: list[str], count: int) -> dict[str, float]:
        """The cosine similarity of ``vector`` to the own vector of every chunk of ``posts`` (``count`` of them).

        Only distances travel (Chroma's Python server cannot send vectors back), so this works against every
        backend. Posts are named by a filter rather than chunks by id: a chunk removed by a writer meanwhile is
        simply not returned, where an unknown id is an error.
        """
        if not posts or count < 1:
            return {}

        def query() -> dict:
            return self._chunks().query(
                query_embeddings=[vector],
                where={"post": {"$in": posts}},
                n_results=count,
                include=["distances"],
            )

        got = self._guarded(query)
        return {i: 1.0 - d for i, d in zip(got["ids"][0], got["distances"][0], strict=True)}

    def window_similarities(self, vector: list[float], chunks: list[Chunk]) -> dict[tuple[str, Span], float]:
        """The cosine similarity of ``vector`` to every window of these chunks, by (chunk id, middle sentence)."""
        if not chunks:
            return {}
        # A chunk owns at most one window per sentence, so this many results cover them all without first
        # counting them (a filtered count cost ~50 ms at 95,000 windows).
        most = sum(len(c.sentences) for c in chunks)

        def query() -> dict:
            return self._windows().query(
                query_embeddings=[vector],
                where={"chunk": {"$in": [c.id for c in chunks]}},
                n_results=most,
                include=["metadatas", "distances"],
            )

        got = self._guarded(query)
        return {
            (m["chunk"], Span(int(m["start"]), int(m["end"]))): 1.0 - d
            for m, d in zip(got["metadatas"][0], got["distances"][0], strict=True)
        }

    def _guarded(self, call):
        """Run a read: under the thread lock, so no other thread reopens the client mid-call."""
        try:
            with self._thread_lock:
                return call()
        except (EmbedderMismatchError, IndexUnavailableError):
            raise
        except Exception as error:
            raise IndexUnavailableError(f"cannot read the index ({self._where()}): {_short(error)}") from None

    # ---- writes (call inside write_lock) ----------------------------------------------------------------------

    def write_post(
        self,
        record: PostRecord,
        chunks: list[Chunk],
        chunk_vectors: list[list[float]],
        windows: list[Window],
        window_vectors: list[list[float]],
    ) -> None:
        """Replace everything indexed for ``record.slug``: all of the new version lands, or none of it.

        New records go in first, then the old version's leftovers go, then the post record (the commit mark).
        A failure while adding removes what was added, leaving the old version as it was.
        """
        if chunk_vectors:
            self._record_dimension(len(chunk_vectors[0]))
        chunk_coll, window_coll = self._chunks(), self._windows()
        old_chunks = set(chunk_coll.get(where={"post": record.slug}, include=[])["ids"])
        old_windows = set(window_coll.get(where={"post": record.slug}, include=[])["ids"])
        window_ids = [
            f"{record.slug}:w{w.sentence.start}-{w.sentence.end}:{w.chunk_id.rsplit(':', 1)[-1]}"
            for w in windows
        ]
        try:
            _upsert(
                chunk_coll,
                [c.id for c in chunks],
                chunk_vectors,
                [c.text for c in chunks],
                [_chunk_metadata(c) for c in chunks],
            )
            _upsert(
                window_coll,
                window_ids,
                window_vectors,
                [w.text for w in windows],
                [
                    {
                        "post": record.slug,
                        "chunk": w.chunk_id,
                        "start": w.sentence.start,
                        "end": w.sentence.end,
                    }
                    for w in windows
                ],
            )
        except Exception as error:
            with contextlib.suppress(Exception):
                _delete(chunk_coll, [c.id for c in chunks if c.id not in old_chunks])
                _delete(window_coll, [w for w in window_ids if w not in old_windows])
            raise IndexUnavailableError(
                f"indexing {record.slug} failed, nothing changed: {_short(error)}"
            ) from None
        _delete(chunk_coll, sorted(old_chunks - {c.id for c in chunks}))
        _delete(window_coll, sorted(old_windows - set(window_ids)))
        metadata = {k: v for k, v in asdict(record).items() if k != "slug"}
        self._posts().upsert(ids=[record.slug], embeddings=[[1.0]], metadatas=[metadata])

    def delete_post(self, slug: str) -> None:
        """Remove a post: its record first, so a crash halfway leaves orphans that ``ingest`` cleans up."""
        self._posts().delete(ids=[slug])
        self._chunks().delete(where={"post": slug})
        self._windows().delete(where={"post": slug})

    def chunk_counts(self) -> dict[str, int]:
        """How many chunks the index holds for each post slug (orphans included)."""
        counts: dict[str, int] = {}
        for metadata in self._post_tags(self._chunks()).values():
            counts[metadata] = counts.get(metadata, 0) + 1
        return counts

    def _post_tags(self, collection) -> dict[str, str]:
        got = self._guarded(lambda: collection.get(include=["metadatas"]))
        return {i: m.get("post", "") for i, m in zip(got["ids"], got["metadatas"], strict=True)}

    def delete_orphans(self, known_slugs: set[str]) -> int:
        """Delete chunks and windows of posts that have no post record; return how many chunks went."""
        removed = 0
        for collection in (self._chunks(), self._windows()):
            orphans = [i for i, post in self._post_tags(collection).items() if post not in known_slugs]
            _delete(collection, orphans)
            removed += len(orphans) if collection.name.endswith("_chunks") else 0
        return removed

    def reset(self) -> None:
        """Drop all collections, so the next write builds them afresh with the configured embedder."""
        self._collections = {}
        for kind in ("chunks", "windows", "posts"):
            with contextlib.suppress(Exception):
                self._client.delete_collection(f"{self.settings.collection_prefix}_{kind}")


def _upsert(collection, ids, embeddings, documents, metadatas) -> None:
    for start in range(0, len(ids), _BATCH):
        end = start + _BATCH
        collection.upsert(
            ids=ids[start:end],
            embeddings=embeddings[start:end],
            documents=documents[start:end],
            metadatas=metadatas[start:end],
        )


def _delete(collection, ids: list[str]) -> None:
    for start in range(0, len(ids), _BATCH):
        collection.delete(ids=ids[start : start + _BATCH])


def _chunk_metadata(chunk: Chunk) -> dict[str, object]:
    return {
        "post": chunk.post_slug,
        "title": chunk.post_title,
        "section": chunk.section,
        "section_index": chunk.section_index,
        "position": chunk.position,
        "start": chunk.start,
        "end": chunk.end,
        "sentences": json.dumps([[s.start, s.end] for s in chunk.sentences]),
        "author": chunk.author,
        "date": chunk.date,
        "url": chunk.url,
    }


def _chunk_from_record(chunk_id: str, text: str, metadata: dict) -> Chunk:
    return Chunk(
        id=chunk_id,
        post_slug=metadata["post"],
        post_title=metadata["title"],
        section=metadata["section"],
        section_index=int(metadata["section_index"]),
        position=int(metadata["position"]),
        start=int(metadata["start"]),
        end=int(metadata["end"]),
        text=text,
        sentences=tuple(Span(s, e) for s, e in json.loads(metadata["sentences"])),
        author=metadata.get("author", ""),
        date=metadata.get("date", ""),
        url=metadata.get("url", ""),
    )


def _modifiable(metadata: dict | None) -> dict:
    # Chroma refuses a modify() that repeats the distance setting, even unchanged.
    return {k: v for k, v in (metadata or {}).items() if not k.startswith("hnsw:")}


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:200]
