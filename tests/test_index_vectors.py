"""Chunk and window similarities computed from the stored vectors equal Chroma's own filtered search, and follow
every post another writer adds, replaces or removes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from answering.blog_corpus import FEEDBACK, WERKDRUK, indexed_corpus, open_engine
from chromadb.config import Settings as ChromaSettings

from assistant.config import Settings
from assistant.engine import Engine
from assistant.index import records

QUESTION = "Hoe geef ik feedback aan een collega?"
# float32 vectors: Chroma's distances and our dot products agree to about 1e-7.
TOLERANCE = 1e-5


@pytest.fixture
def reader(tmp_path: Path, embedder) -> Iterator[Engine]:
    settings = indexed_corpus(tmp_path, embedder)
    (settings.corpus_dir / "werkdruk.md").unlink()  # left for a writer to add
    with open_engine(settings, embedder) as engine:
        engine.ingest(prune=True)
        yield engine


def chroma_collection(settings: Settings, kind: str):
    """The collection as Chroma's own client sees it (left open: closing it would stop the reader's System)."""
    client = chromadb.PersistentClient(
        path=str(settings.chroma_dir), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    )
    return client.get_collection(f"{settings.collection_prefix}_{kind}")


def assert_close(got: dict, expected: dict) -> None:
    assert set(got) == set(expected)
    assert all(abs(got[k] - expected[k]) < TOLERANCE for k in expected)


def every_chunk_similarity(engine: Engine, vector: list[float]) -> dict[str, float]:
    posts = sorted(engine.index.posts())
    return engine.index.chunk_similarities(vector, posts, engine.index.chunk_count())


def test_chunk_similarities_equal_chromas_filtered_search(reader: Engine) -> None:
    vector = reader.embedder.get_query_embedding(QUESTION)
    posts = ["feedback", "vertrouwen"]
    count = sum(len(reader.index.chunks_of(p)) for p in posts)

    got = chroma_collection(reader.settings, "chunks").query(
        query_embeddings=[vector], where={"post": {"$in": posts}}, n_results=count, include=["distances"]
    )

    expected = {i: 1.0 - d for i, d in zip(got["ids"][0], got["distances"][0], strict=True)}
    assert len(expected) == count
    assert_close(reader.index.chunk_similarities(vector, posts, count), expected)


def test_window_similarities_equal_chromas_filtered_search(reader: Engine) -> None:
    vector = reader.embedder.get_query_embedding(QUESTION)
    chunks = reader.index.chunks_of("feedback")[:2] + reader.index.chunks_of("vergaderen")[-1:]

    got = chroma_collection(reader.settings, "windows").query(
        query_embeddings=[vector],
        where={"chunk": {"$in": [c.id for c in chunks]}},
        n_results=sum(len(c.sentences) for c in chunks),
        include=["metadatas", "distances"],
    )

    expected = {
        records.window_sentence(m): 1.0 - d
        for m, d in zip(got["metadatas"][0], got["distances"][0], strict=True)
    }
    assert {chunk_id for chunk_id, _ in expected} == {c.id for c in chunks}
    assert_close(reader.index.window_similarities(vector, chunks), expected)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda corpus: (corpus / "werkdruk.md").write_text(WERKDRUK, encoding="utf-8"), id="added"
        ),
        pytest.param(
            lambda corpus: (corpus / "feedback.md").write_text(
                FEEDBACK.replace("in vier stappen", "in vier stappen, ook bij de werkdruk"), encoding="utf-8"
            ),
            id="replaced",
        ),
        pytest.param(lambda corpus: (corpus / "vergaderen.md").unlink(), id="removed"),
    ],
)
def test_chunk_similarities_follow_a_post_another_writer_changed(reader: Engine, embedder, change) -> None:
    vector = embedder.get_query_embedding(QUESTION)
    before = every_chunk_similarity(reader, vector)  # every post's vectors now cached

    with open_engine(reader.settings, embedder) as writer:
        change(reader.settings.corpus_dir)
        writer.ingest(prune=True)

    with open_engine(reader.settings, embedder) as fresh:
        expected = every_chunk_similarity(fresh, vector)
    assert expected != before
    assert_close(every_chunk_similarity(reader, vector), expected)
