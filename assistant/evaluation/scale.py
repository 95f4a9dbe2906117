"""The scale curve: the same cases scored as the corpus grows from the posts they need to every fixture.

Each step indexes the seed corpus, the posts the cases cite, and the first N other fixtures as distractors (in a
fixed shuffled order, so every run adds the same posts). Our engine (hybrid, extractive) and the plain baseline
answer the cases at every step; hit@1 and retrieval recall@10 are plotted against the number of posts. Vectors
come from the evaluation's embedding cache, so each step costs index writes, not embedding.

    run = evaluate_scale(Settings(), test_cases, Path("eval/fixtures"), steps=(0, 5, 15, None))
    Path("scale.html").write_text(scale_html(scale_json(run)))
"""

from __future__ import annotations

import html
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from llama_index.core.embeddings import BaseEmbedding

from assistant.config import Settings
from assistant.corpus.folder import CorpusFolder
from assistant.corpus.model import slugify
from assistant.embedders import make_embedder
from assistant.evaluation.gold import GoldCase
from assistant.evaluation.metrics import answered_share, hit_at_k, recall_at_k, refused_share
from assistant.evaluation.runner import (
    BASELINE,
    Progress,
    corpus_files,
    indexed_corpus,
    run_baseline,
    run_cases,
)

DISTRACTOR_STEPS: tuple[int | None, ...] = (0, 5, 15, None)  # None: every other fixture
SHUFFLE_SEED = 20261127
SYSTEMS = ("hybrid", BASELINE)
FIGURES = ("hit_at_1", "recall_at_10")
# Our engine's decisions, which depend on the corpus's vocabulary as well as on its similarities (table only).
DECISIONS = ("wrong_refusals", "uncovered_answered")
SCALE_JSON = "scale.json"
SCALE_PAGE = "scale.html"


@dataclass(frozen=True)
class ScalePoint:
    """One system's figures on one corpus size."""

    posts: int
    distractors: int
    system: str
    hit_at_1: float | None
    recall_at_10: float | None
    wrong_refusals: float | None = None
    uncovered_answered: float | None = None


@dataclass
class ScaleRun:
    cases: list[GoldCase]
    points: list[ScalePoint]
    embedder: str
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    seconds: float = 0.0


def distractor_order(candidates: Sequence[str]) -> list[str]:
    """The other posts in the order they are added: shuffled once, the same way on every run."""
    order = sorted(candidates)
    random.Random(SHUFFLE_SEED).shuffle(order)
    return order


