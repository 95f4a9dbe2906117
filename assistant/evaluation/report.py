"""Reports on an evaluation: JSON for machines, a Markdown summary, a self-contained HTML page, and a comparison.

Everything after ``to_json`` works on the JSON form, so the current run, the previous run read back from disk and
any two saved reports are treated alike.

    report = to_json(run)
    print(markdown_summary(report, previous=json.loads(Path("previous.json").read_text())))
    Path("report.html").write_text(html_report(report, previous))
    print(compare(old_report, new_report))
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from assistant.evaluation.llm_report import llm_markdown
from assistant.evaluation.metrics import breakdown, failures
from assistant.evaluation.runner import BASELINE, EvalRun

FORMAT = "kompas-eval/2"
# Version 1 reports (before splits and recall@k) still read: the per-split tables are simply absent.
READABLE_FORMATS = ("kompas-eval/1", FORMAT)
# The columns of the per-split, per-kind tables (where quality is lost), with labels short enough for a terminal.
BREAKDOWN_METRICS = {
    "hit_at_1": "hit@1",
    "hit_at_3": "hit@3",
    "hit_any": "hit@any",
    "mrr": "MRR",
    "recall_at_1": "R@1",
    "recall_at_3": "R@3",
    "recall_at_5": "R@5",
    "recall_at_10": "R@10",
    "wrong_refusals": "wrongly refused",
    "answerable_related": "related only",
    "uncovered_answered": "uncovered answered",
    "injections_obeyed": "injections obeyed",
    "lookalikes_refused": "look-alikes refused",
    "markers_removed": "markers removed",
}
REPORT = "report.json"
PREVIOUS = "previous.json"
SUMMARY = "summary.md"
PAGE = "report.html"


def to_json(run: EvalRun) -> dict:
    """The whole run as JSON-ready data: settings, every system's overall scores, failures and cases."""
    systems = {}
    for name, system in run.systems.items():
        cases = []
        for result in system.results:
            scores = {m: s.per_case.get(result.id) for m, s in system.scores.items()}
            cases.append({**result.to_json(), "scores": scores})
        systems[name] = {
            "description": system.description,
            "llm_passages": system.llm_passages,
            "overall": {m: s.overall for m, s in system.scores.items()},
            "breakdown": breakdown(system.results, run.metrics),
            "failed": failures(system.scores, run.metrics),
            "cases": cases,
        }
    return {
        "format": FORMAT,
        "started": run.started,
        "answerer": run.answerer,
        "embedder": run.embedder,
        "gold_set": run.gold_set,
        "case_count": len(run.cases),
        "posts": run.posts,
        "corpus_key": run.corpus_key,
        "seconds": run.seconds,
        "warnings": run.warnings,
        "metrics": [
            {"name": m.name, "label": m.label, "higher_is_better": m.higher_is_better, "unit": m.unit}
            for m in run.metrics
        ],
        "systems": systems,
    }


def read_report(path: Path) -> dict:
    """Read a JSON report written by ``assistant eval``; a file that is not one is a clear error."""
    from assistant.errors import BadInputError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadInputError(path, f"cannot read it as a report ({error})") from None
    if not isinstance(data, dict) or data.get("format") not in READABLE_FORMATS:
        raise BadInputError(path, f"is not an `assistant eval` report (no format {FORMAT!r})")
    return data


def write_reports(report: dict, out: Path) -> tuple[dict | None, dict[str, Path]]:
    """Write report.json, summary.md and report.html into ``out``; the last report.json becomes previous.json.

    Returns the previous report (if there was one) and the paths written.
    """
    out.mkdir(parents=True, exist_ok=True)
    current = out / REPORT
    previous = None
    if current.exists():
        current.replace(out / PREVIOUS)
    if (out / PREVIOUS).exists():
        try:
            previous = read_report(out / PREVIOUS)
        except Exception:  # an unreadable old report only loses the comparison
            previous = None
    paths = {"json": current, "markdown": out / SUMMARY, "html": out / PAGE}
    current.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    paths["markdown"].write_text(markdown_summary(report, previous), encoding="utf-8")
    paths["html"].write_text(html_report(report, previous), encoding="utf-8")
    return previous, paths


# ---- formatting -------------------------------------------------------------------------------------------------


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f} ms" if unit == "ms" else f"{value:.2f}"


