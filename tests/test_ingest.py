"""Ingest keeps the index in step with the corpus folder: new, changed, unchanged, removed and broken posts; an
edited post embeds only its changed sentence windows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import post_md
from llama_index.core.embeddings import BaseEmbedding
from pydantic import PrivateAttr

from assistant.bilingual import corpus_words
from assistant.chunking import chunk_post
from assistant.embedding_cache import CachedEmbedding, EmbeddingCache
from assistant.engine import Engine
from assistant.errors import BadInputError
from assistant.ingest import prepare

TEAM = post_md(
    "Vertrouwen in het team",
    {
        "": ["Vertrouwen groeit in kleine momenten. Een schoolleider die luistert, bouwt aan verbinding."],
        "Luisteren": ["Luisteren is meer dan zwijgen. Je vraagt door en je wacht met oplossingen."],
        "Fouten maken": ["Wie fouten durft te benoemen, maakt het veilig. Zo ontstaat een lerende cultuur."],
    },
)
FEEDBACK = post_md(
    "Feedback geven",
    {
        "": ["Goede feedback is concreet. Je noemt wat je zag en wat het met je deed."],
        "Ritme": ["Geef feedback vaak en klein. Een jaarlijks gesprek is te laat."],
    },
)
KOFFIE = post_md(
    "Het gesprek bij de koffieautomaat",
    {"": ["Bij de koffieautomaat hoor je wat er speelt. Daar delen collega's hun zorgen over roosters."]},
)
FIETS = post_md(
    "Het gesprek bij de koffieautomaat",
    {"": ["Op de fiets naar school denk je na over de dag. Onderweg ordenen de gedachten zich vanzelf."]},
)


class FailsAfter(BaseEmbedding):
    """The real embedder, until ``batches`` batches have been embedded; then it raises, like a dropped server."""

    _inner: BaseEmbedding = PrivateAttr()
    _batches_left: int = PrivateAttr()

    def __init__(self, inner: BaseEmbedding, batches: int, **kwargs: Any) -> None:
        super().__init__(model_name="fails-after", embed_batch_size=16, **kwargs)
        self._inner = inner
        self._batches_left = batches

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        if self._batches_left == 0:
            raise RuntimeError("the embedder went away")
        self._batches_left -= 1
        return self._inner.get_text_embedding_batch(texts)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._inner.get_query_embedding(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def chunk_texts(engine: Engine, slug: str) -> list[str]:
    return [c.text for c in engine.index.chunks_of(slug)]


def test_ingest_indexes_new_posts_with_their_section_and_chunk_counts(engine, write_files):
    write_files({"team.md": TEAM, "feedback.md": FEEDBACK})

    report = engine.ingest()

    assert sorted(report.added) == ["feedback", "team"]
    posts = {p.slug: p for p in engine.posts()}
    assert (posts["team"].title, posts["team"].sections, posts["team"].chunks) == (
        "Vertrouwen in het team",
        3,
        3,
    )
    assert (posts["feedback"].sections, posts["feedback"].chunks) == (2, 2)
    assert len(engine.index.chunks_of("team")) == 3
    assert report.chunks_written == 5


def test_reingest_of_unchanged_corpus_writes_nothing(engine, write_files):
    write_files({"team.md": TEAM, "feedback.md": FEEDBACK})
    engine.ingest()
    generation = engine.index.generation()

    report = engine.ingest()

    assert (report.added, report.updated, report.removed) == ([], [], [])
    assert report.unchanged == ["feedback", "team"]
    assert report.chunks_written == 0
    assert engine.index.generation() == generation


def test_changed_post_is_reindexed_and_its_old_chunks_are_gone(engine, write_files, embedder):
    corpus = write_files({"koffie.md": KOFFIE, "team.md": TEAM})
    engine.ingest()
    write_files({"koffie.md": FIETS})

    report = engine.ingest()

    assert report.updated == ["koffie"]
    assert report.unchanged == ["team"]
    new_version = engine.corpus.load(corpus / "koffie.md")
    assert chunk_texts(engine, "koffie") == [c.text for c in chunk_post(new_version)]
    assert not any("koffieautomaat hoor" in text for text in chunk_texts(engine, "koffie"))
    # No sentence window of the old version is left to lead a query to a chunk that is gone.
    current = {c.id for c in engine.index.all_chunks()}
    hits = engine.index.query_windows(embedder.get_query_embedding("zorgen over roosters"), k=100)
    assert {h.chunk_id for h in hits} <= current


def test_prune_removes_posts_whose_file_left_the_corpus(engine, write_files):
    corpus = write_files({"team.md": TEAM, "feedback.md": FEEDBACK})
    engine.ingest()
    (corpus / "feedback.md").unlink()

    report = engine.ingest(prune=True)

    assert report.removed == ["feedback"]
    assert [p.slug for p in engine.posts()] == ["team"]
    assert engine.index.chunks_of("feedback") == []


def test_without_prune_posts_whose_file_left_the_corpus_stay(engine, write_files):
    corpus = write_files({"team.md": TEAM, "feedback.md": FEEDBACK})
    engine.ingest()
    (corpus / "feedback.md").unlink()

    report = engine.ingest()

    assert report.removed == []
    assert sorted(p.slug for p in engine.posts()) == ["feedback", "team"]
    assert len(engine.index.chunks_of("feedback")) == 2


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("leeg.md", "", "empty"),
        ("zonder-titel.md", "Alleen tekst, geen titel en geen kop.\n", "no title"),
    ],
    ids=["empty", "no-title"],
)
def test_broken_file_is_reported_and_the_other_posts_are_still_indexed(
    engine, write_files, name, content, problem
):
    write_files({"team.md": TEAM, name: content, "feedback.md": FEEDBACK})

    report = engine.ingest()

    assert [Path(e.source).name for e in report.errors] == [name]
    assert problem in report.errors[0].problem
    assert sorted(report.added) == ["feedback", "team"]
    assert sorted(p.slug for p in engine.posts()) == ["feedback", "team"]


def test_ingest_of_a_path_outside_the_corpus_raises_bad_input(engine, write_files, tmp_path):
    write_files({"team.md": TEAM})
    outside = write_files({"elders.md": FEEDBACK}, tmp_path / "downloads") / "elders.md"

    with pytest.raises(BadInputError, match="outside the corpus"):
        engine.ingest([outside])

    assert engine.posts() == []


def test_ingest_of_one_file_indexes_only_that_post(engine, write_files):
    corpus = write_files({"team.md": TEAM, "feedback.md": FEEDBACK})

    report = engine.ingest([corpus / "team.md"])

    assert report.added == ["team"]
    assert [p.slug for p in engine.posts()] == ["team"]


def test_embedder_failure_halfway_through_a_post_leaves_the_index_as_before(
    engine, settings, embedder, write_files
):
    long_version = post_md(
        "Het gesprek bij de koffieautomaat",
        {"": [" ".join(f"Gesprek nummer {i} ging over het rooster van de school." for i in range(24))]},
    )
    write_files({"koffie.md": KOFFIE, "team.md": TEAM})
    engine.ingest()
    query = embedder.get_query_embedding("koffieautomaat")

    def snapshot() -> tuple:
        hits = engine.index.query_windows(query, k=1000)
        return engine.posts(), [c.id for c in engine.index.all_chunks()], sorted(h.chunk_id for h in hits)

    before = snapshot()
    write_files({"koffie.md": long_version})  # 24 sentences: two batches of windows to embed
    failing = Engine(settings, embedder=FailsAfter(embedder, batches=1))

    with pytest.raises(RuntimeError, match="the embedder went away"):
        failing.ingest()

    failing.index.close()
    assert snapshot() == before


# ---- the embedding cache: an edited post embeds only what changed ---------------------------------------------

LEIDERSCHAP = post_md(
    "Leiderschap in kleine stappen",
    {
        "": [
            "Leiderschap begint bij jezelf. Je laat zien wat je belangrijk vindt. Anderen kijken mee.",
            "Een team volgt wat je doet. Het hoort pas daarna wat je zegt. Dat vraagt geduld.",
        ],
        "Ritme": [
            "Een vast ritme geeft rust. Het overleg begint op tijd. Iedereen weet wat er komt.",
            "Wie het ritme bewaakt, maakt ruimte voor inhoud. Zo blijft er tijd voor de lastige vragen.",
        ],
    },
)


def window_texts(engine: Engine, slug: str) -> set[str]:
    return {w.text for w in prepare(engine.corpus.scan().posts[slug]).windows}


def post_words(engine: Engine, slug: str) -> list[str]:
    post = engine.corpus.scan().posts[slug]
    return corpus_words([f"{post.title}\n{post.text}"])


def test_the_engines_own_embedder_keeps_its_vectors_in_the_data_folder(settings, write_files):
    write_files({"leiderschap.md": LEIDERSCHAP})
    engine = Engine(settings)

    engine.ingest()

    assert isinstance(engine.embedder, CachedEmbedding)
    assert EmbeddingCache(settings.data_dir / "embeddings.sqlite").count() == len(
        window_texts(engine, "leiderschap")
    ) + len(post_words(engine, "leiderschap"))  # the words too: English questions are translated into them
    engine.index.close()


def test_reingest_of_an_edited_post_embeds_only_the_windows_whose_text_changed(settings, write_files):
    write_files({"leiderschap.md": LEIDERSCHAP, "team.md": TEAM})
    engine = Engine(settings)
    engine.ingest()
    before = window_texts(engine, "leiderschap")
    write_files({"leiderschap.md": LEIDERSCHAP.replace("Dat vraagt geduld.", "Dat vraagt veel geduld.")})
    embedder = engine.embedder
    misses, hits = embedder.misses, embedder.hits

    report = engine.ingest()

    changed = window_texts(engine, "leiderschap") - before
    assert report.updated == ["leiderschap"]
    assert len(changed) == 2  # the edited sentence's window and its neighbour's
    assert embedder.misses - misses == len(changed)  # "veel" is a stop word: no new word to embed
    assert embedder.hits - hits == len(window_texts(engine, "leiderschap")) - len(changed) + len(
        post_words(engine, "leiderschap")
    )
    engine.index.close()


def test_reindex_with_the_same_embedder_embeds_nothing(settings, write_files):
    write_files({"leiderschap.md": LEIDERSCHAP, "team.md": TEAM})
    engine = Engine(settings)
    engine.ingest()
    misses = engine.embedder.misses

    report = engine.reindex()

    assert sorted(report.added) == ["leiderschap", "team"]
    assert engine.embedder.misses == misses
    engine.index.close()


def test_ingest_with_a_corrupt_cache_file_still_indexes_every_post(settings, write_files, caplog):
    write_files({"leiderschap.md": LEIDERSCHAP, "team.md": TEAM})
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / "embeddings.sqlite").write_bytes(b"geen database" * 100)
    engine = Engine(settings)

    report = engine.ingest()

    assert sorted(report.added) == ["leiderschap", "team"]
    assert "embedding cache" in caplog.text
    engine.index.close()
