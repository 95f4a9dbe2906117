"""The ``assistant`` command: a thin Typer + Rich layer over ``Engine``.

Each command reads its arguments, calls one engine method and prints the result; errors meant for the user
(``AssistantError``) become one red line and exit code 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from assistant.config import Settings
from assistant.engine import Engine
from assistant.errors import AssistantError
from assistant.ingest import IngestReport

app = typer.Typer(
    help="Kompas: answers school leaders' questions from the coach's blog posts, with citations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Index and app state [env: ASSISTANT_DATA_DIR].")
]
CorpusDir = Annotated[
    Path | None, typer.Option("--corpus-dir", help="The posts [env: ASSISTANT_CORPUS_DIR].")
]


def make_settings(data_dir: Path | None, corpus_dir: Path | None) -> Settings:
    """Settings from the environment and .env, with command-line flags taking precedence."""
    flags = {k: v for k, v in {"data_dir": data_dir, "corpus_dir": corpus_dir}.items() if v is not None}
    return Settings(**flags)


def make_engine(data_dir: Path | None, corpus_dir: Path | None) -> Engine:
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


def print_report(report: IngestReport) -> None:
    parts = [
        f"{len(report.added)} added",
        f"{len(report.updated)} updated",
        f"{len(report.unchanged)} unchanged",
    ]
    if report.removed:
        parts.append(f"{len(report.removed)} removed")
    console.print(", ".join(parts) + f"; {report.chunks_written} chunks written in {report.seconds:.2f} s")
    for error in report.errors:
        errors.print(f"[red]skipped[/] {error}")


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders inside the corpus (default: all).")
    ] = None,
    prune: Annotated[bool, typer.Option(help="Remove indexed posts whose file left the corpus.")] = False,
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Index new and changed posts of the corpus; unchanged posts are skipped."""
    engine = make_engine(data_dir, corpus_dir)
    with progress_bar() as progress:
        report = engine.ingest(paths or None, prune=prune, progress=progress)
    print_report(report)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def add(
    files: Annotated[list[Path], typer.Argument(help="Post files: .md, .txt, .html or .docx.")],
    title: Annotated[str | None, typer.Option(help="Title (required for text without one).")] = None,
    url: Annotated[str | None, typer.Option(help="Address of the post on the blog.")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    author: Annotated[str | None, typer.Option(help="Author's name.")] = None,
    source: Annotated[str | None, typer.Option(help="Where it was published, e.g. the blog's name.")] = None,
    replace: Annotated[bool, typer.Option(help="Replace a post with the same slug.")] = False,
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Validate files, write them into the corpus as Markdown and index them."""
    engine = make_engine(data_dir, corpus_dir)
    overrides = {"title": title, "url": url, "date": date, "author": author, "source": source}
    with progress_bar() as progress:
        results = engine.add(files, overrides=overrides, replace=replace, progress=progress)
    for result in results:
        verb = "added" if result.changed else "unchanged"
        console.print(f"{verb} [bold]{result.slug}[/] → {result.path} ({result.chunks} chunks)")


@app.command()
def remove(
    slug: Annotated[str, typer.Argument(help="The post's slug (see `assistant list`).")],
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Remove a post from the corpus and the index."""
    make_engine(data_dir, corpus_dir).remove(slug)
    console.print(f"removed [bold]{slug}[/]")


@app.command(name="list")
def list_posts(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per post.")] = False,
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Show the indexed posts: slug, title, date, sections and chunks."""
    posts = make_engine(data_dir, corpus_dir).posts()
    if as_json:
        for post in posts:
            print(json.dumps(asdict(post), ensure_ascii=False))
        return
    table = Table("slug", "title", "date", "sections", "chunks")
    for post in posts:
        table.add_row(post.slug, post.title, post.date or "—", str(post.sections), str(post.chunks))
    console.print(table)
    console.print(f"{len(posts)} posts, {sum(p.chunks for p in posts)} chunks")


@app.command()
def reindex(data_dir: DataDir = None, corpus_dir: CorpusDir = None) -> None:
    """Rebuild the whole index from the corpus (after changing the embedder, or if the index is damaged)."""
    engine = make_engine(data_dir, corpus_dir)
    with progress_bar() as progress:
        report = engine.reindex(progress=progress)
    print_report(report)
    if report.errors:
        raise typer.Exit(1)


def main() -> None:
    """Entry point: run the app, turning user-facing errors into one line on stderr."""
    try:
        app()
    except AssistantError as error:
        errors.print(f"[red]error:[/] {error}", highlight=False, soft_wrap=True)
        sys.exit(1)
