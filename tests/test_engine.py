"""The engine's actions on corpus and index together: add, remove, reindex, and the embedder check."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED_MD, SEED_TXT, post_md
from llama_index.core.embeddings import BaseEmbedding

from assistant.chunking import chunk_post
from assistant.config import Settings
from assistant.engine import Engine
from assistant.errors import BadInputError, EmbedderMismatchError, PostConflictError, PostNotFoundError
from assistant.index import ChromaIndex
from assistant.ingest import sync

SAMEN_LEREN = (
    "Samen leren in het team\n"
    "In een lerend team deel je wat werkt. Collega's kijken bij elkaar in de klas.\n"
    "Zo groeit het vak van iedereen mee. Dat vraagt tijd en een veilige sfeer.\n"
)
SAMEN_LEREN_ANDERS = (
    "Samen leren in het team\n"
    "Leren doe je niet alleen op studiedagen. Het gebeurt in de gang en in de lerarenkamer.\n"
    "Maak die momenten zichtbaar. Vraag collega's wat ze deze week ontdekten.\n"
)
ROOSTER = (
    "Het rooster als kompas\n"
    "Een rooster laat zien wat een school belangrijk vindt. Tijd is het schaarste goed.\n"
    "Kijk dus kritisch naar elk blok. Wat levert het de leerlingen op?\n"
)


@pytest.fixture
def inbox(tmp_path: Path, write_files):
    """Write files to add into a folder outside the corpus, as the coach would download them."""

    def write(files: dict[str, str | bytes]) -> list[Path]:
        root = write_files(files, tmp_path / "inbox")
        return [root / name for name in files]

    return write


def corpus_bytes(engine: Engine) -> dict[str, bytes]:
    root = engine.settings.corpus_dir
    return {p.name: p.read_bytes() for p in sorted(root.glob("*"))} if root.is_dir() else {}


def index_state(engine: Engine) -> tuple:
    return engine.posts(), [c.id for c in engine.index.all_chunks()]


def test_add_of_a_txt_writes_corpus_markdown_and_indexes_it(engine, inbox):
    [txt] = inbox({"samen leren.txt": SAMEN_LEREN})

    [result] = engine.add([txt])

    assert result.slug == "samen-leren-in-het-team"
    assert result.path == engine.settings.corpus_dir / "samen-leren-in-het-team.md"
    assert result.changed
    assert engine.corpus.load(result.path).content_hash() == engine.load(txt).content_hash()
    [record] = engine.posts()
    assert (record.slug, record.chunks, record.file) == (result.slug, result.chunks, str(result.path))
    assert len(engine.index.chunks_of(result.slug)) == result.chunks


def test_add_of_the_same_content_again_changes_nothing(engine, inbox):
    [txt] = inbox({"samen leren.txt": SAMEN_LEREN})
    engine.add([txt])
    before = corpus_bytes(engine), index_state(engine)

    [result] = engine.add([txt])

    assert not result.changed
    assert (corpus_bytes(engine), index_state(engine)) == before


def test_add_of_other_content_under_an_existing_slug_raises_conflict_and_changes_nothing(engine, inbox):
    [first] = inbox({"samen leren.txt": SAMEN_LEREN})
    engine.add([first])
    before = corpus_bytes(engine), index_state(engine)
    [second] = inbox({"samen leren (2).txt": SAMEN_LEREN_ANDERS})

    with pytest.raises(PostConflictError, match="--replace"):
        engine.add([second])

    assert (corpus_bytes(engine), index_state(engine)) == before


def test_add_with_replace_replaces_the_post_in_corpus_and_index(engine, inbox):
    [first] = inbox({"samen leren.txt": SAMEN_LEREN})
    engine.add([first])
    [second] = inbox({"samen leren (2).txt": SAMEN_LEREN_ANDERS})

    [result] = engine.add([second], replace=True)

    assert result.changed
    assert list(corpus_bytes(engine)) == ["samen-leren-in-het-team.md"]
    texts = [c.text for c in engine.index.chunks_of(result.slug)]
    assert texts == [c.text for c in chunk_post(engine.load(second))]
    assert not any("veilige sfeer" in t for t in texts)


def test_add_with_one_bad_file_among_several_writes_nothing(engine, inbox):
    files = inbox({"samen leren.txt": SAMEN_LEREN, "leeg.txt": "", "rooster.txt": ROOSTER})

    with pytest.raises(BadInputError, match=r"leeg\.txt"):
        engine.add(files)

    assert corpus_bytes(engine) == {}
    assert engine.posts() == []


def test_add_with_one_conflicting_file_among_several_writes_nothing(engine, inbox):
    [existing] = inbox({"samen leren.txt": SAMEN_LEREN})
    engine.add([existing])
    before = corpus_bytes(engine), index_state(engine)
    files = inbox({"rooster.txt": ROOSTER, "samen leren (2).txt": SAMEN_LEREN_ANDERS})

    with pytest.raises(PostConflictError, match=r"samen leren \(2\)\.txt"):
        engine.add(files)

    assert (corpus_bytes(engine), index_state(engine)) == before


def test_remove_deletes_the_post_from_corpus_and_index(engine, inbox):
    engine.add(inbox({"samen leren.txt": SAMEN_LEREN, "rooster.txt": ROOSTER}))

    engine.remove("samen-leren-in-het-team")

    assert list(corpus_bytes(engine)) == ["het-rooster-als-kompas.md"]
    assert [p.slug for p in engine.posts()] == ["het-rooster-als-kompas"]
    assert engine.index.chunks_of("samen-leren-in-het-team") == []


def test_remove_of_an_unknown_slug_raises_post_not_found(engine, inbox):
    engine.add(inbox({"rooster.txt": ROOSTER}))

    with pytest.raises(PostNotFoundError, match="bestaat-niet"):
        engine.remove("bestaat-niet")


def test_opening_an_index_built_with_another_embedder_says_to_reindex(engine, settings, write_files):
    write_files({"team.md": post_md("Team", {"": ["Een team groeit door samen te leren."]})})
    engine.ingest()
    other = Settings(
        data_dir=settings.data_dir, corpus_dir=settings.corpus_dir, embedder="fastembed:some/model"
    )

    with pytest.raises(EmbedderMismatchError, match="assistant reindex") as raised:
        ChromaIndex(other, "fastembed:some/model")

    assert "e5-small" in str(raised.value)


def test_reindex_rebuilds_an_index_built_with_another_embedder(engine, settings, embedder, write_files):
    write_files({"team.md": post_md("Team", {"": ["Een team groeit door samen te leren."]})})
    # An index as another embedder would have left it (the vectors are e5's, the label is not).
    foreign = ChromaIndex(settings, "fastembed:some/model")
    scan = engine.corpus.scan()
    sync(foreign, embedder, scan.posts, {})
    foreign.close()
    with pytest.raises(EmbedderMismatchError):
        engine.posts()

    report = engine.reindex()

    assert report.added == ["team"]
    assert [p.slug for p in engine.posts()] == ["team"]
    ChromaIndex(settings, "e5-small").close()  # opens without a mismatch


def test_seed_post_as_text_and_as_markdown_gives_the_same_sections_and_chunks(engine):
    markdown = engine.load(SEED_MD)
    text = engine.load(SEED_TXT, overrides={"title": markdown.title})

    assert text.sections == markdown.sections
    boundaries = [[(c.start, c.end, c.text) for c in chunk_post(p)] for p in (text, markdown)]
    assert boundaries[0] == boundaries[1]
    for chunk in chunk_post(text):
        assert text.text[chunk.start : chunk.end] == chunk.text


# ---- lifecycle ----------------------------------------------------------------------------------------------


class ClosableEmbedding(BaseEmbedding):
    """An embedder that only records whether it was closed (this test embeds nothing)."""

    closed: bool = False

    def close(self) -> None:
        self.closed = True

    def _get_query_embedding(self, query: str) -> list[float]:
        raise AssertionError("not used")

    async def _aget_query_embedding(self, query: str) -> list[float]:
        raise AssertionError("not used")

    def _get_text_embedding(self, text: str) -> list[float]:
        raise AssertionError("not used")


def test_leaving_the_with_block_lets_go_of_the_index_and_a_later_use_opens_it_again(
    settings, embedder, inbox
):
    [txt] = inbox({"samen leren.txt": SAMEN_LEREN})
    with Engine(settings, embedder=embedder) as engine:
        engine.add([txt])
        opened = engine.index

    assert engine.index is not opened
    assert [p.slug for p in engine.posts()] == ["samen-leren-in-het-team"]
    engine.close()


def test_close_may_be_called_more_than_once(engine):
    engine.posts()

    engine.close()
    engine.close()


def test_an_embedder_passed_in_stays_open_for_its_owner(settings):
    embedder = ClosableEmbedding(model_name="closable")

    with Engine(settings, embedder=embedder):
        pass

    assert not embedder.closed


def test_an_upload_is_read_by_its_name_and_its_errors_name_it(engine):
    post = engine.read_upload("samen leren.txt", SAMEN_LEREN.encode())

    assert post.title == "Samen leren in het team"
    with pytest.raises(BadInputError) as raised:
        engine.read_upload("../verslag?.pdf", b"%PDF-1.7")
    assert raised.value.source == "../verslag?.pdf"
    assert not any(engine.settings.corpus_dir.glob("*"))


def test_pasted_text_says_which_format_it_was_read_in(engine):
    pasted = engine.read_pasted("# Het rooster als kompas\n\nTijd is het schaarste goed.\n")

    assert pasted.fmt == "md"
    assert pasted.post.title == "Het rooster als kompas"
    assert engine.read_pasted(ROOSTER, "txt").fmt == "txt"
