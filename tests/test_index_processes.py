"""Two processes on one embedded index: a reader sees a writer's posts, and writers take turns."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import post_md

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

BIN = Path(sys.executable).parent
ENV = {"PATH": os.environ["PATH"], "OMP_WAIT_POLICY": "PASSIVE"}

POLDER = post_md(
    "Op de fiets door de polder",
    {
        "": [
            "Elke ochtend fiets ik door de polder naar school. Tussen de weilanden en de molens ordenen mijn gedachten zich."
        ]
    },
)
TEAM = post_md(
    "Vertrouwen in het team",
    {"": ["Vertrouwen groeit in kleine momenten. Een schoolleider die luistert, bouwt aan verbinding."]},
)


def assistant(*args: str | Path, settings) -> list[str]:
    """The ``assistant`` command line with this test's data and corpus folders."""
    return [
        str(BIN / "assistant"),
        *map(str, args),
        "--data-dir",
        str(settings.data_dir),
        "--corpus-dir",
        str(settings.corpus_dir),
    ]


def test_reader_process_sees_a_post_another_process_added(engine, settings, embedder, write_files, tmp_path):
    write_files({"team.md": TEAM})
    engine.ingest()
    assert engine.index.query_windows(embedder.get_query_embedding("vertrouwen"), k=5)  # the client is open
    new_post = write_files({"polder.md": POLDER}, tmp_path / "inbox") / "polder.md"

    added = subprocess.run(
        assistant("add", new_post, settings=settings), env=ENV, capture_output=True, text=True, timeout=120
    )

    assert added.returncode == 0, added.stderr
    assert sorted(p.slug for p in engine.posts()) == ["op-de-fiets-door-de-polder", "team"]
    hits = engine.index.query_windows(embedder.get_query_embedding("fietsen langs weilanden en molens"), k=5)
    assert hits[0].chunk_id.startswith("op-de-fiets-door-de-polder:")
    assert engine.index.get_chunks([hits[0].chunk_id])  # its chunk is readable here too


HOLD_LOCK = """
import sys
from filelock import FileLock
with FileLock(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.readline()  # hold the lock until the test says so
"""


def test_add_waits_for_a_process_holding_the_write_lock_then_succeeds(settings, write_files, tmp_path):
    settings.data_dir.mkdir(parents=True)
    new_post = write_files({"polder.md": POLDER}, tmp_path / "inbox") / "polder.md"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(settings.data_dir / "index.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        stderr_path = tmp_path / "add.stderr"
        with stderr_path.open("w") as stderr:
            add = subprocess.Popen(
                assistant("add", new_post, settings=settings),
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env=ENV,
            )
            _wait_for(lambda: "busy" in stderr_path.read_text() or add.poll() is not None, seconds=90)
            assert "busy" in stderr_path.read_text(), stderr_path.read_text()
            assert add.poll() is None  # still waiting for the lock

            holder.communicate("\n", timeout=10)  # release it
            out, _ = add.communicate(timeout=60)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()

    assert add.returncode == 0, stderr_path.read_text()
    assert "added op-de-fiets-door-de-polder" in out
    assert (settings.corpus_dir / "op-de-fiets-door-de-polder.md").exists()


def _wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"nothing happened within {seconds} s")
        time.sleep(0.1)
