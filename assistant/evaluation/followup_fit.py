"""Fit the follow-up decision (``followup.FollowUpModel``) on the ``dev`` split and check it across posts.

Positives are the dev follow-up cases: the last turn, after the earlier turns asked as the engine asks them.
Negatives are topic switches built from dev cases: the first turn of one case, then the standalone question of a
case about another post (same language), one switch per standalone case. For each, the question is retrieved on
its own and joined to the previous one; the decision's signals come from the former, and the rank of a gold
passage in both says what each choice would cost. Cross-validation holds out whole posts (the scored question's),
and reports recall@1/@10 of follow-ups and switches under the held-out decision, beside always/never joining.
``test`` is never read.

    report = fit_follow_up(Settings(), load_gold(Path("eval/gold.jsonl")), Path("eval/fixtures"))
    print(report.markdown())        # the fitted constants, to copy into FollowUpModel's defaults
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from llama_index.core.embeddings import BaseEmbedding

from assistant.answering.followup import FIRST_PASSAGES, FollowUpModel, OwnRetrieval, joined, own_retrieval
from assistant.answering.pipeline import Answerer
from assistant.answering.types import Turn
from assistant.config import Settings
from assistant.evaluation.baseline import RETRIEVED_K
from assistant.evaluation.gold import GoldCase, in_split
from assistant.evaluation.metrics import is_gold
from assistant.evaluation.records import CitedPassage
from assistant.evaluation.runner import Progress, each_with_progress, earlier_turns, fixture_engine
from assistant.retrieval import HybridRetriever

FOLDS = 5
FOLD_SEED = 7
SWITCH_SEED = 11
STANDALONE_KINDS = ("direct", "paraphrase", "english")


@dataclass(frozen=True)
class Conversation:
    """One scored question after a conversation: a real follow-up (``follows``) or a constructed topic switch."""

    case: GoldCase
    history: tuple[Turn, ...]
    follows: bool

    @property
    def post(self) -> str:
        return self.case.gold[0].post


@dataclass(frozen=True)
class Sample:
    """A conversation's decision signals and the rank of a gold passage alone and joined (None: not in top k)."""

    post: str
    follows: bool
    signals: OwnRetrieval
    rank_alone: int | None
    rank_joined: int | None


@dataclass
class FollowUpFitReport:
    model: FollowUpModel
    samples: list[Sample]
    cross_validated: dict[str, dict[str, float]]  # policy → figures

    def markdown(self) -> str:
        follow_ups = sum(s.follows for s in self.samples)
        rows = [
            "| decision | follow-ups R@1 | follow-ups R@10 | topic switches R@1 | topic switches R@10 |",
            "|---|---:|---:|---:|---:|",
        ]
        rows += [
            f"| {name} | {f['follow_up_r1']:.2f} | {f['follow_up_r10']:.2f} | {f['switch_r1']:.2f} | "
            f"{f['switch_r10']:.2f} |"
            for name, f in self.cross_validated.items()
        ]
        weights = ", ".join(f"{w:.3g}" for w in self.model.weights)
        return (
            f"### Follow-up decision fitted on dev ({follow_ups} follow-ups, "
            f"{len(self.samples) - follow_ups} topic switches), cross-validated across posts\n\n"
            + "\n".join(rows)
            + f"\n\nweights ({weights}), bias {self.model.bias:.4g}\n"
        )


def topic_switches(cases: Sequence[GoldCase], seed: int = SWITCH_SEED) -> list[Conversation]:
    """Each standalone dev case asked after the first turn of a random dev case about another post."""
    openers = [c for c in cases if c.answerable and c.gold]
    rng = random.Random(seed)
    switches = []
    for case in cases:
        if len(case.turns) != 1 or not case.answerable or case.kind not in STANDALONE_KINDS:
            continue
        others = [
            o.turns[0]
            for o in openers
            if o.gold[0].post != case.gold[0].post and o.lang == case.lang and o.turns[0] != case.question
        ]
        if others:
            first = rng.choice(others)
            switches.append(Conversation(case, (Turn(first, first, ""),), follows=False))
    return switches


