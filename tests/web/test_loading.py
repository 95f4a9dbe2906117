"""The page shows at once while Kompas loads in the background; what needs the engine waits for it.

That the page shows, and changes by itself when the loading ends, is seen in a browser (test_browser_waiting.py):
a run of the page that shows "loading" waits for the loader, and AppTest only shows a run once it has ended."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from assistant.config import Settings
from assistant.engine import Engine
from assistant.errors import ConfigError, IndexUnavailableError
from assistant.web.loading import EngineLoader
from assistant.web.resources import LOADING
from web.steps import ask, cited_titles, open_app, texts

pytestmark = pytest.mark.timeout(300)

UNAVAILABLE = "De kennisbank is even niet bereikbaar. Probeer het zo nog eens."


@pytest.fixture
def held(settings, embedder) -> Iterator[tuple[EngineLoader, threading.Event]]:
    """A loader whose engine is made only once the event is set; closed after the test."""
    release = threading.Event()

    def make() -> Engine:
        release.wait(60)
        return Engine(settings, embedder=embedder)

    loader = EngineLoader(make)
    try:
        yield loader, release
    finally:
        loader.close()


def test_a_question_asked_as_soon_as_the_page_shows_is_answered_once_kompas_has_loaded(site):
    at = open_app()

    ask(at, "Wat zijn de bouwstenen van vertrouwen?")

    assert cited_titles(at)
    assert LOADING not in texts(at.sidebar.caption)


def test_the_loader_is_not_ready_while_the_engine_is_made_and_hands_it_over_after(held):
    loader, release = held

    assert not loader.ready
    with pytest.raises(TimeoutError):
        loader.engine(timeout_s=0.05)
    release.set()
    engine = loader.engine(timeout_s=120)
    assert loader.ready
    assert engine.posts() == []


def test_a_failure_to_make_the_engine_is_raised_to_whoever_asks_for_it():
    def make() -> Engine:
        raise ConfigError(
            "the openai:text-embedding-3-small embedder needs OPENAI_API_KEY or OPENAI_BASE_URL"
        )

    loader = EngineLoader(make)

    with pytest.raises(ConfigError, match="needs OPENAI_API_KEY"):
        loader.engine(timeout_s=60)
    assert loader.ready


def test_an_unreachable_index_leaves_a_ready_engine_that_says_so_when_used(tmp_path, embedder):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus", chroma_host="127.0.0.1")
    settings = settings.model_copy(update={"chroma_port": port})
    loader = EngineLoader(lambda: Engine(settings, embedder=embedder))
    try:
        engine = loader.engine(timeout_s=120)

        with pytest.raises(IndexUnavailableError):
            engine.posts()
    finally:
        loader.close()


def test_a_bad_setting_is_named_on_the_page_instead_of_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "word2vec")

    at = open_app()

    [error] = [e.value for e in at.error]
    assert "een instelling klopt niet" in error
    assert "ASSISTANT\\_EMBEDDER" in error and "word2vec" in error


def test_sessions_wait_on_the_loaders_one_event_until_the_index_is_open(held):
    loader, release = held

    assert not loader.wait_for_index(0.05)
    release.set()
    assert loader.wait_for_index(120)
    assert loader.engine_with_index() is not None
    loader.engine(timeout_s=120)
    assert loader.seconds is not None and loader.seconds > 0
