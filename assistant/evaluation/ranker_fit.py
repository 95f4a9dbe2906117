"""Fit the re-ranker's weights on the ``dev`` split, check them by cross-validation across posts, store them.

For every answerable ``dev`` case the conversation is asked as the engine asks it, and the standalone question's
candidates and their signals are collected with a label: is this candidate a gold passage? A logistic regression
on those rows gives the weights (``ranking.fit_weights``). Cross-validation holds out whole posts (the post a case
was written for), so a figure says how the weights do on posts they were not fitted on; the figures are given for
all questions and per language (English questions meet Dutch posts through translations, and are fewer); leaving
out one signal at a time says what each contributes. ``test`` is never read.

    report = fit_ranker(Settings(), load_gold(Path("eval/gold.jsonl")), Path("eval/fixtures"))
    report.ranker.save()
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from llama_index.core.embeddings import BaseEmbedding

from assistant.answering.pipeline import Answerer
from assistant.config import Settings
from assistant.evaluation.gold import GoldCase, in_split
from assistant.evaluation.metrics import is_gold
from assistant.evaluation.records import CitedPassage
from assistant.evaluation.runner import Progress, each_with_progress, earlier_turns, fixture_engine
from assistant.ranking import FEATURES, Ranker, fit_weights, gold_rank, standardize
from assistant.retrieval import HybridRetriever

FOLDS = 5
FOLD_SEED = 7
RECALL_AT = (1, 3, 10)


@dataclass(frozen=True)
class Question:
    """One dev case's candidates: their signals, which are gold, and the post the case was written for."""

    post: str
    lang: str
    signals: np.ndarray
    labels: np.ndarray

    @property
    def informative(self) -> bool:
        """Whether fitting can learn from it: some candidates are gold and some are not."""
        return bool(self.labels.any() and not self.labels.all())


@dataclass
class FitReport:
    ranker: Ranker
    questions: int
    cross_validated: dict[str, float]
    without: dict[str, dict[str, float]] = field(default_factory=dict)  # signal left out → figures
    by_language: dict[str, dict[str, float]] = field(default_factory=dict)  # lang → figures, all signals

    def markdown(self) -> str:
        head = "| signals | " + " | ".join(f"recall@{k}" for k in RECALL_AT) + " |"
        rows = [head, "|---|" + "---:|" * len(RECALL_AT), _row("all", self.cross_validated)]
        rows += [
            _row(f"all, lang {lang} ({figures['n']:.0f})", figures)
            for lang, figures in self.by_language.items()
        ]
        rows += [_row(f"without {name}", figures) for name, figures in self.without.items()]
        weights = ", ".join(f"{name} {value:+.2f}" for name, value in self.ranker.weights.items())
        return (
            f"### Re-ranker fitted on dev ({self.questions} answerable cases), cross-validated across posts\n\n"
            + "\n".join(rows)
            + f"\n\nweights: {weights}\n"
        )


def _row(label: str, figures: dict[str, float]) -> str:
    return f"| {label} | " + " | ".join(f"{figures[f'recall_at_{k}']:.3f}" for k in RECALL_AT) + " |"


def fit_ranker(
    settings: Settings,
    cases: Sequence[GoldCase],
    fixtures_dir: Path,
    *,
    embedder: BaseEmbedding | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> FitReport:
    """Collect the dev cases' candidates on the evaluation corpus, cross-validate, and fit on all of them."""
    dev = [c for c in in_split(cases, "dev") if c.answerable]
    with fixture_engine(
        settings, fixtures_dir, embedder=embedder, cache_dir=cache_dir, progress=progress
    ) as engine:
        # The signals do not depend on the weights, so any weights will do while collecting them.
        retriever = HybridRetriever(
            engine.index, engine.embedder, ranker=Ranker(dict.fromkeys(FEATURES, 0.0))
        )
        answerer = Answerer(retriever)
        questions = each_with_progress(
            dev, lambda case: collect(case, answerer, engine.index.get_chunks), "dev cases", progress
        )
    weights = fit_weights([(q.signals, q.labels) for q in questions if q.informative])
    ranks = cross_validated_ranks(questions)
    cross_validated = recall(ranks)
    by_language = recall_by_language(questions, ranks)
    fitted = {
        "on": "dev",
        "date": datetime.now(UTC).date().isoformat(),
        "embedder": settings.embedder,
        "answerable_cases": len(questions),
        "cross_validated_across_posts": {k: round(v, 4) for k, v in cross_validated.items()},
        "cross_validated_by_language": {
            lang: {k: round(v, 4) for k, v in figures.items()} for lang, figures in by_language.items()
        },
    }
    ranker = Ranker(dict(zip(FEATURES, weights.round(4).tolist(), strict=True)), fitted)
    without = {
        name: cross_validate(questions, columns=[i for i in range(len(FEATURES)) if i != index])
        for index, name in enumerate(FEATURES)
    }
    return FitReport(ranker, len(questions), cross_validated, without, by_language)


def collect(case: GoldCase, answerer: Answerer, get_chunks) -> Question:
    """Ask the case's conversation as the engine would, then label the standalone question's candidates."""
    history = earlier_turns(answerer, case)
    standalone = answerer.ask(case.question, history).standalone_question or case.question
    retrieval = answerer.retriever.search(standalone)
    chunks = get_chunks(retrieval.candidates)
    labels = np.array(
        [
            is_gold(CitedPassage(0, chunks[c].post_slug, chunks[c].text), case.gold) if c in chunks else False
            for c in retrieval.candidates
        ]
    )
    signals = retrieval.signals if retrieval.signals is not None else np.zeros((0, len(FEATURES)))
    return Question(case.gold[0].post, case.lang, signals, labels)


def cross_validate(questions: Sequence[Question], columns: Sequence[int] | None = None) -> dict[str, float]:
    """recall@k of the re-ranked candidates, each fold's posts scored by weights fitted on the other posts."""
    return recall(cross_validated_ranks(questions, columns))


def cross_validated_ranks(
    questions: Sequence[Question], columns: Sequence[int] | None = None
) -> list[int | None]:
    """Per question (in order), the rank of its first gold candidate under weights fitted on the other folds'
    posts; None when no candidate is gold."""
    columns = list(columns) if columns is not None else list(range(len(FEATURES)))
    posts = sorted({q.post for q in questions})
    random.Random(FOLD_SEED).shuffle(posts)
    ranks: list[int | None] = [None] * len(questions)
    for fold in range(FOLDS):
        held_out = set(posts[fold::FOLDS])
        train = [
            (q.signals[:, columns], q.labels) for q in questions if q.post not in held_out and q.informative
        ]
        weights = fit_weights(train)
        for i, q in enumerate(questions):
            if q.post in held_out and len(q.signals):
                ranks[i] = gold_rank(standardize(q.signals[:, columns]) @ weights, q.labels)
    return ranks


def recall_by_language(
    questions: Sequence[Question], ranks: Sequence[int | None]
) -> dict[str, dict[str, float]]:
    """``recall`` of each language's questions, with how many there are (``n``)."""
    by_language: dict[str, list[int | None]] = {}
    for question, rank in zip(questions, ranks, strict=True):
        by_language.setdefault(question.lang, []).append(rank)
    return {lang: recall(found) | {"n": float(len(found))} for lang, found in sorted(by_language.items())}


def recall(ranks: Sequence[int | None]) -> dict[str, float]:
    """recall@k: the share of questions whose first gold candidate ranks k or better."""
    return {
        f"recall_at_{k}": sum(r is not None and r <= k for r in ranks) / max(1, len(ranks)) for k in RECALL_AT
    }
