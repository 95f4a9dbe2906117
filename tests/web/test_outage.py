"""When the index cannot be reached, the chat says so kindly, logs why, and answers again once it is back."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
import streamlit as st
from conftest import SEED_MD, free_port
from test_index_server_faults import POST, TOKEN, ChromaServer

from assistant.config import Settings
from assistant.engine import Engine
from assistant.errors import IndexBusyError
from web.steps import ask, last_answer, page_text, start_app, texts

pytestmark = pytest.mark.timeout(300)

UNAVAILABLE = "De kennisbank is even niet bereikbaar. Probeer het zo nog eens."
QUESTION = "Wat zijn de bouwstenen van vertrouwen?"


def use_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, port: int, token: str | None = None) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("ASSISTANT_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("ASSISTANT_CHROMA_PORT", str(port))
    if token:
        monkeypatch.setenv("ASSISTANT_CHROMA_TOKEN", token)


def assert_friendly(at, port: int) -> None:
    """The short message in the sidebar and under the question, and no host, port or error text anywhere."""
    assert not at.exception
    assert texts(at.sidebar.warning) == UNAVAILABLE
    assert UNAVAILABLE in texts(at.main.warning)
    assert not at.error
    page = page_text(at)
    assert "127.0.0.1" not in page and str(port) not in page
    assert "Chroma" not in page and "cannot" not in page


def test_with_no_chroma_server_listening_the_chat_says_the_knowledge_base_is_unreachable(
    tmp_path, monkeypatch, caplog
):
    (tmp_path / "corpus").mkdir()
    shutil.copy(SEED_MD, tmp_path / "corpus" / SEED_MD.name)
    port = free_port()  # nothing listens here
    use_server(monkeypatch, tmp_path, port)
    caplog.set_level(logging.WARNING, logger="assistant")

    at = start_app()
    assert texts(at.sidebar.warning) == UNAVAILABLE
    ask(at, QUESTION)

    assert_friendly(at, port)
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    technical = [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name.startswith("assistant")
    ]
    assert any("index is unavailable" in m and f"127.0.0.1:{port}" in m for m in technical), technical
    st.cache_resource.clear()


def test_other_errors_keep_their_own_message(site, monkeypatch):
    def busy(self, question, history=None):
        raise IndexBusyError("De index is bezig met een andere schrijver; probeer het zo opnieuw.")

    monkeypatch.setattr(Engine, "stream", busy)
    at = start_app()

    ask(at, QUESTION)

    assert "De index is bezig met een andere schrijver" in texts(at.error)
    assert not at.warning
    st.cache_resource.clear()


@pytest.mark.slow
def test_a_chroma_server_that_stops_and_comes_back_answers_again_in_the_same_session(
    tmp_path, monkeypatch, embedder, write_files, caplog
):
    server = ChromaServer(tmp_path / "chroma-server", free_port())
    server.start()
    try:
        write_files({"vertrouwen.md": POST})
        use_server(monkeypatch, tmp_path, server.port, TOKEN)
        loader = Engine(Settings(), embedder=embedder)
        loader.ingest()
        loader.index.close()
        at = start_app()
        ask(at, QUESTION)
        assert "zichtbaarheid, eerlijkheid en nabijheid" in last_answer(at)

        server.stop()
        with caplog.at_level(logging.WARNING, logger="assistant"):
            ask(at, QUESTION)
        assert_friendly(at, server.port)
        assert TOKEN not in caplog.text

        server.start()
        ask(at, QUESTION)

        assert not at.exception
        assert not at.warning
        assert "zichtbaarheid, eerlijkheid en nabijheid" in last_answer(at)
        assert "1 blog" in texts(at.sidebar.markdown)
        # The conversation kept both answered questions; the one asked during the outage was not kept.
        assert [m.name for m in at.chat_message] == ["user", "assistant"] * 2
    finally:
        st.cache_resource.clear()
        if server.process.poll() is None:
            server.stop()