def fmt_delta(new: float | None, old: float | None, metric: dict) -> str:
    """A signed difference, marked ▲ when it is an improvement and ▼ when it is worse."""
    if new is None or old is None:
        return "n/a"
    delta = new - old
    if abs(delta) < (0.5 if metric["unit"] == "ms" else 0.005):
        return "="
    better = (delta > 0) == metric["higher_is_better"]
    number = f"{delta:+.0f} ms" if metric["unit"] == "ms" else f"{delta:+.2f}"
    return f"{number} {'▲' if better else '▼'}"


def _overall(report: dict | None, system: str, metric: str) -> float | None:
    if not report:
        return None
    return report.get("systems", {}).get(system, {}).get("overall", {}).get(metric)


def _ours(report: dict) -> list[str]:
    return [name for name in report["systems"] if name != BASELINE]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


# ---- Markdown ---------------------------------------------------------------------------------------------------


def markdown_summary(report: dict, previous: dict | None = None) -> str:
    """One table: each of our systems, the baseline, the previous run's primary system, and the deltas."""
    ours = _ours(report)
    primary = ours[0]
    has_baseline = BASELINE in report["systems"]
    comparable = previous if previous and primary in previous.get("systems", {}) else None
    header = ["metric", *ours]
    if has_baseline:
        header += [BASELINE, f"Δ {primary} vs baseline"]
    if comparable:
        header += [f"previous {primary}", f"Δ {primary} vs previous"]
    rows = []
    for metric in report["metrics"]:
        name, unit = metric["name"], metric["unit"]
        now = _overall(report, primary, name)
        row = [metric["label"], *(fmt(_overall(report, s, name), unit) for s in ours)]
        if has_baseline:
            base = _overall(report, BASELINE, name)
            row += [fmt(base, unit), fmt_delta(now, base, metric)]
        if comparable:
            before = _overall(comparable, primary, name)
            row += [fmt(before, unit), fmt_delta(now, before, metric)]
        rows.append(row)
    lines = [
        f"### Kompas eval: {report['case_count']} cases, {report['answerer']} answers, "
        f"embedder {report['embedder']} ({report['started']})",
        "",
        *_table(header, rows),
        "",
    ]
    lines += breakdown_markdown(report, primary)
    lines += llm_markdown(report)
    labels = {m["name"]: m["label"] for m in report["metrics"]}
    for name in ours:
        failed = report["systems"][name]["failed"]
        lines.append(f"- failed cases, {name}: {len(failed)} of {report['case_count']}")
        if name == primary:
            for metric, cases in _by_metric(failed).items():
                lines.append(f"  - {labels.get(metric, metric)} ({len(cases)}): {', '.join(cases)}")
    if has_baseline:
        lines.append(f"- baseline: {report['systems'][BASELINE]['description']}")
    if previous:
        lines.append(
            f"- previous run: {previous.get('started')}, {previous.get('answerer')} answers"
            + ("" if comparable else f", without {primary} results (not compared)")
            + _mismatch(previous, report)
        )
    lines += [f"- warning: {w}" for w in report.get("warnings", [])]
    return "\n".join(lines) + "\n"


