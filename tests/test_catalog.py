"""The catalog beside the index lists the posts without Chroma, and only while no write has happened since."""

from __future__ import annotations

from dataclasses import asdict

from conftest import post_md

from assistant.catalog import CATALOG_FILE, read_catalog, write_catalog
from assistant.config import Settings
from assistant.engine import Engine
from assistant.index.records import newest_first

OLDER = post_md(
    "Het rooster", {"": ["Een rooster laat zien wat een school belangrijk vindt."]}, date="2024-03-01"
)
NEWER = post_md("Vertrouwen", {"": ["Vertrouwen groeit in kleine momenten."]}, date="2024-05-17")


def test_after_an_ingest_the_catalog_lists_what_the_index_holds_newest_first(engine: Engine, write_files):
    write_files({"rooster.md": OLDER, "vertrouwen.md": NEWER})
    engine.ingest()

    indexed = newest_first(engine.index.posts().values())
    assert read_catalog(engine.settings) == [asdict(record) for record in indexed]
    assert [post["title"] for post in read_catalog(engine.settings)] == ["Vertrouwen", "Het rooster"]


def test_the_engine_lists_the_same_posts_with_or_without_a_current_catalog(engine: Engine, write_files):
    write_files({"rooster.md": OLDER, "vertrouwen.md": NEWER})
    engine.ingest()
    from_catalog = engine.posts()

    (engine.settings.data_dir / CATALOG_FILE).unlink()

    assert engine.posts() == from_catalog == newest_first(engine.index.posts().values())


def test_the_engine_lists_a_post_another_writer_added(
    engine: Engine, settings: Settings, embedder, write_files
):
    write_files({"rooster.md": OLDER})
    engine.ingest()
    assert [p.slug for p in engine.posts()] == ["rooster"]

    write_files({"vertrouwen.md": NEWER})
    with Engine(settings, embedder=embedder) as other:  # as another process would, through the data folder
        other.ingest()

    assert [p.slug for p in engine.posts()] == ["vertrouwen", "rooster"]


def test_removing_a_post_updates_the_catalog(engine: Engine, write_files):
    write_files({"rooster.md": OLDER, "vertrouwen.md": NEWER})
    engine.ingest()
    engine.remove("rooster")

    assert [post["slug"] for post in read_catalog(engine.settings)] == ["vertrouwen"]


def test_a_write_the_catalog_did_not_see_makes_it_stale(settings: Settings):
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / "generation").write_text("een")
    write_catalog(settings.data_dir, "een", settings.embedder, [{"slug": "a", "title": "A", "date": ""}])
    assert read_catalog(settings) is not None

    (settings.data_dir / "generation").write_text("twee")  # another process wrote since

    assert read_catalog(settings) is None


def test_a_catalog_of_another_embedder_is_not_trusted(settings: Settings):
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / "generation").write_text("een")
    write_catalog(settings.data_dir, "een", settings.embedder, [])

    assert read_catalog(settings.model_copy(update={"embedder": "fastembed"})) is None


def test_with_a_chroma_server_the_catalog_is_never_trusted(settings: Settings):
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / "generation").write_text("een")
    write_catalog(settings.data_dir, "een", settings.embedder, [])

    assert read_catalog(settings.model_copy(update={"chroma_host": "localhost"})) is None


def test_a_damaged_catalog_is_ignored(settings: Settings):
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / "generation").write_text("een")
    (settings.data_dir / "posts.json").write_text("{niet af", encoding="utf-8")

    assert read_catalog(settings) is None
