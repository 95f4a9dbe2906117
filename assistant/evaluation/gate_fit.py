"""Calibrate the relevance gate for the embedder in use on the ``dev`` split, on blogs of every size; store it.

Every ``dev`` case except the injections (the guard refuses those before retrieval), and the questions outside
any school field of ``eval/off-domain.jsonl`` (``OFF_DOMAIN``: Dutch and English, written for this calibration; the
gold set's ``dev`` split has only six, all Dutch), is asked, as the engine asks it, of the corpora
``draws.draw_corpora`` draws: 1, 2, 4, 8 and 16 posts (an answerable case's own post always in, three draws) and
every post. Each asking gives one row of ``relevance.evidence``. Then:

- the **answer score** is a logistic regression of "the posts answer it" (answerable cases against uncovered ones:
  the field score keeps the out-of-domain ones out); its threshold is the strictest of the sizes' places where at
  most ``UNCOVERED_ANSWERED`` of the uncovered cases of that size score above it;
- the **field score** is a logistic regression of "it lies in the field" (answerable and uncovered cases against
  the out-of-domain ones); the floor of each language lies below all but ``ANSWERABLE_REFUSED`` of that
  language's answerable cases at every size, and halfway down to the language's highest out-of-domain case when
  that lies lower still (the widest margin there is).

Cross-validation fits both without the held-out posts' cases and reports the outcomes those cases get, per size.
``test`` is never read.

    report = fit_gate(Settings(), load_gold(Path("eval/gold.jsonl")), Path("eval/fixtures"))
    report.gate.save()
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from llama_index.core.embeddings import BaseEmbedding

from assistant.answering.pipeline import Answerer
from assistant.config import Settings
from assistant.evaluation.draws import DRAWS, SIZES, drawn_engines
from assistant.evaluation.gold import GoldCase, in_split, load_gold
from assistant.evaluation.runner import Progress, earlier_turns
from assistant.ranking import fit_weights
from assistant.relevance import ANSWER_FEATURES, FIELD_FEATURES, Model, RelevanceGate, evidence
from assistant.retrieval import HybridRetriever

# The targets the thresholds are placed at: the share of uncovered questions allowed above the answer threshold
# (presented as answered) at any size, and the share of answerable ones allowed below a field floor (refused).
UNCOVERED_ANSWERED = 0.10
ANSWERABLE_REFUSED = 0.01
FOLDS = 5
FOLD_SEED = 7
# Beside the fixtures: questions outside any school field, in both languages, for the field score's floors.
OFF_DOMAIN = "off-domain.jsonl"


@dataclass(frozen=True)
class Row:
    """One dev case asked of one drawn corpus, as the gate sees it."""

    case: GoldCase
    posts: int
    values: dict[str, float]
    lang: str

    @property
    def group(self) -> str:
        """What cross-validation holds out together: the post an answerable case was written for."""
        return self.case.gold[0].post if self.case.gold else self.case.id

    @property
    def in_field(self) -> bool:
        return self.case.kind != "out-of-domain"


@dataclass
class GateReport:
    gate: RelevanceGate
    # posts in the corpus → kind → outcome counts, each row scored by a gate fitted without its post's cases
    cross_validated: dict[int, dict[str, Counter]]

    def markdown(self) -> str:
        kinds = sorted({kind for by_kind in self.cross_validated.values() for kind in by_kind})
        rows = ["| posts | kind | answer | related | refuse |", "|---:|---|---:|---:|---:|"]
        for posts, by_kind in sorted(self.cross_validated.items()):
            for kind in kinds:
                counts = by_kind.get(kind, Counter())
                rows.append(
                    f"| {posts} | {kind} | {counts['answer']} | {counts['related']} | {counts['refuse']} |"
                )
        gate = self.gate

        def weights(model: Model) -> str:
            return ", ".join(f"{n} {w:+.2f}" for n, w in zip(model.features, model.weights, strict=True))

        floors = ", ".join(f"{lang} ≥ {t:.3f}" for lang, t in gate.field_floors.items())
        return (
            f"### Relevance gate calibrated for {gate.embedder} on dev at every blog size, cross-validated "
            "across posts\n\n"
            + "\n".join(rows)
            + f"\n\nanswer score: {weights(gate.answer_model)}; answered at ≥ {gate.answer_threshold:.3f}\n\n"
            + f"field score: {weights(gate.field_model)}; refused below the floor ({floors})\n"
        )


def fit_gate(
    settings: Settings,
    cases: Sequence[GoldCase],
    fixtures_dir: Path,
    *,
    sizes: Sequence[int | None] = SIZES,
    draws: int = DRAWS,
    embedder: BaseEmbedding | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> GateReport:
    """Collect the dev cases' evidence (and that of ``OFF_DOMAIN`` beside ``fixtures_dir``'s folder, when it is
    there) on blogs of every size, cross-validate, and calibrate on all of it."""
    off_domain = fixtures_dir.parent / OFF_DOMAIN
    outside = load_gold(off_domain) if off_domain.exists() else []
    rows = collect_rows(
        settings,
        [c for c in in_split([*cases, *outside], "dev") if c.kind != "injection"],
        fixtures_dir,
        sizes,
        draws,
        embedder=embedder,
        cache_dir=cache_dir,
        progress=progress,
    )
    gate = calibrate(rows, settings.embedder)
    fitted = {
        "on": "dev",
        "date": datetime.now(UTC).date().isoformat(),
        "cases": len({r.case.id for r in rows}),
        "rows": len(rows),
        "sizes": sorted({r.posts for r in rows}),
        "draws": draws,
        "uncovered_answered": UNCOVERED_ANSWERED,
        "answerable_refused": ANSWERABLE_REFUSED,
    }
    return GateReport(replace(gate, fitted=fitted), cross_validate(rows, settings.embedder))


def collect_rows(
    settings: Settings,
    cases: Sequence[GoldCase],
    fixtures_dir: Path,
    sizes: Sequence[int | None],
    draws: int,
    *,
    embedder: BaseEmbedding | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> list[Row]:
    """Each case asked of each drawn corpus that asks it, as a row of evidence."""
    rows: list[Row] = []
    for corpus, engine in drawn_engines(
        settings, fixtures_dir, cases, sizes, draws, embedder=embedder, cache_dir=cache_dir, progress=progress
    ):
        # Any gate will do while collecting (the evidence does not depend on it); this one needs no calibration.
        retriever = HybridRetriever(engine.index, engine.embedder)
        answerer = Answerer(retriever, gate=RelevanceGate(settings.embedder), blog_field=settings.blog_field)
        rows += [collect(case, answerer, len(corpus.posts)) for case in corpus.cases]
    return rows


def collect(case: GoldCase, answerer: Answerer, posts: int) -> Row:
    """The evidence the gate reads for a case's last turn, asked after its earlier turns."""
    history = earlier_turns(answerer, case)
    answer = answerer.ask(case.question, history)
    standalone = answer.standalone_question or case.question
    retrieval = answerer.retriever.search(standalone)
    asked = case.question if standalone != case.question else ""
    alone = answerer.retriever.search(case.question) if asked else None
    similarity = answerer.field.similarity(retrieval.vector, answer.lang)
    values = evidence(retrieval, similarity, answer.lang, asked, alone)
    return Row(case, posts, values, answer.lang)


