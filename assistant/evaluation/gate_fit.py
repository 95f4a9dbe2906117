"""Calibrate the relevance gate for the embedder in use on the ``dev`` split, check it across posts, store it.

Every ``dev`` case except the injections (the guard refuses those before retrieval) is asked as the engine asks
it; the standalone question's ``Retrieval.closeness`` becomes one row of ``relevance.FEATURES``, labelled by
whether the posts answer it. A logistic regression gives the score; the thresholds are set where the product's
targets put them (``ANSWERABLE_BELOW_RELATED`` per language, ``UNCOVERED_ABOVE_ANSWER``). Cross-validation fits model and
thresholds without the held-out posts' cases and reports the outcomes those cases get. ``test`` is never read.

    report = fit_gate(Settings(), load_gold(Path("eval/gold.jsonl")), Path("eval/fixtures"))
    report.gate.save()
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from llama_index.core.embeddings import BaseEmbedding

from assistant.answering.pipeline import Answerer
from assistant.config import Settings
from assistant.evaluation.gold import GoldCase, in_split
from assistant.evaluation.runner import Progress, each_with_progress, earlier_turns, fixture_engine
from assistant.ranking import fit_weights
from assistant.relevance import FEATURES, RelevanceGate, features
from assistant.retrieval import HybridRetriever

# The targets the thresholds are placed at: the share of answerable questions allowed below "related" (refused),
# and the share of questions the posts do not cover allowed above "answer" (answered as if covered).
ANSWERABLE_BELOW_RELATED = 0.03
UNCOVERED_ABOVE_ANSWER = 0.10
FOLDS = 5
FOLD_SEED = 7


@dataclass(frozen=True)
class Row:
    """One dev case as the gate sees it."""

    case: GoldCase
    values: list[float]

    @property
    def group(self) -> str:
        """What cross-validation holds out together: the post an answerable case was written for."""
        return self.case.gold[0].post if self.case.gold else self.case.id


@dataclass
class GateReport:
    gate: RelevanceGate
    cross_validated: dict[str, Counter]  # kind → outcome counts, each case scored by a gate fitted without it

    def markdown(self) -> str:
        rows = ["| kind | answer | related | refuse |", "|---|---:|---:|---:|"]
        for kind, counts in sorted(self.cross_validated.items()):
            rows.append(f"| {kind} | {counts['answer']} | {counts['related']} | {counts['refuse']} |")
        weights = ", ".join(f"{n} {w:+.2f}" for n, w in zip(FEATURES, self.gate.weights or (), strict=True))
        return (
            f"### Relevance gate calibrated for {self.gate.embedder} on dev, cross-validated across posts\n\n"
            + "\n".join(rows)
            + f"\n\nweights: {weights}; answer ≥ {self.gate.answer_threshold:.3f}, "
            + ", ".join(f"related ({lang}) ≥ {t:.3f}" for lang, t in self.gate.related_thresholds.items())
            + "\n"
        )


def fit_gate(
    settings: Settings,
    cases: Sequence[GoldCase],
    fixtures_dir: Path,
    *,
    embedder: BaseEmbedding | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> GateReport:
    """Collect the dev cases' closeness on the evaluation corpus, cross-validate, and calibrate on all of them."""
    dev = [c for c in in_split(cases, "dev") if c.kind != "injection"]
    with fixture_engine(
        settings, fixtures_dir, embedder=embedder, cache_dir=cache_dir, progress=progress
    ) as engine:
        # Any gate will do while collecting (closeness does not depend on it); this one needs no calibration.
        retriever = HybridRetriever(engine.index, engine.embedder)
        answerer = Answerer(retriever, gate=RelevanceGate(settings.embedder))
        rows = each_with_progress(dev, lambda case: collect(case, answerer), "dev cases", progress)
    gate = calibrate(rows, settings.embedder)
    fitted = {
        "on": "dev",
        "date": datetime.now(UTC).date().isoformat(),
        "cases": len(rows),
        "answerable_below_related": ANSWERABLE_BELOW_RELATED,
        "uncovered_above_answer": UNCOVERED_ABOVE_ANSWER,
    }
    gate = RelevanceGate(
        gate.embedder,
        gate.mean,
        gate.scale,
        gate.weights,
        gate.answer_threshold,
        gate.related_thresholds,
        fitted,
    )
    return GateReport(gate, cross_validate(rows, settings.embedder))


def collect(case: GoldCase, answerer: Answerer) -> Row:
    history = earlier_turns(answerer, case)
    standalone = answerer.ask(case.question, history).standalone_question or case.question
    retrieval = answerer.retriever.search(standalone)
    return Row(case, features(retrieval.closeness, case.lang))


def calibrate(rows: Sequence[Row], embedder: str) -> RelevanceGate:
    """The logistic score and the two thresholds, from labelled rows."""
    values = np.array([r.values for r in rows], dtype=np.float64)
    covered = np.array([r.case.answerable for r in rows], dtype=np.float64)
    langs = np.array([r.case.lang for r in rows])
    mean = values.mean(axis=0)
    scale = values.std(axis=0)
    scale[scale == 0] = 1.0
    weights = fit_weights([((values - mean) / scale, covered)], steps=2000, rate=0.3)
    scores = ((values - mean) / scale) @ weights
    return RelevanceGate(
        embedder,
        tuple(mean.round(6).tolist()),
        tuple(scale.round(6).tolist()),
        tuple(weights.round(4).tolist()),
        answer_threshold=round(float(np.quantile(scores[covered == 0], 1 - UNCOVERED_ABOVE_ANSWER)), 4),
        related_thresholds={
            lang: round(
                float(np.quantile(scores[(covered == 1) & (langs == lang)], ANSWERABLE_BELOW_RELATED)), 4
            )
            for lang in sorted(set(langs[covered == 1]))
        },
    )


def cross_validate(rows: Sequence[Row], embedder: str) -> dict[str, Counter]:
    """Each case's outcome from a gate calibrated without the cases of its post, counted per kind."""
    groups = sorted({r.group for r in rows})
    random.Random(FOLD_SEED).shuffle(groups)
    outcomes: dict[str, Counter] = {}
    for fold in range(FOLDS):
        held_out = set(groups[fold::FOLDS])
        gate = calibrate([r for r in rows if r.group not in held_out], embedder)
        for row in rows:
            if row.group in held_out:
                kind = f"{row.case.kind} ({row.case.lang})"
                outcomes.setdefault(kind, Counter())[gate.outcome(gate.score(row.values), row.case.lang)] += 1
    return outcomes
