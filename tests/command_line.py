"""``assistant`` run in the test's own process: its entry point, arguments, environment, output and exit code.

Starting a real process costs seconds (Python, llama-index, Chroma and the embedding model load anew each time);
in-process the model and the libraries are loaded once per test session. The entry point is the installed
script's own, ``assistant.cli.main``, so errors become one line on stderr and exit code 1 exactly as for the
coach. Tests that need a real process (the script's exit code, a kill, two processes at once) start one.

    result = run_assistant("list", "--json", "--data-dir", data_dir)
    assert result.exit_code == 0, result.stderr
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from click.testing import CliRunner, Result

from assistant.cli import main
from assistant.config import Settings

BASE_ENV = {"COLUMNS": "200"}  # wide enough that Rich wraps no line the tests read
ASSISTANT = Path(sys.executable).with_name(
    "assistant"
)  # the installed script, for the tests that need a process


class EntryPoint:
    """``assistant.cli.main`` in the shape ``CliRunner.invoke`` calls: ``main(args=..., prog_name=...)``."""

    name = "assistant"

    def main(self, args: Sequence[str], prog_name: str, **_: object) -> None:
        saved = sys.argv
        sys.argv = [prog_name, *args]  # Typer's app reads its arguments from sys.argv, as in the script
        try:
            main()
        finally:
            sys.argv = saved


def run_assistant(*args: str | Path, env: Mapping[str, str] | None = None) -> Result:
    """Run ``assistant *args``; ``env`` adds environment variables for this run only."""
    return CliRunner().invoke(
        EntryPoint(), [str(a) for a in args], env={**BASE_ENV, **(env or {})}, catch_exceptions=False
    )


def run_on(settings: Settings, *args: str | Path, env: Mapping[str, str] | None = None) -> Result:
    """Run ``assistant *args`` on the data and corpus folders of ``settings``."""
    return run_assistant(*args, "--data-dir", settings.data_dir, "--corpus-dir", settings.corpus_dir, env=env)


def corpus_and_index(settings: Settings) -> tuple:
    """The corpus files' bytes and what the index holds, read afresh: what a failed command must leave as it was."""
    from assistant.index import ChromaIndex  # Chroma loads only in the tests that read an index

    corpus = {p.name: p.read_bytes() for p in sorted(settings.corpus_dir.iterdir())}
    index = ChromaIndex(settings, settings.embedder)
    try:
        return corpus, index.posts(), [c.id for c in index.all_chunks()]
    finally:
        index.close()


def stderr_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def process_env(**extra: str) -> dict[str, str]:
    """A clean environment for a real ``assistant`` process (PYTHONPATH kept, so a work tree tests its own code)."""
    kept = {name: os.environ[name] for name in ("PATH", "PYTHONPATH") if name in os.environ}
    return {**kept, "OMP_WAIT_POLICY": "PASSIVE", **extra}
