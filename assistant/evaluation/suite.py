"""One evaluation end to end, as ``assistant eval`` runs it: read the gold set, run, score, write the reports.

The gold set's folder also holds the fixtures (``fixtures/``) and the judge prompt (``judge_prompt.md``).

    outcome = run_suite(Settings(), Path("eval/gold.jsonl"), Path("eval/reports/latest"), modes=("hybrid",))
    print(outcome.summary)
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from pathlib import Path

from llama_index.core.embeddings import BaseEmbedding

from assistant.answering.llm import TEMPERATURE
from assistant.config import Settings
from assistant.evaluation.followup_fit import fit_follow_up
from assistant.evaluation.gate_fit import fit_gate
from assistant.evaluation.gold import in_split, load_gold, sample
from assistant.evaluation.judge import make_judge
from assistant.evaluation.ranker_fit import fit_ranker
from assistant.evaluation.replay import ReplayServer, replaying
from assistant.evaluation.report import markdown_summary, to_json, write_reports
from assistant.evaluation.runner import AnswererKind, EvalOptions, EvalRun, Progress, evaluate
from assistant.evaluation.scale import evaluate_scale, scale_json, scale_markdown, write_scale_reports
from assistant.retrieval import MODES, Mode

FIXTURES = "fixtures"
JUDGE_PROMPT = "judge_prompt.md"


@dataclass
class SuiteOutcome:
    """The JSON report, the previous run's (if any), the Markdown summary and where the reports were written."""

    report: dict
    previous: dict | None
    summary: str
    paths: dict[str, Path]


def modes_to_run(retrieval: Mode, all_modes: bool) -> tuple[Mode, ...]:
    """``retrieval`` alone, or every mode with ``retrieval`` first (the one compared with the previous run)."""
    if not all_modes:
        return (retrieval,)
    return (retrieval, *(m for m in MODES if m != retrieval))


def run_suite(
    settings: Settings,
    gold_set: Path,
    out: Path,
    *,
    modes: Sequence[Mode] = ("hybrid",),
    answerer: AnswererKind = "extractive",
    split: str | None = None,
    embedder: BaseEmbedding | None = None,
    progress: Progress | None = None,
    recordings: Path | None = None,
    llm_passages: Sequence[int] = (),
    judge: bool = True,
    sample_size: int | None = None,
) -> SuiteOutcome:
    """Evaluate on ``gold_set`` (one split, or all) and write report.json, summary.md and report.html.

    With ``answerer="llm"`` (which needs a configured LLM) the answers are also judged by the LLM, unless
    ``judge`` is false. ``recordings``: answer with the LLM replies recorded in that folder (``replay.py``),
    offline; requests it holds no reply for are written to its pending file. ``sample_size``: only about that
    many cases of each split (``gold.sample``).
    """
    cases = in_split(load_gold(gold_set), split)
    if sample_size is not None:
        cases = sample(cases, sample_size)
    options = EvalOptions(
        modes=tuple(modes), answerer="llm" if recordings else answerer, llm_passages=tuple(llm_passages)
    )
    with ExitStack() as stack:
        server = None
        if recordings is not None:
            settings, server = stack.enter_context(replaying(settings, recordings))
        # Without an LLM, ``evaluate`` refuses --answerer llm with the message that says what to set.
        use_judge = judge and options.answerer == "llm" and settings.llm_configured
        run = evaluate(
            settings,
            cases,
            gold_set.parent / FIXTURES,
            options,
            embedder=embedder,
            judge=make_judge(settings, gold_set.parent / JUDGE_PROMPT) if use_judge else None,
            progress=progress,
            conversation=server.conversation if server is not None else nullcontext,
        )
    run.gold_set = str(gold_set)
    replayed = replay_report(server, run, settings) if server is not None else None
    report = to_json(run)
    if options.answerer == "llm":
        report["judge"] = "on" if use_judge else "skipped"
    if replayed is not None:
        report["recordings"] = replayed
    previous, paths = write_reports(report, out)
    return SuiteOutcome(report, previous, markdown_summary(report, previous), paths)


def replay_report(server: ReplayServer, run: EvalRun, settings: Settings) -> dict:
    """How a run on recordings went; when requests were missing, the folder notes what they were made with."""
    recordings = server.recordings
    recorded_with = recordings.made_with
    made_with = {
        "embedder": run.embedder,
        "corpus_key": run.corpus_key,
        "posts": len(run.posts),
        "max_answer_tokens": settings.max_answer_tokens,
        "temperature": TEMPERATURE,
    }
    if recorded_with.get("corpus_key") not in (None, run.corpus_key):
        run.warnings.append(
            f"the recordings were made over another index ({recorded_with['corpus_key']}, now "
            f"{run.corpus_key}): requests whose passages changed are not recorded"
        )
    if server.missing:
        recordings.note_made_with(made_with)
    return {
        "folder": str(recordings.folder),
        "recorded": len(recordings.replies),
        "replayed": len(server.served),
        "not_recorded": len(server.missing),
        "held": server.held,
        "pending": str(server.pending_path) if server.missing else "",
        "made_with": recordings.made_with,
    }


def run_scale_suite(
    settings: Settings,
    gold_set: Path,
    out: Path,
    *,
    split: str | None = "test",
    embedder: BaseEmbedding | None = None,
    progress: Progress | None = None,
) -> SuiteOutcome:
    """The scale curve on one split of ``gold_set`` (``test`` by default); writes scale.json and scale.html."""
    cases = in_split(load_gold(gold_set), split)
    run = evaluate_scale(settings, cases, gold_set.parent / FIXTURES, embedder=embedder, progress=progress)
    report = scale_json(run)
    return SuiteOutcome(report, None, scale_markdown(report), write_scale_reports(report, out))


# What ``assistant eval --fit-…`` fits on dev, in the order to refit them (the later ones ask follow-ups), and
# the part of each report that is stored.
FITS = {
    "follow-up": (fit_follow_up, lambda report: report.model),
    "ranker": (fit_ranker, lambda report: report.ranker),
    "gate": (fit_gate, lambda report: report.gate),
}


def refit(
    settings: Settings,
    gold_set: Path,
    what: str,
    *,
    embedder: BaseEmbedding | None = None,
    progress: Progress | None = None,
) -> str:
    """Fit one of ``FITS`` on the dev split of ``gold_set``, store it beside its module, and say how it did."""
    fit, fitted = FITS[what]
    report = fit(
        settings, load_gold(gold_set), gold_set.parent / FIXTURES, embedder=embedder, progress=progress
    )
    fitted(report).save()
    return report.markdown()
