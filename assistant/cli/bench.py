"""The maintainers' speed benchmark: ``assistant bench`` (the work is in ``assistant.evaluation.bench``), and with
``--web`` the load test of the web app (``assistant.evaluation.bench_web``), ``--sync`` and ``--guard`` the times of
``assistant sync`` and of the manipulation guard."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from assistant.cli.app import app, console, errors


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a list of numbers like 100,1000,10000", param_hint="--sizes"
        ) from None
    if not sizes or min(sizes) < 1:
        raise typer.BadParameter(
            "give corpus sizes in chunks, each at least 1, e.g. 100,1000", param_hint="--sizes"
        )
    return sizes


def _sessions(text: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a list of numbers like 1,4,16", param_hint="--web"
        ) from None
    if not counts or min(counts) < 1:
        raise typer.BadParameter("give numbers of sessions, each at least 1, e.g. 1,16", param_hint="--web")
    return counts


@app.command()
def bench(
    sizes: Annotated[
        str | None,
        typer.Option(help="Corpus sizes in chunks, comma-separated.", show_default="100,1000,3000,10000"),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for bench.md, bench.json and latency.svg.")
    ] = Path("eval/reports/bench"),
    questions: Annotated[
        int | None, typer.Option(min=1, help="Questions to time (at most 30).", show_default="30")
    ] = None,
    rounds: Annotated[
        int | None, typer.Option(min=1, help="Times each question is timed.", show_default="3")
    ] = None,
    cache_above: Annotated[
        int | None,
        typer.Option(help="Reuse cached vectors for sizes above this many chunks.", show_default="1000"),
    ] = None,
    baseline: Annotated[bool, typer.Option(help="Also measure the plain llama-index pipeline.")] = True,
    quick: Annotated[
        bool, typer.Option(help="Tiny sizes (5, 40 chunks; the larger cached) for a smoke test.")
    ] = False,
    from_json: Annotated[
        Path | None, typer.Option("--from-json", help="Render the reports of an earlier bench.json again.")
    ] = None,
    web: Annotated[
        str | None,
        typer.Option(
            "--web",
            help="Instead: load-test the web app with crowds of this many sessions arriving together "
            "(comma-separated, e.g. 1,4,16,32), each at a fresh start of `assistant serve` and then warm.",
        ),
    ] = None,
    web_questions: Annotated[int, typer.Option(min=1, max=30, help="With --web: questions per session.")] = 3,
    web_think: Annotated[
        float,
        typer.Option(
            min=0, help="With --web: seconds each leader takes before a question (reading, typing)."
        ),
    ] = 0.0,
    first_visit: Annotated[
        bool, typer.Option(help="With --web: every session also fetches the page's scripts (an empty cache).")
    ] = False,
    sync_posts: Annotated[
        int | None,
        typer.Option(
            "--sync",
            min=1,
            help="Only time `assistant sync` of this many posts from a local blog, first and second run.",
        ),
    ] = None,
    guard: Annotated[
        bool, typer.Option("--guard", help="Only time the manipulation guard on adversarial long questions.")
    ] = False,
) -> None:
    """Measure ingest, re-ingest, latency, memory and disk over growing synthetic corpora, beside the baseline;
    with --web, how the web app bears a crowd (web.md, web.json); with --sync, `assistant sync`; with --guard, the
    manipulation guard's worst case (guard.md)."""
    if guard:
        from assistant.evaluation.bench_guard import guard_markdown, run_guard_bench

        _write_report(out / "guard.md", guard_markdown(run_guard_bench()))
        return
    if web is not None:
        _bench_web(_sessions(web), web_questions, web_think, first_visit, out)
        return
    if sync_posts is not None:
        from assistant.evaluation.bench_sync import run_sync_bench, sync_markdown

        result = run_sync_bench(
            sync_posts, log=lambda message: errors.print(escape(message), highlight=False)
        )
        _write_report(out / "sync.md", sync_markdown(result))
        return
    from assistant.evaluation.bench import BenchOptions, run_bench
    from assistant.evaluation.bench_report import load_result, markdown_report, write_reports

    if from_json is not None:
        result = load_result(from_json)
    else:
        options = BenchOptions.quick() if quick else BenchOptions()
        if sizes:
            options.sizes = _sizes(sizes)
        for name, value in {"questions": questions, "rounds": rounds, "cache_above": cache_above}.items():
            if value is not None:
                setattr(options, name, value)
        options.baseline = baseline
        result = run_bench(options, log=lambda message: errors.print(escape(message), highlight=False))
    paths = write_reports(result, out)
    console.print(markdown_report(result), highlight=False, markup=False, soft_wrap=True)
    console.print(f"reports: {', '.join(escape(str(p)) for p in paths.values())}", highlight=False)


def _write_report(path: Path, markdown: str) -> None:
    """A one-report bench's Markdown, written to ``path`` and shown."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown + "\n", encoding="utf-8")
    console.print(markdown, highlight=False, markup=False, soft_wrap=True)


def _bench_web(
    sessions: tuple[int, ...], questions: int, think_s: float, first_visit: bool, out: Path
) -> None:
    from assistant.evaluation import bench_web

    options = bench_web.WebBenchOptions(
        sessions=sessions, questions=questions, think_s=think_s, first_visit=first_visit
    )
    result = bench_web.run_web_bench(
        options, log=lambda message: errors.print(escape(message), highlight=False)
    )
    paths = bench_web.write_reports(result, out)
    console.print(bench_web.markdown_report(result), highlight=False, markup=False, soft_wrap=True)
    console.print(f"reports: {', '.join(escape(str(p)) for p in paths.values())}", highlight=False)
