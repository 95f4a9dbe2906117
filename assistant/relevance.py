"""Whether retrieval found an answer: answer, *related only*, or refuse, calibrated per embedder.

How close the corpus comes to a question is read from retrieval (``Retrieval.closeness``): the best sentence
window's similarity and, for a Dutch question, the share of its content words the corpus knows (IDF-weighted);
whether the question is English shifts the score, as cross-lingual similarities run lower. A logistic model turns
these into one score; two thresholds cut it into three outcomes:

- ``answer``: the posts treat the question;
- ``related``: they only touch it, so the closest passages are shown as such ("De blogs gaan hier niet precies
  over. Dit komt het dichtst in de buurt: …");
- ``refuse``: off-topic.

Similarities mean different things for different embedders, so the model and thresholds are fitted per embedder
on the evaluation's ``dev`` split (``assistant eval --fit-gate``) and stored in ``relevance.json`` beside this
module, keyed by embedder name. The thresholds follow the product's targets: at most 3 % of answerable ``dev``
questions of each language score below that language's *related* threshold, at most 10 % of the questions the
posts do not cover score above the *answer* threshold. An embedder without a calibration never claims a full
answer: every question with passages gets the *related* outcome until the calibration is run.

    gate = RelevanceGate.load("e5-small")
    gate.decide(retrieval, lang="nl")        # "answer" | "related" | "refuse"
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.language import detect_language
from assistant.retrieval import Retrieval, question_stems

log = logging.getLogger(__name__)

Outcome = Literal["answer", "related", "refuse"]
FEATURES = ("best_window", "dutch_coverage", "english")
CALIBRATION_FILE = Path(__file__).with_name("relevance.json")
# A follow-up that brings a topic of its own ("En het budget voor het teamuitje?") is not answered from the
# earlier topic when the corpus knows less than this share of its words (lexical, so the same for any embedder).
MIN_FOLLOW_UP_COVERAGE = 0.3


def features(closeness: dict[str, float], lang: str) -> list[float]:
    """One row of ``FEATURES``. Word coverage only counts for Dutch: English words rarely occur in Dutch posts."""
    english = float(lang == "en")
    return [
        closeness.get("best_window", 0.0),
        closeness.get("coverage", 0.0) * (1 - english),
        english,
    ]


@dataclass(frozen=True)
class RelevanceGate:
    """A fitted score over ``FEATURES`` and the two thresholds that cut it; ``None`` fields: not calibrated."""

    embedder: str
    mean: tuple[float, ...] | None = None
    scale: tuple[float, ...] | None = None
    weights: tuple[float, ...] | None = None
    answer_threshold: float = 0.0
    # Per language ("nl", "en"): cross-lingual similarities run lower, so each language gets its own floor.
    related_thresholds: dict[str, float] = field(default_factory=dict)
    fitted: dict[str, object] = field(default_factory=dict)

    @property
    def calibrated(self) -> bool:
        return self.weights is not None

    @classmethod
    def load(cls, embedder: str, path: Path = CALIBRATION_FILE) -> RelevanceGate:
        stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        data = stored.get(embedder)
        if data is None or list(data["features"]) != list(FEATURES) or "related_thresholds" not in data:
            log.warning(
                "%s relevance calibration for the embedder %r: questions get the closest passages, never a full "
                "answer, until `assistant eval --fit-gate` is run",
                "no" if data is None else "an outdated",
                embedder,
            )
            return cls(embedder)
        return cls(
            embedder,
            tuple(data["mean"]),
            tuple(data["scale"]),
            tuple(data["weights"]),
            float(data["answer_threshold"]),
            {lang: float(value) for lang, value in data["related_thresholds"].items()},
            data.get("fitted", {}),
        )

    def save(self, path: Path = CALIBRATION_FILE) -> None:
        """Store this embedder's calibration beside the others'."""
        stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        stored[self.embedder] = {
            "features": list(FEATURES),
            "mean": list(self.mean or ()),
            "scale": list(self.scale or ()),
            "weights": list(self.weights or ()),
            "answer_threshold": self.answer_threshold,
            "related_thresholds": self.related_thresholds,
            "fitted": self.fitted,
        }
        path.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def score(self, row: list[float]) -> float:
        """Higher: the corpus comes closer to the question."""
        if not self.calibrated:
            return 0.0
        standardized = (np.asarray(row) - np.asarray(self.mean)) / np.asarray(self.scale)
        return float(standardized @ np.asarray(self.weights))

    def outcome(self, score: float, lang: str) -> Outcome:
        if not self.calibrated:
            return "related"
        if score >= self.answer_threshold:
            return "answer"
        floor = self.related_thresholds.get(lang, min(self.related_thresholds.values()))
        return "related" if score >= floor else "refuse"

    def decide(self, retrieval: Retrieval, lang: str, follow_up: Retrieval | None = None) -> Outcome:
        """The outcome for a question's retrieval. ``follow_up``: when ``retrieval`` searched a follow-up
        rewritten with the conversation's topic, the retrieval of the follow-up's own words."""
        if not retrieval.passages:
            return "refuse"
        if follow_up is not None and brings_unknown_topic(follow_up):
            return "refuse"
        return self.outcome(self.score(features(retrieval.closeness, lang)), lang)


def brings_unknown_topic(own: Retrieval) -> bool:
    """Whether a follow-up names a topic of its own (two content words or more) that the corpus hardly knows.

    Only a Dutch follow-up is judged: English words rarely occur in the Dutch posts whatever the topic.
    """
    return (
        len(question_stems(own.query)) >= 2
        and detect_language(own.query) != "en"
        and own.coverage < MIN_FOLLOW_UP_COVERAGE
    )
