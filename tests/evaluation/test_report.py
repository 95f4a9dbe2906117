"""The reports on small hand-made runs: JSON, Markdown summary, HTML page, comparison, and ``eval --compare``."""

from __future__ import annotations

import json

from command_line import run_assistant

from assistant.evaluation.gold import GoldCase, GoldPassage
from assistant.evaluation.metrics import METRICS, score_all
from assistant.evaluation.records import CaseResult, CitedPassage
from assistant.evaluation.report import (
    compare,
    html_report,
    markdown_summary,
    read_report,
    to_json,
    write_reports,
)
from assistant.evaluation.runner import BASELINE, EvalRun, SystemRun

GOLD_TEXT = "Vertrouwen is geen doel op zich. Het is een middel."
OTHER_TEXT = "Een rooster laat zien wat een school belangrijk vindt."
ANSWERABLE = GoldCase(
    "direct-07",
    ("Is vertrouwen een doel op zich?",),
    True,
    "nl",
    (GoldPassage("blog", ("Vertrouwen is geen doel op zich",)),),
    ("middel",),
    "direct",
)
OFF_TOPIC = GoldCase(
    "out-of-scope-09", ("Geef me een recept voor appeltaart.",), False, "nl", (), (), "out-of-domain"
)


def answered(case: GoldCase, passage: str, latency: float) -> CaseResult:
    quote = passage.split(". ")[0].rstrip(".") + "."
    return CaseResult(case, f"“{quote}” [1]", False, (CitedPassage(1, "blog", passage, (quote,)),), latency)


def refused(case: GoldCase, latency: float = 5.0) -> CaseResult:
    return CaseResult(case, "Daar gaan de blogs niet over.", True, (), latency)


def make_run(*, hits: bool, latency: float = 25.0, started: str = "2026-01-01T10:00:00+00:00") -> EvalRun:
    ours = [answered(ANSWERABLE, GOLD_TEXT if hits else OTHER_TEXT, latency), refused(OFF_TOPIC)]
    baseline = [answered(ANSWERABLE, OTHER_TEXT, 10.0), answered(OFF_TOPIC, OTHER_TEXT, 10.0)]
    return EvalRun(
        cases=[ANSWERABLE, OFF_TOPIC],
        systems={
            "hybrid": SystemRun("hybrid", "ours", ours, score_all(ours)),
            BASELINE: SystemRun(BASELINE, "plain llama-index", baseline, score_all(baseline)),
        },
        metrics=METRICS,
        answerer="extractive",
        embedder="e5-small",
        posts=["blog"],
        corpus_key="abc",
        gold_set="eval/gold.jsonl",
        started=started,
    )


def row(markdown: str, label: str) -> list[str]:
    [line] = [line for line in markdown.splitlines() if line.startswith(f"| {label} |")]
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_json_report_holds_overall_scores_failures_and_every_case():
    report = json.loads(json.dumps(to_json(make_run(hits=False))))

    hybrid = report["systems"]["hybrid"]
    assert hybrid["overall"]["hit_at_1"] == 0.0
    assert hybrid["overall"]["refusal_recall"] == 1.0
    assert hybrid["failed"] == {"direct-07": ["hit_at_1", "quote_precision"]}
    assert [c["id"] for c in hybrid["cases"]] == ["direct-07", "out-of-scope-09"]
    assert hybrid["cases"][0]["scores"]["mrr"] == 0.0
    assert report["systems"][BASELINE]["failed"]["out-of-scope-09"] == ["refusal_accuracy"]


def test_summary_puts_ours_beside_the_baseline_and_the_previous_run_with_deltas():
    previous = to_json(make_run(hits=False, latency=45.0, started="2026-01-01T09:00:00+00:00"))
    summary = markdown_summary(to_json(make_run(hits=True)), previous)

    assert row(summary, "metric") == [
        "metric",
        "hybrid",
        "baseline",
        "Δ hybrid vs baseline",
        "previous hybrid",
        "Δ hybrid vs previous",
    ]
    assert row(summary, "hit@1") == ["hit@1", "1.00", "0.00", "+1.00 ▲", "0.00", "+1.00 ▲"]
    assert row(summary, "latency p50") == ["latency p50", "15 ms", "10 ms", "+5 ms ▼", "25 ms", "-10 ms ▲"]
    assert row(summary, "refusal precision") == ["refusal precision", "1.00", "n/a", "n/a", "1.00", "="]
    assert "- failed cases, hybrid: 0 of 2" in summary


