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
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from assistant.answering.types import Answer, Turn
from assistant.config import Settings
from assistant.engine import Engine
from assistant.errors import AssistantError, BadInputError
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
        errors.print(f"[red]skipped[/] {escape(str(error))}", highlight=False, soft_wrap=True)


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
        console.print(f"{verb} [bold]{result.slug}[/] → {escape(str(result.path))} ({result.chunks} chunks)")


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
        table.add_row(post.slug, escape(post.title), post.date or "—", str(post.sections), str(post.chunks))
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


def ready_engine(data_dir: Path | None, corpus_dir: Path | None) -> Engine:
    """An engine whose index holds posts; an empty index is an error that says what to run."""
    engine = make_engine(data_dir, corpus_dir)
    if engine.index.chunk_count() == 0:
        raise AssistantError("the index is empty: run `assistant ingest` first (or `make run`)")
    return engine


def print_answer(answer: Answer, streamed: bool) -> None:
    """The answer (unless it was streamed already), a notice if any, and the numbered sources."""
    if not streamed:
        console.print(answer.text, highlight=False, markup=False)
    if answer.notice:
        errors.print(f"[yellow]{escape(answer.notice)}[/]")
    for citation in answer.citations:
        where = " › ".join(x for x in (citation.chunk.post_title, citation.chunk.section) if x)
        console.print(f"\n[bold][{citation.n}][/] {escape(where)}", highlight=False)
        if citation.chunk.url:
            console.print(f"    {escape(citation.chunk.url)}", style="dim", highlight=False)
        console.print(f"    “{escape(citation.quote)}”", style="italic", highlight=False)


def answer_turns(engine: Engine, questions: list[str], as_json: bool, extra: dict | None = None) -> None:
    """Answer questions as one conversation, streaming to the terminal or printing one JSON line per turn."""
    history: list[Turn] = []
    for number, question in enumerate(questions, start=1):
        stream = engine.stream(question, history)
        if as_json:
            answer = stream.result()
            print(
                json.dumps({**(extra or {}), "turn": number, **answer.to_json()}, ensure_ascii=False),
                flush=True,
            )
        else:
            if len(questions) > 1:
                console.print(f"\n[bold cyan]» {escape(question)}[/]")
            streamed = answer_stream_to_terminal(stream)
            answer = stream.answer
            print_answer(answer, streamed)
        history.append(Turn(question, answer.standalone_question, answer.text))


def answer_stream_to_terminal(stream) -> bool:
    for token in stream:
        console.print(token, end="", highlight=False, markup=False, soft_wrap=True)
    console.print()
    return True


@app.command()
def ask(
    questions: Annotated[
        list[str] | None, typer.Argument(help="A question; more arguments are follow-ups.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per turn.")] = False,
    batch: Annotated[Path | None, typer.Option(help="JSONL file of conversations: {id, turns}.")] = None,
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Answer a question from the posts, with numbered sources; extra arguments continue the conversation."""
    if not questions and batch is None:
        raise typer.BadParameter("give a question, or --batch FILE.jsonl")
    engine = ready_engine(data_dir, corpus_dir)
    if batch is None:
        answer_turns(engine, questions or [], as_json)
        return
    for conversation in read_batch(batch):
        answer_turns(engine, conversation["turns"], True, {"id": conversation["id"]})


def read_batch(path: Path) -> list[dict]:
    """Read and check a batch file before answering anything."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise BadInputError(path, f"cannot read it ({error})") from None
    conversations = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadInputError(path, f"line {number} is not JSON ({error.msg})") from None
        turns = item.get("turns") if isinstance(item, dict) else None
        if (
            not isinstance(turns, list)
            or not turns
            or not all(isinstance(t, str) and t.strip() for t in turns)
        ):
            raise BadInputError(path, f'line {number} needs "turns": a list of questions')
        conversations.append({"id": item.get("id", number), "turns": turns})
    return conversations


@app.command()
def chat(data_dir: DataDir = None, corpus_dir: CorpusDir = None) -> None:
    """Ask questions in a conversation in the terminal; /nieuw starts over, Ctrl-D or /stop ends."""
    engine = ready_engine(data_dir, corpus_dir)
    history: list[Turn] = []
    console.print(
        "Stel je vraag over leiderschap en vertrouwen. [dim](/nieuw: nieuw gesprek, /stop: stoppen)[/]"
    )
    while True:
        try:
            question = console.input("[bold cyan]» [/]").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if question in ("/stop", "/exit", "/quit"):
            return
        if question == "/nieuw":
            history = []
            console.print("[dim]Nieuw gesprek.[/]")
            continue
        if not question:
            continue
        stream = engine.stream(question, history)
        answer_stream_to_terminal(stream)
        print_answer(stream.answer, streamed=True)
        history.append(Turn(question, stream.answer.standalone_question, stream.answer.text))


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Start the web chat (Streamlit) for leaders, with the coach's page."""
    import os
    import subprocess

    app_file = Path(__file__).parent / "web" / "app.py"
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    for name, value in (("ASSISTANT_DATA_DIR", data_dir), ("ASSISTANT_CORPUS_DIR", corpus_dir)):
        if value is not None:
            env[name] = str(value.resolve())
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_file),
        "--server.headless",
        "true",
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--client.toolbarMode",
        "minimal",
    ]
    console.print(f"Kompas draait op http://{address}:{port}  (Ctrl-C stopt)")
    raise typer.Exit(subprocess.call(command, env=env))


def main() -> None:
    """Entry point: run the app, turning user-facing errors into one line on stderr."""
    try:
        app()
    except AssistantError as error:
        errors.print(f"[red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        sys.exit(1)