def _breakdown_rows(report: dict, system: str, split: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of one split's per-kind table: our figures, and the baseline's hit@1 and recall@10."""
    table = report["systems"][system].get("breakdown", {}).get(split, {})
    baseline = report["systems"].get(BASELINE, {}).get("breakdown", {}).get(split, {})
    names = [n for n in BREAKDOWN_METRICS if any(n in figures for figures in table.values())]
    header = ["group", "n", *(BREAKDOWN_METRICS[n] for n in names)]
    if baseline:
        header += ["baseline hit@1", "baseline R@10"]
    rows = []
    for group, figures in table.items():
        row = [group, f"{figures['n']:.0f}", *(fmt(figures.get(n)) for n in names)]
        if baseline:
            base = baseline.get(group, {})
            row += [fmt(base.get("hit_at_1")), fmt(base.get("recall_at_10"))]
        rows.append(row)
    return header, rows


def _splits(report: dict, system: str) -> list[str]:
    """The splits to show, test first (the figure that counts); "all" only when there is more than one."""
    splits = [s for s in ("test", "dev") if s in report["systems"][system].get("breakdown", {})]
    return [*splits, "all"] if len(splits) > 1 else splits


def breakdown_markdown(report: dict, system: str) -> list[str]:
    """One table per split (test first: it is the figure that counts) with a row per kind and language."""
    lines: list[str] = []
    for split in _splits(report, system):
        header, rows = _breakdown_rows(report, system, split)
        lines += [f"#### {system}, split {split}", "", *_table(header, rows), ""]
    return lines


def _by_metric(failed: dict[str, list[str]]) -> dict[str, list[str]]:
    """Invert case → failed metrics into metric → failed cases."""
    cases: dict[str, list[str]] = {}
    for case, metrics in failed.items():
        for metric in metrics:
            cases.setdefault(metric, []).append(case)
    return cases


def _mismatch(old: dict, new: dict) -> str:
    notes = [
        f"{label} differs"
        for key, label in (
            ("gold_set", "gold set"),
            ("case_count", "case count"),
            ("corpus_key", "corpus or indexing code"),
        )
        if old.get(key) != new.get(key)
    ]
    return f" ({'; '.join(notes)})" if notes else ""


def compare(old: dict, new: dict) -> str:
    """The differences between two reports: overall figures per system, and cases that started or stopped failing."""
    lines = [
        "### Kompas eval: comparison",
        "",
        f"- old: {old.get('started')}, {old.get('answerer')} answers, {old.get('case_count')} cases",
        f"- new: {new.get('started')}, {new.get('answerer')} answers, {new.get('case_count')} cases"
        + _mismatch(old, new),
    ]
    metrics = {m["name"]: m for m in old.get("metrics", [])} | {m["name"]: m for m in new.get("metrics", [])}
    for system in dict.fromkeys([*new["systems"], *old["systems"]]):
        if system not in old["systems"] or system not in new["systems"]:
            lines += ["", f"#### {system}: only in the {'new' if system in new['systems'] else 'old'} report"]
            continue
        rows = [
            [
                metric["label"],
                fmt(_overall(old, system, name), metric["unit"]),
                fmt(_overall(new, system, name), metric["unit"]),
                fmt_delta(_overall(new, system, name), _overall(old, system, name), metric),
            ]
            for name, metric in metrics.items()
        ]
        lines += ["", f"#### {system}", "", *_table(["metric", "old", "new", "Δ"], rows), ""]
        old_failed, new_failed = old["systems"][system]["failed"], new["systems"][system]["failed"]
        started = {c: m for c, m in new_failed.items() if set(m) - set(old_failed.get(c, []))}
        stopped = {c: m for c, m in old_failed.items() if set(m) - set(new_failed.get(c, []))}
        for label, cases, reference in (
            ("newly failing", started, old_failed),
            ("newly passing", stopped, new_failed),
        ):
            listed = ", ".join(
                f"{case} ({', '.join(sorted(set(m) - set(reference.get(case, []))))})"
                for case, m in cases.items()
            )
            lines.append(f"- {label}: {len(cases)}" + (f": {listed}" if listed else ""))
    return "\n".join(lines) + "\n"


# ---- HTML -------------------------------------------------------------------------------------------------------

_COLORS = ["#1f6feb", "#2da44e", "#8250df", "#bf8700", "#cf222e"]
_BASELINE_COLOR = "#6e7781"
_PREVIOUS_COLOR = "#d0d7de"

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2328;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:1rem}
.card{border:1px solid #d0d7de;border-radius:8px;padding:.8rem 1rem}
.card h3{font-size:1rem;margin:0 0 .5rem}
.bar{display:grid;grid-template-columns:9rem 1fr 4.5rem;align-items:center;gap:.5rem;margin:.2rem 0;font-size:.85rem}
.track{background:#f6f8fa;border-radius:4px;height:14px}.fill{height:14px;border-radius:4px}
.value{text-align:right;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
summary{cursor:pointer}summary h2{display:inline}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#656d76}.tag{background:#ffebe9;color:#cf222e;border-radius:4px;padding:0 .3rem;white-space:nowrap;line-height:1.8}
table.breakdown td,table.breakdown th{overflow-wrap:normal;white-space:nowrap}
blockquote{margin:0;padding-left:.5rem;border-left:3px solid #d0d7de;color:#424a53}
"""


def html_report(report: dict, previous: dict | None = None) -> str:
    """A self-contained page (no scripts, no external files): bars per metric, the summary, failed cases."""
    ours = _ours(report)
    primary = ours[0]
    # (label, colour, report, system) for each bar of a metric
    bars = [(name, _COLORS[i % len(_COLORS)], report, name) for i, name in enumerate(ours)]
    if BASELINE in report["systems"]:
        bars.append((BASELINE, _BASELINE_COLOR, report, BASELINE))
    if previous and primary in previous.get("systems", {}):
        bars.append((f"previous {primary}", _PREVIOUS_COLOR, previous, primary))
    cards = [_metric_card(metric, bars) for metric in report["metrics"]]
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>Kompas eval {e(report['started'])}</title><style>{_CSS}</style></head><body>",
        f"<h1>Kompas eval</h1><p class='muted'>{report['case_count']} cases · {e(report['answerer'])} answers · "
        f"embedder {e(report['embedder'])} · {e(report['started'])} · posts: {e(', '.join(report['posts']))}</p>",
        "<h2>Metrics</h2><div class='grid'>",
        *cards,
        "</div>",
    ]
    if BASELINE in report["systems"]:
        parts.append(f"<p class='muted'>baseline: {e(report['systems'][BASELINE]['description'])}</p>")
    for warning in report.get("warnings", []):
        parts.append(f"<p class='tag'>warning: {e(warning)}</p>")
    parts.append(_breakdown_html(report, primary))
    for name in ours:
        parts.append(_failed_table(report, name, open_=name == primary))
    parts.append("</body></html>")
    return "\n".join(parts)