def test_summary_lists_the_failed_cases_by_metric():
    summary = markdown_summary(to_json(make_run(hits=False)))

    assert "  - hit@1 (1): direct-07" in summary
    assert "previous" not in summary


def test_html_page_is_self_contained_with_bars_and_the_failed_cases():
    page = html_report(to_json(make_run(hits=False)), to_json(make_run(hits=True)))

    assert "<script" not in page and "src=" not in page and "http" not in page
    assert page.count("class='bar'") == 3 * len(METRICS)  # ours, baseline, previous
    assert "previous hybrid" in page
    assert "Failed cases: hybrid (1 of 2)" in page
    assert "Is vertrouwen een doel op zich?" in page
    assert "“Vertrouwen is geen doel op zich”" in page  # the expected passage
    assert "Een rooster laat zien" in page  # the cited one


def test_writing_reports_keeps_the_last_run_as_previous(tmp_path):
    first, _ = write_reports(to_json(make_run(hits=False)), tmp_path)
    previous, paths = write_reports(
        to_json(make_run(hits=True, started="2026-01-02T10:00:00+00:00")), tmp_path
    )

    assert first is None
    assert previous["started"] == "2026-01-01T10:00:00+00:00"
    assert (
        json.loads((tmp_path / "previous.json").read_text())["systems"]["hybrid"]["overall"]["hit_at_1"]
        == 0.0
    )
    assert sorted(p.name for p in paths.values()) == ["report.html", "report.json", "summary.md"]
    assert "previous hybrid" in paths["markdown"].read_text()


def test_compare_shows_changed_figures_and_cases_that_started_or_stopped_failing():
    old, new = to_json(make_run(hits=True)), to_json(make_run(hits=False, latency=30.0))

    text = compare(old, new)
    hybrid = text.split("#### baseline")[0]

    assert row(hybrid, "hit@1") == ["hit@1", "1.00", "0.00", "-1.00 ▼"]
    assert "- newly failing: 1: direct-07 (hit_at_1, quote_precision)" in hybrid
    assert "- newly passing: 0" in hybrid


def test_eval_compare_prints_the_differences_between_two_reports(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(to_json(make_run(hits=False))))
    new.write_text(json.dumps(to_json(make_run(hits=True))))

    result = run_assistant("eval", "--compare", old, new)

    assert result.exit_code == 0, result.stderr
    assert "+1.00 ▲" in result.stdout
    assert "newly passing: 1: direct-07" in result.stdout


def test_eval_compare_of_a_file_that_is_no_report_fails_with_one_line(tmp_path):
    bogus = tmp_path / "bogus.json"
    bogus.write_text("{}")

    result = run_assistant("eval", "--compare", bogus, bogus)

    assert result.exit_code == 1
    assert "is not an `assistant eval` report" in result.stderr


def test_summary_and_page_show_each_split_by_kind_and_language_beside_the_baseline():
    report = to_json(make_run(hits=True))

    summary = markdown_summary(report)
    page = html_report(report)

    assert "#### hybrid, split dev" in summary
    assert row(summary, "direct")[:3] == ["direct", "1", "1.00"]
    assert row(summary, "out-of-domain")[1] == "1"
    assert "baseline R@10" in summary
    assert "Where quality is lost" in page and "<h3>split dev</h3>" in page


def test_a_report_from_before_the_splits_still_compares(tmp_path):
    old = to_json(make_run(hits=False))
    old["format"] = "kompas-eval/1"
    for system in old["systems"].values():
        del system["breakdown"]
    (tmp_path / "old.json").write_text(json.dumps(old))

    text = compare(read_report(tmp_path / "old.json"), to_json(make_run(hits=True)))

    assert "newly passing: 1: direct-07" in text
