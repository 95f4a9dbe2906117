"""A Chroma server with token authentication, and one that goes away and comes back while the engine runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from conftest import free_port, post_md

from assistant.config import Settings
from assistant.engine import Engine
from assistant.errors import IndexUnavailableError

TOKEN = "kompas-test-token-1234"
POST = post_md(
    "Vertrouwen",
    {
        "Bouwstenen": [
            "Dat zijn de bouwstenen van vertrouwen: zichtbaarheid, eerlijkheid en nabijheid. Mensen vertrouwen je als je "
            "doet wat je zegt, ook in de kleine dingen van elke dag."
        ]
    },
)


class ChromaServer:
    """Chroma's Python server (uvicorn chromadb.app:app) with token authentication, on a loopback port."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port, self.process = folder, port, None

    def start(self) -> None:
        env = dict(
            os.environ,
            IS_PERSISTENT="TRUE",
            PERSIST_DIRECTORY=str(self.folder),
            ANONYMIZED_TELEMETRY="False",
            CHROMA_SERVER_AUTHN_PROVIDER="chromadb.auth.token_authn.TokenAuthenticationServerProvider",
            CHROMA_SERVER_AUTHN_CREDENTIALS=TOKEN,
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "chromadb.app:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        settings = ChromaSettings(
            anonymized_telemetry=False,
            chroma_client_auth_provider="chromadb.auth.token_authn.TokenAuthClientProvider",
            chroma_client_auth_credentials=TOKEN,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                chromadb.HttpClient(host="127.0.0.1", port=self.port, settings=settings).heartbeat()
                return
            except Exception:
                time.sleep(0.3)
        raise RuntimeError("the Chroma server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    running = ChromaServer(tmp_path / "chroma-server", free_port())
    running.start()
    yield running
    if running.process.poll() is None:
        running.stop()


def server_settings(tmp_path: Path, server: ChromaServer, token: str | None) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        corpus_dir=tmp_path / "corpus",
        chroma_host="127.0.0.1",
        chroma_port=server.port,
        chroma_token=token,
    )


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_engine_works_with_a_token_protected_server(tmp_path, server, embedder, write_files):
    write_files({"vertrouwen.md": POST})
    engine = Engine(server_settings(tmp_path, server, TOKEN), embedder=embedder)
    engine.ingest()
    assert engine.ask("Wat zijn de bouwstenen van vertrouwen?").citations


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_a_missing_or_wrong_token_is_refused_with_a_message_that_keeps_the_token_secret(
    tmp_path, server, token
):
    with pytest.raises(IndexUnavailableError, match="ASSISTANT_CHROMA_TOKEN") as raised:
        Engine(server_settings(tmp_path, server, token)).index.posts()
    assert TOKEN not in str(raised.value)
    assert "wrong-token" not in str(raised.value)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_answers_resume_after_the_server_comes_back_without_a_new_engine(
    tmp_path, server, embedder, write_files
):
    write_files({"vertrouwen.md": POST})
    engine = Engine(server_settings(tmp_path, server, TOKEN), embedder=embedder)
    engine.ingest()
    assert engine.ask("Wat zijn de bouwstenen van vertrouwen?").citations
    server.stop()
    with pytest.raises(IndexUnavailableError):
        engine.ask("Wat zijn de bouwstenen van vertrouwen?")
    server.start()
    answer = engine.ask("Wat zijn de bouwstenen van vertrouwen?")
    assert answer.citations and "bouwstenen" in answer.citations[0].quote
