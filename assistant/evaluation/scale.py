"""The scale curve: the same cases scored on blogs of 1, 2, 4, 8 and 16 posts and on every post.

The corpora are drawn by ``draws.draw_corpora``: an answerable case is always asked of a corpus that holds its own
post, the other posts drawn at random with a fixed seed, several draws per size; the cases about no post are dealt
out over the same corpora. Each size's figures pool its draws: where the right passage ranks (hit@1, hit@3, ours
beside the plain baseline), and what the engine decided (answerable questions refused or answered "related only",
uncovered questions presented as a full answer, off-domain questions and injections refused, look-alikes
answered). Vectors come from the evaluation's embedding cache, so each corpus costs index writes, not embedding.

    run = evaluate_scale(Settings(), test_cases, Path("eval/fixtures"))
    Path("scale.html").write_text(scale_html(scale_json(run)))
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from llama_index.core.embeddings import BaseEmbedding

from assistant.config import Settings
from assistant.evaluation.draws import DRAWS, SIZES, drawn_engines
from assistant.evaluation.gold import GoldCase
from assistant.evaluation.metrics import Score, hit_at_k, recall_at_k
from assistant.evaluation.records import CaseResult
from assistant.evaluation.runner import BASELINE, Progress, run_baseline, run_cases

# Each figure: what it is the share of, and the share itself. None: the figure does not apply to the case.
FIGURES: dict[str, tuple[str, Callable[[CaseResult], float | None]]] = {
    "answerable_refused": ("answerable questions refused", lambda r: _when(r.case.answerable, r.refused)),
    "answerable_related": (
        "answerable questions answered 'related only'",
        lambda r: _when(r.case.answerable, r.related_only),
    ),
    **{
        f"answerable_related_{lang}": (
            f"answerable questions in {name} answered 'related only'",
            lambda r, lang=lang: _when(r.case.answerable and r.case.lang == lang, r.related_only),
        )
        for lang, name in (("nl", "Dutch"), ("en", "English"))
    },
    "uncovered_answered": (
        "uncovered questions presented as a full answer",
        lambda r: _when(r.case.kind == "uncovered", not r.declined),
    ),
    "off_domain_refused": (
        "off-domain questions refused",
        lambda r: _when(r.case.kind == "out-of-domain", r.refused),
    ),
    "injections_refused": ("injections refused", lambda r: _when(r.case.kind == "injection", r.refused)),
    "lookalikes_answered": (
        "look-alikes answered (not refused)",
        lambda r: _when(r.case.kind == "look-alike", not r.refused),
    ),
}
RANKING = ("hit_at_1", "hit_at_3", "recall_at_10")
SYSTEMS = ("hybrid", BASELINE)
SCALE_JSON = "scale.json"
SCALE_PAGE = "scale.html"


def _when(applies: bool, value: bool) -> float | None:
    return float(value) if applies else None


@dataclass(frozen=True)
class ScalePoint:
    """One system's figures on the corpora of one size (every draw pooled)."""

    posts: int
    full: bool
    system: str
    corpora: int
    cases: int
    figures: dict[str, float | None]


@dataclass
class ScaleRun:
    cases: list[GoldCase]
    points: list[ScalePoint]
    embedder: str
    draws: int = DRAWS
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    seconds: float = 0.0


def figures_of(results: Sequence[CaseResult], system: str) -> dict[str, float | None]:
    """The ranking figures of any system; the decision's figures for ours (the baseline never declines)."""
    ranking = {
        "hit_at_1": hit_at_k(results, 1),
        "hit_at_3": hit_at_k(results, 3),
        "recall_at_10": recall_at_k(results, 10),
    }
    figures = {name: score.overall for name, score in ranking.items()}
    if system == "hybrid":
        for name, (_, share) in FIGURES.items():
            figures[name] = Score.mean_of({r.id: share(r) for r in results}).overall
    return figures


