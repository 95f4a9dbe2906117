"""Keep the index in step with the corpus: embed new and changed posts, drop removed ones.

Embedding happens outside the write lock (it is the slow part); each post is then written under the lock in one
all-or-nothing step, so a running web app keeps answering while a large ingest goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from llama_index.core.embeddings import BaseEmbedding

from assistant.chunking import Chunk, Window, chunk_post, sentence_windows
from assistant.corpus.model import Post
from assistant.errors import BadInputError
from assistant.index import ChromaIndex, PostRecord

# progress(description, done, total): front ends draw a bar from it.
Progress = Callable[[str, int, int], None]


@dataclass
class IngestReport:
    """What an ingest did, for the CLI to print and the tests to check."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[BadInputError] = field(default_factory=list)
    chunks_written: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0


@dataclass
class EmbeddedPost:
    """A post ready to write: its chunks and windows with their vectors."""

    record: PostRecord
    chunks: list[Chunk]
    chunk_vectors: list[list[float]]
    windows: list[Window]
    window_vectors: list[list[float]]


@dataclass(frozen=True)
class PreparedPost:
    """A post cut into chunks and sentence windows, ready to embed (the cutting is done once)."""

    post: Post
    chunks: list[Chunk]
    windows: list[Window]


def prepare(post: Post) -> PreparedPost:
    chunks = chunk_post(post)
    return PreparedPost(post, chunks, sentence_windows(chunks, post.text))


def embed_post(
    prepared: PreparedPost,
    embedder: BaseEmbedding,
    file: str = "",
    progress: Callable[[int], None] | None = None,
) -> EmbeddedPost:
    """Embed a prepared post's sentence windows; a chunk's vector is the normalized mean of its windows'."""
    post, chunks, windows = prepared.post, prepared.chunks, prepared.windows
    vectors: list[list[float]] = []
    texts = [w.text for w in windows]
    batch = embedder.embed_batch_size  # Settings.embed_batch_size, given to the embedder when it was made
    for start in range(0, len(texts), batch):
        vectors += embedder.get_text_embedding_batch(texts[start : start + batch])
        if progress:
            progress(min(start + batch, len(texts)))
    by_chunk: dict[str, list[list[float]]] = {}
    for window, vector in zip(windows, vectors, strict=True):
        by_chunk.setdefault(window.chunk_id, []).append(vector)
    chunk_vectors = [_normalized_mean(by_chunk[c.id]) for c in chunks]
    mean_vector_norm = float(np.linalg.norm(np.asarray(chunk_vectors, dtype=np.float32).mean(axis=0)))
    record = PostRecord(
        slug=post.slug,
        title=post.title,
        content_hash=post.content_hash(),
        date=post.date,
        url=post.url,
        author=post.author,
        sections=len(post.sections),
        chunks=len(chunks),
        file=file,
        mean_vector_norm=round(mean_vector_norm, 6) or 1.0,
    )
    return EmbeddedPost(record, chunks, chunk_vectors, windows, vectors)


def _normalized_mean(vectors: list[list[float]]) -> list[float]:
    mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean)) or 1.0
    return (mean / norm).tolist()


def write_embedded(
    index: ChromaIndex, embedded: EmbeddedPost, on_wait: Callable[[], None] | None = None
) -> None:
    with index.write_lock(on_wait):
        index.write_post(
            embedded.record,
            embedded.chunks,
            embedded.chunk_vectors,
            embedded.windows,
            embedded.window_vectors,
        )


def sync(
    index: ChromaIndex,
    embedder: BaseEmbedding,
    posts: dict[str, Post],
    files: dict[str, str],
    *,
    removed_slugs: set[str] = frozenset(),
    force: set[str] = frozenset(),
    progress: Progress | None = None,
    on_wait: Callable[[], None] | None = None,
) -> IngestReport:
    """Index the posts whose content changed (or in ``force``) and remove ``removed_slugs``.

    An unchanged post costs one hash; ``force`` re-indexes posts whose index records look damaged.
    """
    started = time.perf_counter()
    report = IngestReport()
    indexed = index.posts()
    todo = [
        p
        for p in posts.values()
        if p.slug in force or p.slug not in indexed or indexed[p.slug].content_hash != p.content_hash()
    ]
    report.unchanged = sorted(set(posts) - {p.slug for p in todo})
    prepared_posts = [prepare(p) for p in todo]
    total_windows = sum(len(p.windows) for p in prepared_posts)
    done = 0
    for prepared in prepared_posts:
        post = prepared.post
        embed_started = time.perf_counter()

        def advance(count: int, base: int = done, slug: str = post.slug) -> None:
            if progress:
                progress(f"embedding {slug}", base + count, total_windows)

        embedded = embed_post(prepared, embedder, files.get(post.slug, ""), advance)
        report.embed_seconds += time.perf_counter() - embed_started
        done += len(embedded.windows)
        write_embedded(index, embedded, on_wait)
        (report.updated if post.slug in indexed else report.added).append(post.slug)
        report.chunks_written += len(embedded.chunks)
    if removed_slugs:
        with index.write_lock(on_wait):
            for slug in sorted(removed_slugs):
                index.delete_post(slug)
            index.delete_orphans(set(index.posts()))
        report.removed = sorted(removed_slugs)
    report.seconds = time.perf_counter() - started
    return report
