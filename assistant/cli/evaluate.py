"""``assistant eval``: answer quality on the gold set, ours beside a plain llama-index baseline."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown

from assistant.cli.app import CorpusDir, DataDir, app, console, make_settings, progress_bar
from assistant.modes import MODES

Retrieval = StrEnum("Retrieval", {mode: mode for mode in MODES})


class AnswererKind(StrEnum):
    extractive = "extractive"
    llm = "llm"


class Split(StrEnum):
    all = "all"
    dev = "dev"
    test = "test"


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
    split: Annotated[
        Split | None,
        typer.Option(
            help="Score one split: dev (for choosing methods) or test (only ever scored). "
            "Default: all cases, figures per split; with --scale: test."
        ),
    ] = None,
    scale: Annotated[
        bool,
        typer.Option(
            "--scale",
            help="Score blogs of 1, 2, 4, 8 and 16 posts and of every post (each case's own post always in, "
            "the others drawn, three draws per size): hit@k and the answer / related only / refuse decisions "
            "per size (writes scale.html and scale.json).",
        ),
    ] = False,
    fit_ranker: Annotated[
        bool,
        typer.Option(
            "--fit-ranker",
            help="Fit the re-ranker's weights on the dev split (cross-validated across posts) and store them "
            "in assistant/ranker.json.",
        ),
    ] = False,
    fit_follow_up: Annotated[
        bool,
        typer.Option(
            "--fit-follow-up",
            help="Fit when a question after earlier turns is joined to them, on the dev split; stored in "
            "assistant/followup.json. Fit it before --fit-ranker and --fit-gate, which ask follow-ups.",
        ),
    ] = False,
    fit_gate: Annotated[
        bool,
        typer.Option(
            "--fit-gate",
            help="Calibrate when to answer, show related passages or refuse, for the configured embedder, on the "
            "dev split asked of blogs of 1, 2, 4, 8, 16 posts and all; stored in assistant/relevance.json.",
        ),
    ] = False,
    recordings: Annotated[
        Path | None,
        typer.Option(
            help="Answer with the LLM replies recorded in this folder (implies --answerer llm; offline, no key). "
            "Requests without a recorded reply go to its pending.jsonl. See eval/recordings/README.md.",
        ),
    ] = None,
    add_replies: Annotated[
        Path | None,
        typer.Option(
            metavar="REPLIES.jsonl",
            help='File replies ({"key", "reply"} lines) to the pending requests of --recordings; runs nothing.',
        ),
    ] = None,
    llm_passages: Annotated[
        list[int] | None,
        typer.Option(
            help="Passages given to the LLM (default: ASSISTANT_LLM_PASSAGES, 15); repeat to compare counts "
            "side by side, e.g. --llm-passages 10 --llm-passages 15 --llm-passages 20.",
        ),
    ] = None,
    sample: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Only about N cases of each split, the kinds in proportion, the same cases every run "
            "(chosen by a hash of their ids): for runs on recorded LLM replies.",
        ),
    ] = None,
    judge: Annotated[
        bool,
        typer.Option(help="Let the LLM judge score LLM answers (its calls go through --recordings too)."),
    ] = True,
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
    from assistant.evaluation.report import compare as compare_reports
    from assistant.evaluation.report import read_report
    from assistant.evaluation.suite import modes_to_run, refit, run_scale_suite, run_suite

    if compare:
        console.print(Markdown(compare_reports(read_report(compare[0]), read_report(compare[1]))))
        return
    if add_replies is not None:
        if recordings is None:
            raise typer.BadParameter(
                "--add-replies needs --recordings DIR: the folder whose requests they answer"
            )
        from assistant.evaluation.replay import Recordings

        added = Recordings(recordings).add_replies(add_replies)
        console.print(
            f"{added.added} replies recorded in {recordings}; {added.still_pending} requests still pending"
        )
        return
    chosen = None if split in (None, Split.all) else split.value
    settings = make_settings(data_dir, corpus_dir)
    for what, asked in (("follow-up", fit_follow_up), ("ranker", fit_ranker), ("gate", fit_gate)):
        if asked:
            with progress_bar() as progress:
                console.print(Markdown(refit(settings, gold_set, what, progress=progress)))
            return
    with progress_bar() as progress:
        if scale:
            outcome = run_scale_suite(
                settings, gold_set, out, split="test" if split is None else chosen, progress=progress
            )
        else:
            outcome = run_suite(
                settings,
                gold_set,
                out,
                modes=modes_to_run(retrieval.value, all_modes),
                answerer=answerer.value,
                split=chosen,
                progress=progress,
                recordings=recordings,
                llm_passages=llm_passages or (),
                judge=judge,
                sample_size=sample,
            )
    console.print(Markdown(outcome.summary))
    console.print("\nreports: " + "  ".join(str(path) for path in outcome.paths.values()))
