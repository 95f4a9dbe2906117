"""The same engine against a real Chroma server (``chroma run``) instead of the embedded folder."""

from __future__ import annotations

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
from assistant.evaluation.bench_startup import stop_process

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture(scope="module")
def chroma_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A Chroma server on loopback for this module's tests, ready to answer."""
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(folder / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_ready(server, port, folder / "server.log")
        yield port
    finally:
        stop_process(server)
        log.close()


def _wait_until_ready(server: subprocess.Popen, port: int, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"chroma run exited with {server.returncode}: {log.read_text()[-2000:]}")
        try:
            client = chromadb.HttpClient(
                host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
            )
            client.heartbeat()
            return
        except Exception:
            time.sleep(0.2)
    pytest.fail(f"chroma run was not ready after {seconds} s: {log.read_text()[-2000:]}")


@pytest.fixture
def server_engine(chroma_port, tmp_path, embedder, request) -> Engine:
    """An engine on the shared server, with collections of its own (named after the test)."""
    settings = Settings(
        data_dir=tmp_path / "data",
        corpus_dir=tmp_path / "corpus",
        chroma_host="127.0.0.1",
        chroma_port=chroma_port,
        collection_prefix=request.node.name.removeprefix("test_")[:40],
    )
    return Engine(settings, embedder=embedder)


@pytest.fixture
def two_posts(write_files) -> None:
    write_files(
        {
            "fietsen.md": post_md(
                "Op de fiets naar school",
                {"": ["Onderweg naar school fiets ik langs de polder. Dan ordenen mijn gedachten zich."]},
            ),
            "rooster.md": post_md(
                "Het rooster",
                {"": ["Een rooster laat zien wat een school belangrijk vindt. Tijd is schaars."]},
            ),
        }
    )


def test_ingest_on_a_server_lists_the_posts(server_engine, two_posts):
    report = server_engine.ingest()

    assert sorted(report.added) == ["fietsen", "rooster"]
    assert sorted((p.slug, p.chunks) for p in server_engine.posts()) == [("fietsen", 1), ("rooster", 1)]


def test_query_on_a_server_finds_the_right_post(server_engine, two_posts, embedder):
    server_engine.ingest()

    hits = server_engine.index.query_windows(embedder.get_query_embedding("fietsen door de polder"), k=5)

    assert hits
    assert hits[0].chunk_id.startswith("fietsen:")


def test_remove_on_a_server_deletes_the_post(server_engine, two_posts, embedder):
    server_engine.ingest()

    server_engine.remove("fietsen")

    assert [p.slug for p in server_engine.posts()] == ["rooster"]
    hits = server_engine.index.query_windows(embedder.get_query_embedding("fietsen door de polder"), k=5)
    assert {h.chunk_id.split(":")[0] for h in hits} == {"rooster"}
