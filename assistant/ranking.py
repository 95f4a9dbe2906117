"""Re-rank retrieval's candidates by general signals, weighted by a small model fitted on the ``dev`` split.

The right passage is usually among the first few dozen candidates; ranking them is where quality is lost. Each
candidate chunk is described by signals that hold for any post and any question:

- ``best_window`` / ``second_window``: the question's similarity to the chunk's best and second-best sentence window
- ``windows_matched``: how many of the chunk's windows are among the nearest ones
- ``chunk``: similarity to the chunk's own vector (the mean of its windows: the chunk's whole idea)
- ``post``: similarity to the post's vector (the mean of its chunks: is this the post about the question?)
- ``bm25_words`` / ``bm25_ngrams``: lexical scores on Dutch stems and on character n-grams
- ``heading_words``: the share of the question's content words in the section heading and the post title
- ``introduction`` / ``closing``: whether the chunk is the post's untitled opening or in its last section
  (scene-setting and sign-offs rarely answer a question)

Each signal is standardized over one question's candidates, so no weight depends on an embedder's scale of
similarities, and the score is a weighted sum. The weights are a logistic regression fitted on ``dev`` (checked by
cross-validation across posts) and stored in ``ranker.json`` beside this module; ``assistant eval --fit-ranker``
fits them again.

    ranker = Ranker.load()
    order = np.argsort(-ranker.scores(matrix))        # matrix: one row of FEATURES per candidate
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

FEATURES = (
    "best_window",
    "second_window",
    "windows_matched",
    "chunk",
    "post",
    "bm25_words",
    "bm25_ngrams",
    "heading_words",
    "introduction",
    "closing",
)
WEIGHTS_FILE = Path(__file__).with_name("ranker.json")


@dataclass(frozen=True)
class Ranker:
    """Weights for ``FEATURES`` and what they were fitted on."""

    weights: dict[str, float]
    fitted: dict[str, object] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> Ranker:
        data = json.loads(path.read_text(encoding="utf-8"))
        missing = [f for f in FEATURES if f not in data["weights"]]
        if missing:
            raise ValueError(f"{path}: no weight for {', '.join(missing)}: run `assistant eval --fit-ranker`")
        return cls({f: float(data["weights"][f]) for f in FEATURES}, data.get("fitted", {}))

    def save(self, path: Path = WEIGHTS_FILE) -> None:
        data = {"weights": self.weights, "fitted": self.fitted}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def vector(self) -> np.ndarray:
        return np.array([self.weights[f] for f in FEATURES], dtype=np.float64)

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        """One score per candidate (row); higher is better."""
        if len(matrix) == 0:
            return np.zeros(0)
        return standardize(matrix) @ self.vector()


def standardize(matrix: np.ndarray) -> np.ndarray:
    """Each column to mean 0 and standard deviation 1 over this question's candidates (constant columns: 0)."""
    matrix = np.asarray(matrix, dtype=np.float64)
    spread = matrix.std(axis=0)
    centred = matrix - matrix.mean(axis=0)
    return np.divide(centred, spread, out=np.zeros_like(centred), where=spread > 0)


def fit_weights(
    questions: Sequence[tuple[np.ndarray, np.ndarray]], l2: float = 1.0, steps: int = 400, rate: float = 0.1
) -> np.ndarray:
    """A logistic regression from standardized signals to "is a gold passage", by gradient descent.

    ``questions``: per question, its candidates' signal matrix and a 0/1 label per candidate. The few gold
    candidates weigh as much as all the others together, so the weights do not learn to say "no" to everything.
    """
    x = np.vstack([standardize(m) for m, _ in questions])
    y = np.concatenate([np.asarray(labels, dtype=np.float64) for _, labels in questions])
    positive = y.mean()
    if not 0 < positive < 1:
        raise ValueError("fitting needs candidates that are gold and candidates that are not")
    balance = np.where(y == 1, 0.5 / positive, 0.5 / (1 - positive))
    weights, bias = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        predicted = 1 / (1 + np.exp(-(x @ weights + bias)))
        gradient = (predicted - y) * balance
        weights -= rate * (x.T @ gradient + l2 * weights) / len(y)
        bias -= rate * gradient.mean()
    return weights


def gold_rank(scores: np.ndarray, labels: np.ndarray) -> int | None:
    """The 1-based rank of the best-ranked gold candidate, or None when no candidate is gold."""
    for rank, index in enumerate(np.argsort(-scores, kind="stable"), start=1):
        if labels[index]:
            return rank
    return None
