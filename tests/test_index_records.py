"""Posts, chunks and windows survive the trip to Chroma metadata and back; a post is written all or nothing."""

from __future__ import annotations

import pytest

from assistant.chunking import Chunk, Span, Window
from assistant.config import Settings
from assistant.errors import IndexUnavailableError
from assistant.index import ChromaIndex, PostRecord, records

CHUNK = Chunk(
    id="vertrouwen:0",
    post_slug="vertrouwen",
    post_title="Vertrouwen",
    section="Bouwstenen",
    section_index=1,
    position=0,
    start=12,
    end=80,
    text="Dat zijn de bouwstenen. Mensen vertrouwen je.",
    sentences=(Span(12, 35), Span(36, 80)),
    author="Coach",
    date="2026-01-05",
    url="https://example.org/vertrouwen",
)


def test_a_chunk_reads_back_equal_to_what_was_written():
    assert records.chunk_from_record(CHUNK.id, CHUNK.text, records.chunk_metadata(CHUNK)) == CHUNK


def test_a_post_record_reads_back_equal_to_what_was_written():
    record = PostRecord(
        slug="vertrouwen", title="Vertrouwen", content_hash="abc", chunks=1, mean_vector_norm=0.8
    )

    assert records.post_from_record(record.slug, records.post_metadata(record)) == record


def test_a_post_record_with_a_field_this_version_does_not_know_still_reads():
    metadata = {**records.post_metadata(PostRecord(slug="p", title="P", content_hash="abc")), "later": 1}

    assert records.post_from_record("p", metadata).title == "P"


def test_window_ids_differ_for_each_middle_sentence_of_a_chunk():
    windows = [Window(CHUNK.id, s, "tekst") for s in CHUNK.sentences]

    assert len({records.window_id(CHUNK.post_slug, w) for w in windows}) == len(windows)


def test_a_post_whose_windows_fail_to_write_leaves_no_chunks_behind(tmp_path):
    index = ChromaIndex(Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus"), "test")
    record = PostRecord(slug="vertrouwen", title="Vertrouwen", content_hash="abc", chunks=1)
    window = Window(CHUNK.id, CHUNK.sentences[0], "Dat zijn de bouwstenen.")

    with pytest.raises(IndexUnavailableError, match="nothing changed"), index.write_lock():
        # A window without its vector: Chroma refuses the windows after the chunk went in.
        index.write_post(record, [CHUNK], [[1.0, 0.0, 0.0]], [window], [])

    assert index.chunk_count() == 0
    assert index.posts() == {}
