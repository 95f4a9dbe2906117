"""The ``assistant`` Typer app, its shared options, progress bar and error handling.

Each command reads its arguments, calls one engine method and prints the result; errors meant for the user
(``AssistantError``) become one red line and exit code 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from assistant.errors import AssistantError

if TYPE_CHECKING:  # the engine and the settings load only when a command runs: `--help` stays instant
    from assistant.config import Settings
    from assistant.engine import Engine

app = typer.Typer(
    help="Kompas: answers school leaders' questions from the coach's blog posts, with citations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Index and app state \\[env: ASSISTANT_DATA_DIR].")
]
CorpusDir = Annotated[
    Path | None, typer.Option("--corpus-dir", help="The posts \\[env: ASSISTANT_CORPUS_DIR].")
]


def make_settings(data_dir: Path | None, corpus_dir: Path | None) -> Settings:
    """Settings from the environment and .env, with command-line flags taking precedence."""
    from assistant.config import load_settings

    flags = {k: v for k, v in {"data_dir": data_dir, "corpus_dir": corpus_dir}.items() if v is not None}
    return load_settings(**flags)


def make_engine(data_dir: Path | None, corpus_dir: Path | None) -> Engine:
    from assistant.engine import Engine

    return Engine(
        make_settings(data_dir, corpus_dir),
        on_wait=lambda: errors.print("[yellow]the index is busy (another process is writing); waiting…[/]"),
    )


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar fed by the engine's ``progress(description, done, total)`` callback."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    ) as bar:
        task = bar.add_task("embedding", total=None)

        def update(description: str, done: int, total: int) -> None:
            bar.update(task, description=description, completed=done, total=total)

        yield update


def main() -> None:
    """Entry point: run the app, turning user-facing errors into one line on stderr."""
    try:
        app()
    except AssistantError as error:
        errors.print(f"[red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        sys.exit(1)