def calibrate(rows: Sequence[Row], embedder: str) -> RelevanceGate:
    """Both logistic scores and where they are cut, from labelled rows."""
    answer_model = logistic([r for r in rows if r.in_field], ANSWER_FEATURES, lambda r: r.case.answerable)
    field_model = logistic(rows, FIELD_FEATURES, lambda r: r.in_field)
    return RelevanceGate(
        embedder,
        answer_model,
        answer_threshold(rows, answer_model),
        field_model,
        field_floors(rows, field_model),
    )


def logistic(rows: Sequence[Row], features: Sequence[str], label: Callable[[Row], bool]) -> Model:
    """A logistic regression over ``features``, both classes weighing the same, on standardized values."""
    values = np.array([[r.values[f] for f in features] for r in rows], dtype=np.float64)
    mean = values.mean(axis=0)
    scale = values.std(axis=0)
    scale[scale == 0] = 1.0
    labels = np.array([label(r) for r in rows], dtype=np.float64)
    weights = fit_weights([((values - mean) / scale, labels)], steps=2000, rate=0.3)
    return Model(
        tuple(features),
        tuple(mean.round(6).tolist()),
        tuple(scale.round(6).tolist()),
        tuple(weights.round(4).tolist()),
    )


def answer_threshold(rows: Sequence[Row], model: Model) -> float:
    """The lowest score that leaves at most ``UNCOVERED_ANSWERED`` of the uncovered cases above it at any size."""
    places = [
        np.quantile(scores, 1 - UNCOVERED_ANSWERED)
        for scores in _by_size(rows, model, lambda r: r.case.kind == "uncovered").values()
    ]
    return round(float(max(places)), 4)


def field_floors(rows: Sequence[Row], model: Model) -> dict[str, float]:
    """Per language: below all but ``ANSWERABLE_REFUSED`` of its answerable cases at every size, and halfway down
    to its highest out-of-domain case (of any language when it has none) when that lies lower."""
    floors = {}
    for lang in sorted({r.lang for r in rows if r.case.answerable}):
        outside = [model.score(r.values) for r in rows if not r.in_field and r.lang == lang] or [
            model.score(r.values) for r in rows if not r.in_field
        ]
        highest_outside = max(outside, default=-np.inf)
        by_size = _by_size(rows, model, lambda r, lang=lang: r.case.answerable and r.lang == lang)
        lowest = min(float(np.quantile(scores, ANSWERABLE_REFUSED)) for scores in by_size.values())
        floors[lang] = round((lowest + highest_outside) / 2 if highest_outside < lowest else lowest, 4)
    return floors


def _by_size(rows: Sequence[Row], model: Model, applies: Callable[[Row], bool]) -> dict[int, list[float]]:
    scores: dict[int, list[float]] = {}
    for row in rows:
        if applies(row):
            scores.setdefault(row.posts, []).append(model.score(row.values))
    return scores


def cross_validate(rows: Sequence[Row], embedder: str) -> dict[int, dict[str, Counter]]:
    """Each row's outcome from a gate calibrated without the rows of its post's cases, counted per size and kind."""
    groups = sorted({r.group for r in rows})
    random.Random(FOLD_SEED).shuffle(groups)
    outcomes: dict[int, dict[str, Counter]] = {}
    for fold in range(FOLDS):
        held_out = set(groups[fold::FOLDS])
        gate = calibrate([r for r in rows if r.group not in held_out], embedder)
        for row in rows:
            if row.group in held_out:
                kind = f"{row.case.kind} ({row.lang})"
                by_kind = outcomes.setdefault(row.posts, {})
                by_kind.setdefault(kind, Counter())[gate.outcome(row.values, row.lang)] += 1
    return outcomes