def evaluate_scale(
    settings: Settings,
    cases: Sequence[GoldCase],
    fixtures_dir: Path,
    steps: Sequence[int | None] = DISTRACTOR_STEPS,
    *,
    embedder: BaseEmbedding | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> ScaleRun:
    """Score ``cases`` on growing corpora: needed posts, then ``steps`` distractors more (``None``: all)."""
    started = time.perf_counter()
    cache_root = cache_dir or settings.data_dir / "eval-cache"
    embedder = embedder or make_embedder(settings)  # loaded once for every corpus size
    files = {slugify(p.stem): p for p in corpus_files(settings, fixtures_dir)}
    seed = {slugify(p.stem) for p in CorpusFolder(settings.corpus_dir).post_files()}
    needed = seed | {g.post for c in cases for g in c.gold if g.post in files}
    others = distractor_order(set(files) - needed)
    counts = sorted({len(others) if s is None else min(s, len(others)) for s in steps})
    run = ScaleRun(list(cases), [], settings.embedder)
    for count in counts:
        chosen = [files[s] for s in sorted(needed | set(others[:count]))]
        with indexed_corpus(
            settings, chosen, cache_root / "scale", embedder, progress, keep=len(counts) + 1
        ) as (engine, _, workdir):
            label = f"{len(chosen)} posts"
            ours = run_cases(
                engine.make_answerer("hybrid", use_llm=False),
                cases,
                lambda done, label=label: progress and progress(label, done, len(cases)),
            )
            posts = list(engine.corpus.scan().posts.values())
            baseline = run_baseline(posts, engine.embedder, cases, workdir, progress)
        for system, results in (("hybrid", ours), (BASELINE, baseline)):
            run.points.append(
                ScalePoint(
                    len(chosen),
                    count,
                    system,
                    hit_at_k(results, 1).overall,
                    recall_at_k(results, 10).overall,
                    refused_share(results, lambda r: r.case.answerable).overall,
                    answered_share(results, "uncovered").overall,
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
        "seconds": run.seconds,
        "points": [p.__dict__ for p in run.points],
    }


def write_scale_reports(report: dict, out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / SCALE_JSON, "html": out / SCALE_PAGE}
    paths["json"].write_text(json.dumps(report, indent=1), encoding="utf-8")
    paths["html"].write_text(scale_html(report), encoding="utf-8")
    return paths


def scale_markdown(report: dict) -> str:
    header = (
        "| posts | distractors | "
        + " | ".join([*(f"{s} {f}" for s in SYSTEMS for f in FIGURES), *(f"hybrid {d}" for d in DECISIONS)])
        + " |"
    )
    lines = [
        f"### Kompas scale curve: {report['answerable']} answerable of {report['cases']} cases "
        f"({', '.join(report['splits'])}), embedder {report['embedder']}",
        "",
        header,
        "|" + "---:|" * (2 + len(SYSTEMS) * len(FIGURES) + len(DECISIONS)),
    ]
    for posts, distractors, row in _rows(report):
        cells = [_fmt(row.get(s, {}).get(f)) for s in SYSTEMS for f in FIGURES]
        cells += [_fmt(row.get("hybrid", {}).get(d)) for d in DECISIONS]
        lines.append(f"| {posts} | {distractors} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _rows(report: dict) -> list[tuple[int, int, dict[str, dict]]]:
    by_size: dict[tuple[int, int], dict[str, dict]] = {}
    for point in report["points"]:
        by_size.setdefault((point["posts"], point["distractors"]), {})[point["system"]] = point
    return [(posts, distractors, row) for (posts, distractors), row in sorted(by_size.items())]


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


# ---- the chart: inline SVG, no scripts, no external files ----------------------------------------------------

_WIDTH, _HEIGHT, _PAD = 700, 340, 48
_STYLE = {  # (system, figure) → (colour, dash)
    ("hybrid", "hit_at_1"): ("#1f6feb", ""),
    ("hybrid", "recall_at_10"): ("#1f6feb", "6 4"),
    (BASELINE, "hit_at_1"): ("#6e7781", ""),
    (BASELINE, "recall_at_10"): ("#6e7781", "6 4"),
}


def scale_html(report: dict) -> str:
    e = html.escape
    rows = _rows(report)
    sizes = [posts for posts, _, _ in rows]
    low, high = min(sizes, default=0), max(sizes, default=1)

    def x(posts: int) -> float:
        return _PAD + (posts - low) / max(1, high - low) * (_WIDTH - 2 * _PAD)

    def y(value: float) -> float:
        return _HEIGHT - _PAD - value * (_HEIGHT - 2 * _PAD)

    shapes = [
        f"<line x1='{_PAD}' y1='{y(v)}' x2='{_WIDTH - _PAD}' y2='{y(v)}' stroke='#d0d7de'/>"
        f"<text x='{_PAD - 8}' y='{y(v) + 4}' text-anchor='end'>{v:.2f}</text>"
        for v in (0.0, 0.25, 0.5, 0.75, 1.0)
    ]
    shapes += [
        f"<text x='{x(posts)}' y='{_HEIGHT - _PAD + 18}' text-anchor='middle'>{posts}</text>"
        for posts in sizes
    ]
    legend = []
    for i, ((system, figure), (colour, dash)) in enumerate(_STYLE.items()):
        points = [
            (x(posts), y(row[system][figure]))
            for posts, _, row in rows
            if system in row and row[system][figure] is not None
        ]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        shapes.append(
            f"<polyline points='{path}' fill='none' stroke='{colour}' stroke-width='2' "
            f"stroke-dasharray='{dash}'/>"
        )
        shapes += [f"<circle cx='{px:.1f}' cy='{py:.1f}' r='3' fill='{colour}'/>" for px, py in points]
        name = f"{'Kompas' if system == 'hybrid' else 'baseline'} {figure.replace('_at_', '@')}"
        legend.append(
            f"<line x1='{_PAD + i * 150}' y1='14' x2='{_PAD + i * 150 + 24}' y2='14' stroke='{colour}' "
            f"stroke-width='2' stroke-dasharray='{dash}'/>"
            f"<text x='{_PAD + i * 150 + 30}' y='18'>{e(name)}</text>"
        )
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{_WIDTH}' height='{_HEIGHT}' "
        f"font-family='system-ui,sans-serif' font-size='12'>{''.join(shapes + legend)}"
        f"<text x='{_WIDTH / 2}' y='{_HEIGHT - 8}' text-anchor='middle'>posts in the index</text></svg>"
    )
    table = "".join(
        f"<tr><td>{posts}</td><td>{distractors}</td>"
        + "".join(f"<td>{_fmt(row.get(s, {}).get(f))}</td>" for s in SYSTEMS for f in FIGURES)
        + "</tr>"
        for posts, distractors, row in rows
    )
    head = "".join(f"<th>{e(s)} {e(f)}</th>" for s in SYSTEMS for f in FIGURES)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Kompas scale curve</title>"
        "<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:760px}"
        "td,th{padding:.2rem .6rem;text-align:right;border-bottom:1px solid #d0d7de}"
        "table{border-collapse:collapse}</style></head><body>"
        f"<h1>Scale curve</h1><p>{report['answerable']} answerable of {report['cases']} cases "
        f"({e(', '.join(report['splits']))}) · embedder {e(report['embedder'])} · {e(report['started'])}</p>"
        f"{svg}<table><tr><th>posts</th><th>distractors</th>{head}</tr>{table}</table></body></html>"
    )