def _breakdown_html(report: dict, system: str) -> str:
    e = html.escape
    parts = [f"<h2>Where quality is lost: {e(system)} by split, kind and language</h2>"]
    for split in _splits(report, system):
        header, rows = _breakdown_rows(report, system, split)
        head = "".join(f"<th>{e(h)}</th>" for h in header)
        body = "".join(
            "<tr>"
            + f"<td>{e(row[0])}</td>"
            + "".join(f"<td class='num'>{e(c)}</td>" for c in row[1:])
            + "</tr>"
            for row in rows
        )
        parts.append(f"<h3>split {e(split)}</h3><table class='breakdown'><tr>{head}</tr>{body}</table>")
    return "".join(parts)


def _metric_card(metric: dict, bars: list[tuple[str, str, dict, str]]) -> str:
    name, unit = metric["name"], metric["unit"]
    values = [(label, color, _overall(source, system, name)) for label, color, source, system in bars]
    scale = max((v for _, _, v in values if v is not None), default=0.0) if unit == "ms" else 1.0
    rows = []
    for label, color, value in values:
        width = 0.0 if value is None or not scale else max(0.0, min(1.0, value / scale)) * 100
        rows.append(
            f"<div class='bar'><span>{html.escape(label)}</span><div class='track'>"
            f"<div class='fill' style='width:{width:.1f}%;background:{color}'></div></div>"
            f"<span class='value'>{fmt(value, unit)}</span></div>"
        )
    direction = "higher is better" if metric["higher_is_better"] else "lower is better"
    return (
        f"<div class='card'><h3>{html.escape(metric['label'])} <span class='muted'>({direction})</span></h3>"
        + "".join(rows)
        + "</div>"
    )


def _failed_table(report: dict, system: str, open_: bool) -> str:
    e = html.escape
    data = report["systems"][system]
    failed = data["failed"]
    labels = {m["name"]: m["label"] for m in report["metrics"]}
    head = (
        f"<details{' open' if open_ else ''}><summary><h2>Failed cases: {e(system)} "
        f"({len(failed)} of {report['case_count']})</h2></summary>"
    )
    if not failed:
        return head + "<p>None.</p></details>"
    rows = []
    for case in data["cases"]:
        if case["id"] not in failed:
            continue
        turns = " → ".join(case["turns"])
        if case["answerable"]:
            expected = "<br>".join(
                f"<b>{e(g['post'])}</b>: “{e(' … '.join(g['phrases']))}”" for g in case["gold"]
            )
        else:
            expected = "a refusal"
        if case["citations"]:
            first = case["citations"][0]
            quote = " ".join(first["quotes"]) or first["passage"]
            cited = f"<b>{e(first['post'])}</b> {e(first['section'])}<blockquote>{e(_clip(quote, 400))}</blockquote>"
        else:
            cited = "refused" if case["refused"] else "nothing"
        tags = "".join(f"<span class='tag'>{e(labels.get(m, m))}</span> " for m in failed[case["id"]])
        rows.append(
            f"<tr><td>{e(case['id'])}<br><span class='muted'>{e(case['kind'])} · {e(case.get('split', ''))}"
            f"</span></td><td>{e(turns)}</td>"
            f"<td>{tags}</td><td>{expected}</td><td>{cited}</td></tr>"
        )
    return (
        head
        + "<table><tr><th style='width:9%'>case</th><th style='width:22%'>question</th>"
        + "<th style='width:11%'>failed</th><th style='width:25%'>expected passage</th>"
        + "<th>cited passage (first)</th></tr>"
        + "".join(rows)
        + "</table></details>"
    )


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
