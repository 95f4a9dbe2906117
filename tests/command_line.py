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


def stderr_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def process_env(**extra: str) -> dict[str, str]:
    """A clean environment for a real ``assistant`` process (PYTHONPATH kept, so a work tree tests its own code)."""
    kept = {name: os.environ[name] for name in ("PATH", "PYTHONPATH") if name in os.environ}
    return {**kept, "OMP_WAIT_POLICY": "PASSIVE", **extra}