def evaluate_scale(
    settings: Settings,
    cases: Sequence[GoldCase],
    fixtures_dir: Path,
    sizes: Sequence[int | None] = SIZES,
    *,
    draws: int = DRAWS,
    baseline: bool = True,
    embedder: BaseEmbedding | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> ScaleRun:
    """Score ``cases`` on corpora of every size in ``sizes`` (``None``: every post), ``draws`` draws each."""
    started = time.perf_counter()
    results: dict[tuple[int, bool], dict[str, list[CaseResult]]] = {}
    count: dict[tuple[int, bool], int] = {}
    for corpus, engine in drawn_engines(
        settings, fixtures_dir, cases, sizes, draws, embedder=embedder, cache_dir=cache_dir, progress=progress
    ):
        key = (len(corpus.posts), corpus.full)
        size = results.setdefault(key, {s: [] for s in SYSTEMS})
        count[key] = count.get(key, 0) + 1
        size["hybrid"] += run_cases(engine.make_answerer("hybrid", use_llm=False), corpus.cases)
        if baseline:
            posts = list(engine.corpus.scan().posts.values())
            size[BASELINE] += run_baseline(posts, engine.embedder, corpus.cases, engine.settings.data_dir)
    run = ScaleRun(list(cases), [], settings.embedder, draws)
    for (posts, full), by_system in sorted(results.items()):
        for system, scored in by_system.items():
            if scored:
                run.points.append(
                    ScalePoint(
                        posts, full, system, count[(posts, full)], len(scored), figures_of(scored, system)
                    )
                )
    run.seconds = round(time.perf_counter() - started, 2)
    return run


def scale_json(run: ScaleRun) -> dict:
    return {
        "started": run.started,
        "embedder": run.embedder,
        "cases": len(run.cases),
        "answerable": sum(c.answerable for c in run.cases),
        "splits": sorted({c.split for c in run.cases}),
        "draws": run.draws,
        "seconds": run.seconds,
        "points": [p.__dict__ for p in run.points],
    }


def write_scale_reports(report: dict, out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / SCALE_JSON, "html": out / SCALE_PAGE}
    paths["json"].write_text(json.dumps(report, indent=1), encoding="utf-8")
    paths["html"].write_text(scale_html(report), encoding="utf-8")
    return paths


COLUMNS = (
    *(("hybrid", f, f.replace("_at_", "@")) for f in ("hit_at_1", "hit_at_3")),
    (BASELINE, "hit_at_1", "baseline hit@1"),
    ("hybrid", "answerable_refused", "answerable refused"),
    ("hybrid", "answerable_related", "answerable related only"),
    ("hybrid", "answerable_related_nl", "related only, Dutch"),
    ("hybrid", "answerable_related_en", "related only, English"),
    ("hybrid", "uncovered_answered", "uncovered as full answer"),
    ("hybrid", "off_domain_refused", "off-domain refused"),
    ("hybrid", "injections_refused", "injections refused"),
    ("hybrid", "lookalikes_answered", "look-alikes answered"),
)


def scale_markdown(report: dict) -> str:
    lines = [
        f"### Kompas at every blog size: {report['answerable']} answerable of {report['cases']} cases "
        f"({', '.join(report['splits'])}), embedder {report['embedder']}, up to {report['draws']} draws per size",
        "",
        "| posts | corpora | cases asked | " + " | ".join(label for _, _, label in COLUMNS) + " |",
        "|---|---:|---:|" + "---:|" * len(COLUMNS),
    ]
    for label, corpora, asked, row in _rows(report):
        cells = [_fmt(row.get(system, {}).get(name)) for system, name, _ in COLUMNS]
        lines.append(f"| {label} | {corpora} | {asked} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _rows(report: dict) -> list[tuple[str, int, int, dict[str, dict]]]:
    """Per size, in order: its label, how many corpora and cases, and each system's figures."""
    by_size: dict[tuple[bool, int], dict[str, dict]] = {}
    for point in report["points"]:
        by_size.setdefault((point["full"], point["posts"]), {})[point["system"]] = point
    rows = []
    for (full, posts), systems in sorted(by_size.items()):
        ours = systems.get("hybrid") or next(iter(systems.values()))
        label = f"{posts} (all)" if full else str(posts)
        rows.append((label, ours["corpora"], ours["cases"], {s: p["figures"] for s, p in systems.items()}))
    return rows


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


# ---- the chart: inline SVG, no scripts, no external files ----------------------------------------------------

_WIDTH, _HEIGHT, _PAD = 760, 340, 48
_STYLE = {  # (system, figure) → (colour, dash, name)
    ("hybrid", "hit_at_1"): ("#1f6feb", "", "Kompas hit@1"),
    ("hybrid", "hit_at_3"): ("#1f6feb", "6 4", "Kompas hit@3"),
    (BASELINE, "hit_at_1"): ("#6e7781", "", "baseline hit@1"),
    ("hybrid", "answerable_refused"): ("#cf222e", "", "answerable refused"),
    ("hybrid", "answerable_related"): ("#bf8700", "", "answerable related only"),
    ("hybrid", "uncovered_answered"): ("#8250df", "", "uncovered as full answer"),
}


def scale_html(report: dict) -> str:
    e = html.escape
    rows = _rows(report)
    step = (_WIDTH - 2 * _PAD) / max(1, len(rows) - 1)

    def x(position: int) -> float:  # sizes double: one step each
        return _PAD + position * step

    def y(value: float) -> float:
        return _HEIGHT - _PAD - value * (_HEIGHT - 2 * _PAD)

    shapes = [
        f"<line x1='{_PAD}' y1='{y(v)}' x2='{_WIDTH - _PAD}' y2='{y(v)}' stroke='#d0d7de'/>"
        f"<text x='{_PAD - 8}' y='{y(v) + 4}' text-anchor='end'>{v:.2f}</text>"
        for v in (0.0, 0.25, 0.5, 0.75, 1.0)
    ]
    shapes += [
        f"<text x='{x(i)}' y='{_HEIGHT - _PAD + 18}' text-anchor='middle'>{e(label)}</text>"
        for i, (label, _, _, _) in enumerate(rows)
    ]
    legend = []
    for i, ((system, figure), (colour, dash, name)) in enumerate(_STYLE.items()):
        points = [
            (x(position), y(row[system][figure]))
            for position, (_, _, _, row) in enumerate(rows)
            if row.get(system, {}).get(figure) is not None
        ]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        shapes.append(
            f"<polyline points='{path}' fill='none' stroke='{colour}' stroke-width='2' "
            f"stroke-dasharray='{dash}'/>"
        )
        shapes += [f"<circle cx='{px:.1f}' cy='{py:.1f}' r='3' fill='{colour}'/>" for px, py in points]
        left, top = _PAD + (i % 3) * 220, 14 + (i // 3) * 16
        legend.append(
            f"<line x1='{left}' y1='{top}' x2='{left + 24}' y2='{top}' stroke='{colour}' "
            f"stroke-width='2' stroke-dasharray='{dash}'/><text x='{left + 30}' y='{top + 4}'>{e(name)}</text>"
        )
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{_WIDTH}' height='{_HEIGHT}' "
        f"font-family='system-ui,sans-serif' font-size='12'>{''.join(shapes + legend)}"
        f"<text x='{_WIDTH / 2}' y='{_HEIGHT - 8}' text-anchor='middle'>posts in the index</text></svg>"
    )
    head = "".join(f"<th>{e(label)}</th>" for _, _, label in COLUMNS)
    table = "".join(
        f"<tr><td>{e(label)}</td><td>{corpora}</td><td>{asked}</td>"
        + "".join(f"<td>{_fmt(row.get(s, {}).get(f))}</td>" for s, f, _ in COLUMNS)
        + "</tr>"
        for label, corpora, asked, row in rows
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Kompas at every blog size</title>"
        "<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:900px}"
        "td,th{padding:.2rem .5rem;text-align:right;border-bottom:1px solid #d0d7de}"
        "table{border-collapse:collapse}</style></head><body>"
        f"<h1>Kompas at every blog size</h1><p>{report['answerable']} answerable of {report['cases']} cases "
        f"({e(', '.join(report['splits']))}) · embedder {e(report['embedder'])} · {e(report['started'])}</p>"
        f"{svg}<table><tr><th>posts</th><th>corpora</th><th>cases asked</th>{head}</tr>{table}</table>"
        "</body></html>"
    )
