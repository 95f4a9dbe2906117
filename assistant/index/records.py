"""What the index stores: posts, chunks and windows to and from Chroma ids and metadata, and a post's writes.

Chroma keeps a flat metadata dict (str, int, float, bool) beside each vector, so a chunk's sentence spans travel
as JSON. The functions at the end write to collections they are given; nothing here opens a connection.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields

from assistant.chunking import Chunk, Span, Window
from assistant.errors import IndexUnavailableError
from assistant.index.connection import short

# The post record needs a vector only because Chroma stores nothing without one: a record without an embedding
# must carry a document, which then goes through Chroma's default embedding function (a model download).
POST_PLACEHOLDER_VECTOR = [1.0]


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


def newest_first(posts: Iterable[PostRecord]) -> list[PostRecord]:
    """Posts in the order leaders and the coach see them listed: newest first, then by title."""
    return sorted(posts, key=lambda r: (r.date, r.title), reverse=True)


@dataclass(frozen=True)
class WindowHit:
    """A dense match: the chunk, the middle sentence of the matching window, and the cosine similarity."""

    chunk_id: str
    sentence: Span
    similarity: float


_POST_FIELDS = {f.name for f in fields(PostRecord)} - {"slug"}


def post_metadata(record: PostRecord) -> dict[str, object]:
    return {k: v for k, v in asdict(record).items() if k != "slug"}


def post_from_record(slug: str, metadata: dict) -> PostRecord:
    # Only known fields: a key a later version adds must not stop this one from listing the posts.
    return PostRecord(slug=slug, **{k: v for k, v in metadata.items() if k in _POST_FIELDS})


def chunk_metadata(chunk: Chunk) -> dict[str, object]:
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


def chunk_from_record(chunk_id: str, text: str, metadata: dict) -> Chunk:
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


def chunks_from_result(got: dict) -> list[Chunk]:
    """The chunks of a Chroma ``get`` that included documents and metadatas."""
    return [
        chunk_from_record(i, d, m)
        for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    ]


def window_id(slug: str, window: Window) -> str:
    """Unique per post: a chunk owns at most one window per middle sentence."""
    return f"{slug}:w{window.sentence.start}-{window.sentence.end}:{window.chunk_id.rsplit(':', 1)[-1]}"


def window_metadata(slug: str, window: Window) -> dict[str, object]:
    return {
        "post": slug,
        "chunk": window.chunk_id,
        "start": window.sentence.start,
        "end": window.sentence.end,
    }


def window_sentence(metadata: dict) -> tuple[str, Span]:
    """The chunk and middle sentence a window's metadata names."""
    return metadata["chunk"], Span(int(metadata["start"]), int(metadata["end"]))


def upsert_batched(collection, ids, embeddings, documents, metadatas, batch: int) -> None:
    """Upsert in calls of at most ``batch`` records (Settings.index_batch_size: Chroma refuses larger calls)."""
    for start in range(0, len(ids), batch):
        end = start + batch
        collection.upsert(
            ids=ids[start:end],
            embeddings=embeddings[start:end],
            documents=documents[start:end],
            metadatas=metadatas[start:end],
        )


def delete_batched(collection, ids: list[str], batch: int) -> None:
    for start in range(0, len(ids), batch):
        collection.delete(ids=ids[start : start + batch])


def replace_post(
    chunk_coll,
    window_coll,
    post_coll,
    record: PostRecord,
    chunks: list[Chunk],
    chunk_vectors: list[list[float]],
    windows: list[Window],
    window_vectors: list[list[float]],
    batch: int,
) -> None:
    """Replace everything indexed for ``record.slug``: all of the new version lands, or none of it.

    New records go in first, then the old version's leftovers go, then the post record (the commit mark).
    A failure while adding removes what was added, leaving the old version as it was.
    """
    old_chunks = set(chunk_coll.get(where={"post": record.slug}, include=[])["ids"])
    old_windows = set(window_coll.get(where={"post": record.slug}, include=[])["ids"])
    chunk_ids = [c.id for c in chunks]
    window_ids = [window_id(record.slug, w) for w in windows]
    try:
        upsert_batched(
            chunk_coll,
            chunk_ids,
            chunk_vectors,
            [c.text for c in chunks],
            [chunk_metadata(c) for c in chunks],
            batch,
        )
        upsert_batched(
            window_coll,
            window_ids,
            window_vectors,
            [w.text for w in windows],
            [window_metadata(record.slug, w) for w in windows],
            batch,
        )
    except Exception as error:
        with contextlib.suppress(Exception):
            delete_batched(chunk_coll, [c for c in chunk_ids if c not in old_chunks], batch)
            delete_batched(window_coll, [w for w in window_ids if w not in old_windows], batch)
        raise IndexUnavailableError(
            f"indexing {record.slug} failed, nothing changed: {short(error)}"
        ) from None
    delete_batched(chunk_coll, sorted(old_chunks - set(chunk_ids)), batch)
    delete_batched(window_coll, sorted(old_windows - set(window_ids)), batch)
    post_coll.upsert(
        ids=[record.slug], embeddings=[POST_PLACEHOLDER_VECTOR], metadatas=[post_metadata(record)]
    )
