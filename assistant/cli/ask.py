"""The leaders' commands: ask (one conversation, JSON, or a batch) and chat (interactive)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from assistant.answering.types import Answer, Turn
from assistant.cli.app import CorpusDir, DataDir, app, console, errors, make_engine
from assistant.errors import AssistantError, BadInputError
from assistant.jsonl import read_jsonl

if TYPE_CHECKING:
    from assistant.answering.pipeline import AnswerStream
    from assistant.engine import Engine


def ready_engine(data_dir: Path | None, corpus_dir: Path | None) -> Engine:
    """An engine whose index holds posts; an empty index is an error that says what to run."""
    engine = make_engine(data_dir, corpus_dir)
    if engine.index.chunk_count() == 0:
        raise AssistantError("the index is empty: run `assistant ingest` first (or `make run`)")
    return engine


def print_answer(answer: Answer, streamed: str = "") -> None:
    """The answer (again, if the checked text differs from what streamed), a notice, and the numbered sources."""
    if streamed.strip() != answer.text.strip():
        if streamed:
            console.print("\n[dim]Gecontroleerd, met de bronnen hieronder:[/]")
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
        history.append(Turn.of(answer))


def answer_stream_to_terminal(stream: AnswerStream) -> str:
    """Print the answer as it is written; return what was printed."""
    printed = []
    for token in stream:
        printed.append(token)
        console.print(token, end="", highlight=False, markup=False, soft_wrap=True)
    console.print()
    return "".join(printed)


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
    conversations = []
    for number, item in read_jsonl(path):
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
        streamed = answer_stream_to_terminal(stream)
        print_answer(stream.answer, streamed)
        history.append(Turn.of(stream.answer))
