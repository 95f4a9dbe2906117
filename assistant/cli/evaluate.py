"""``assistant eval``: answer quality on the gold set, ours beside a plain llama-index baseline."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown

from assistant.cli.app import CorpusDir, DataDir, app, console, make_settings, progress_bar
from assistant.evaluation.report import compare as compare_reports
from assistant.evaluation.report import read_report
from assistant.evaluation.suite import modes_to_run, run_suite
from assistant.retrieval import MODES

Retrieval = StrEnum("Retrieval", {mode: mode for mode in MODES})


class AnswererKind(StrEnum):
    extractive = "extractive"
    llm = "llm"


@app.command("eval")
def eval_command(
    retrieval: Annotated[Retrieval, typer.Option(help="Retrieval mode of our engine.")] = Retrieval.hybrid,
    answerer: Annotated[
        AnswererKind,
        typer.Option(
            help="Quote the posts (offline), or write with the configured LLM (then also LLM-judged)."
        ),
    ] = AnswererKind.extractive,
    gold_set: Annotated[
        Path,
        typer.Option("--set", help="The gold set (JSONL); its folder holds fixtures/ and judge_prompt.md."),
    ] = Path("eval/gold.jsonl"),
    out: Annotated[
        Path,
        typer.Option(
            help="Folder for report.json, summary.md, report.html; the last report.json is kept there "
            "as previous.json."
        ),
    ] = Path("eval/reports/latest"),
    all_modes: Annotated[
        bool, typer.Option("--all-modes", help="Run every retrieval mode, side by side (--retrieval first).")
    ] = False,
    compare: Annotated[
        tuple[Path, Path] | None,
        typer.Option(
            metavar="OLD.json NEW.json", help="Show the differences between two reports; runs nothing."
        ),
    ] = None,
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Measure answer quality on the gold set: hit@k, quotes, citations, refusals, language, latency."""
    if compare:
        console.print(Markdown(compare_reports(read_report(compare[0]), read_report(compare[1]))))
        return
    with progress_bar() as progress:
        outcome = run_suite(
            make_settings(data_dir, corpus_dir),
            gold_set,
            out,
            modes=modes_to_run(retrieval.value, all_modes),
            answerer=answerer.value,
            progress=progress,
        )
    console.print(Markdown(outcome.summary))
    console.print(f"\nreports: {outcome.paths['html']}  {outcome.paths['markdown']}  {outcome.paths['json']}")
