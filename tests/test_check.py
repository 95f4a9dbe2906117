"""`check` finds every kind of drift between corpus and index, and `check --repair` / `ingest` ends it."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from command_line import ASSISTANT, process_env
from conftest import SEED_MD, post_md
from filelock import FileLock, Timeout

from assistant.config import Settings
from assistant.engine import Engine
from assistant.errors import IndexUnavailableError

SEED_SENTENCES = [
    s.strip() + "."
    for s in SEED_MD.read_text(encoding="utf-8").split("---", 2)[2].replace("#", "").split(".")
    if len(s.split()) > 4
]


def small_post(title: str, seed: int, sentences: int = 10) -> str:
    picked = random.Random(seed).sample(SEED_SENTENCES, sentences)
    half = sentences // 2
    return post_md(
        title,
        {
            "": [" ".join(picked[:4])],
            "Deel een": [" ".join(picked[4:half])],
            "Deel twee": [" ".join(picked[half:])],
        },
    )


@pytest.fixture
def corpus(write_files) -> Path:
    return write_files({f"post-{n}.md": small_post(f"Post {n}", n) for n in range(3)})


def test_check_of_an_indexed_corpus_finds_agreement(engine: Engine, corpus: Path):
    engine.ingest()
    assert engine.check().ok


def test_check_reports_a_post_not_yet_indexed_and_repair_indexes_it(
    engine: Engine, corpus: Path, write_files
):
    engine.ingest()
    write_files({"nieuw.md": small_post("Nieuw", 9)})
    report = engine.check()
    assert report.missing == ["nieuw"]
    assert not report.ok
    engine.check(repair=True)
    assert engine.check().ok and "nieuw" in engine.index.posts()


def test_check_reports_a_changed_post_and_a_removed_one(engine: Engine, corpus: Path, write_files):
    engine.ingest()
    write_files({"post-0.md": small_post("Post 0", 42)})
    (corpus / "post-1.md").unlink()
    report = engine.check()
    assert report.changed == ["post-0"]
    assert report.orphaned_posts == ["post-1"]
    engine.check(repair=True)
    assert engine.check().ok
    assert set(engine.index.posts()) == {"post-0", "post-2"}


def test_check_finds_chunks_without_a_post_and_repair_deletes_them(engine: Engine, corpus: Path):
    engine.ingest()
    # What a crash between the chunk writes and the post record leaves behind:
    engine.index._posts().delete(ids=["post-2"])
    report = engine.check()
    assert report.orphaned_chunks > 0
    assert report.missing == ["post-2"]
    engine.check(repair=True)
    assert engine.check().ok


def test_orphans_are_found_among_more_records_than_one_read_returns(
    settings: Settings, embedder, corpus: Path
):
    # Records are read in pages of index_batch_size: one unbounded read of ~40,000 fails in Chroma.
    with Engine(settings.model_copy(update={"index_batch_size": 2}), embedder=embedder) as engine:
        engine.ingest()
        counts = engine.index.chunk_counts()
        engine.index._posts().delete(ids=["post-2"])

        assert sum(counts.values()) == engine.index.chunk_count() > 2
        assert engine.check().orphaned_chunks == counts["post-2"]
        engine.check(repair=True)
        assert engine.check().ok


def test_a_damaged_index_says_to_reindex_and_reindex_rebuilds_it(settings: Settings, embedder, corpus: Path):
    first = Engine(settings, embedder=embedder)
    first.ingest()
    first.index.close()
    (settings.chroma_dir / "chroma.sqlite3").write_bytes(b"not a database")
    with pytest.raises(IndexUnavailableError, match="assistant reindex"):
        Engine(settings, embedder=embedder).index.posts()
    engine = Engine(settings, embedder=embedder)
    engine.reindex()
    assert engine.check().ok
    assert len(engine.index.posts()) == 3


def _corpus_digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.md"))}


def _stamp(data: Path) -> str:
    """The generation stamp a writer bumps after each post it wrote ("" before the first)."""
    try:
        return (data / "generation").read_text()
    except FileNotFoundError:
        return ""


def _writing(data: Path) -> bool:
    """Whether another process holds the index's write lock, i.e. is writing a post's records right now."""
    lock_path = data / "index.lock"
    if not lock_path.exists():
        return False
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    lock.release()
    return False


def _after_the_next_post_is_written(data: Path) -> Callable[[], bool]:
    stamp = _stamp(data)
    return lambda: _stamp(data) != stamp


def _while_a_post_is_written(data: Path) -> Callable[[], bool]:
    return lambda: _writing(data)


def _kill_when(process: subprocess.Popen, point: Callable[[], bool], seconds: float = 180) -> None:
    """SIGKILL ``process`` as soon as ``point`` is observed; fail if it ends or the time runs out first."""
    deadline = time.monotonic() + seconds
    while not point():
        assert process.poll() is None, "the ingest finished before the point it was to be killed at"
        assert time.monotonic() < deadline, f"the kill point was not reached within {seconds} s"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_ingest_killed_mid_run_loses_nothing_and_one_ingest_recovers(tmp_path: Path, write_files, embedder):
    corpus = write_files({f"post-{n}.md": small_post(f"Post {n}", n, sentences=16) for n in range(5)})
    data = tmp_path / "data"
    before = _corpus_digest(corpus)
    command = [ASSISTANT, "ingest", "--data-dir", data, "--corpus-dir", corpus]
    # Killed between two posts (right after one was written), then twice while a post's records are written.
    for kill_point in (_after_the_next_post_is_written, _while_a_post_is_written, _while_a_post_is_written):
        point = kill_point(data)
        process = subprocess.Popen(
            command, env=process_env(HOME=str(tmp_path)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _kill_when(process, point)
        assert _corpus_digest(corpus) == before, "a killed ingest must never touch the corpus"
        engine = Engine(Settings(data_dir=data, corpus_dir=corpus), embedder=embedder)
        engine.check()  # must report, not crash, whatever the kill left
        engine.close()
    engine = Engine(Settings(data_dir=data, corpus_dir=corpus), embedder=embedder)
    engine.ingest()
    assert engine.check().ok
    assert set(engine.index.posts()) == {f"post-{n}" for n in range(5)}
    assert _corpus_digest(corpus) == before