def fit_follow_up(
    settings: Settings,
    cases: Sequence[GoldCase],
    fixtures_dir: Path,
    *,
    embedder: BaseEmbedding | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> FollowUpFitReport:
    """Collect follow-ups and topic switches on the evaluation corpus, cross-validate, and fit on all of them."""
    dev = in_split(cases, "dev")
    with fixture_engine(
        settings, fixtures_dir, embedder=embedder, cache_dir=cache_dir, progress=progress
    ) as engine:
        retriever = HybridRetriever(engine.index, engine.embedder)
        answerer = Answerer(retriever)
        conversations = [
            Conversation(c, tuple(earlier_turns(answerer, c)), follows=True)
            for c in dev
            if c.kind == "follow-up" and c.answerable and len(c.turns) > 1
        ] + topic_switches(dev)
        samples = each_with_progress(
            conversations, lambda conversation: collect(conversation, retriever), "conversations", progress
        )
    model = fit_model(samples)
    fitted = {
        "on": "dev",
        "date": datetime.now(UTC).date().isoformat(),
        "follow_ups": sum(s.follows for s in samples),
        "topic_switches": sum(not s.follows for s in samples),
    }
    return FollowUpFitReport(
        FollowUpModel(model.weights, model.bias, fitted), samples, cross_validate(samples)
    )


def collect(conversation: Conversation, retriever: HybridRetriever) -> Sample:
    question, history = conversation.case.question, list(conversation.history)
    alone = retriever.search(question, top_k=max(RETRIEVED_K, FIRST_PASSAGES))
    together = retriever.search(joined(question, history), top_k=RETRIEVED_K)
    # The decision sees what resolve_follow_up sees: the first FIRST_PASSAGES of the question's own retrieval.
    signals = own_retrieval(question, alone)
    gold = conversation.case.gold
    return Sample(
        conversation.post,
        conversation.follows,
        signals,
        gold_rank(alone.passages[:RETRIEVED_K], gold),
        gold_rank(together.passages, gold),
    )


def gold_rank(passages, gold) -> int | None:
    for rank, passage in enumerate(passages, start=1):
        if is_gold(CitedPassage(rank, passage.chunk.post_slug, passage.chunk.text), gold):
            return rank
    return None


def fit_model(
    samples: Sequence[Sample], l2: float = 1.0, steps: int = 3000, rate: float = 0.1
) -> FollowUpModel:
    """A logistic regression from the signals to "is a follow-up", both classes weighing the same.

    Fitted on standardized signals (so ``l2`` treats them alike), then expressed on the raw signals.
    """
    x = np.array([s.signals.vector() for s in samples])
    y = np.array([float(s.follows) for s in samples])
    positive = y.mean()
    if not 0 < positive < 1:
        raise ValueError("fitting needs follow-ups and topic switches")
    balance = np.where(y == 1, 0.5 / positive, 0.5 / (1 - positive))
    mean, spread = x.mean(axis=0), x.std(axis=0)
    spread[spread == 0] = 1.0
    z = (x - mean) / spread
    weights, bias = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        gradient = (1 / (1 + np.exp(-(z @ weights + bias))) - y) * balance
        weights -= rate * (z.T @ gradient + l2 * weights) / len(y)
        bias -= rate * gradient.mean()
    raw = weights / spread
    return FollowUpModel(tuple(float(w) for w in raw.round(3)), round(float(bias - raw @ mean), 3))


def cross_validate(samples: Sequence[Sample]) -> dict[str, dict[str, float]]:
    """Recall of follow-ups and switches when each held-out post's questions are decided by a model fitted on
    the other posts; never and always joining beside it."""
    posts = sorted({s.post for s in samples})
    random.Random(FOLD_SEED).shuffle(posts)
    decided: dict[int, bool] = {}
    for fold in range(FOLDS):
        held_out = set(posts[fold::FOLDS])
        model = fit_model([s for s in samples if s.post not in held_out])
        decided |= {
            i: model.leans_on_conversation(s.signals) for i, s in enumerate(samples) if s.post in held_out
        }
    return {
        "never join": figures(samples, lambda i, s: False),
        "always join": figures(samples, lambda i, s: True),
        "fitted, held-out posts": figures(samples, lambda i, s: decided[i]),
    }


def figures(samples: Sequence[Sample], join: Callable[[int, Sample], bool]) -> dict[str, float]:
    ranks = [(s.follows, s.rank_joined if join(i, s) else s.rank_alone) for i, s in enumerate(samples)]
    out = {}
    for name, follows in (("follow_up", True), ("switch", False)):
        group = [r for f, r in ranks if f == follows]
        for k in (1, 10):
            out[f"{name}_r{k}"] = sum(r is not None and r <= k for r in group) / max(len(group), 1)
    return out
