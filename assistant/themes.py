"""Group the questions the posts could not answer into themes: the coach's list of next posts to write.

Questions are grouped by the cosine similarity of the embedder's query vectors (average-linkage agglomerative
clustering, stopped at a threshold). Each theme is named by its most central question and has a count, the
period in which it was asked and a few other wordings as examples; the most asked theme comes first.

    themes = unanswered_themes(journal, engine.embedder, vectors=QuestionVectors())
    themes[0]   # Theme(name="Hoe maak ik een lesrooster?", count=4, first_asked=..., examples=[...])
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from llama_index.core.embeddings import BaseEmbedding

from assistant.corpus.dates import dutch_date, local_moment
from assistant.journal import AskedQuestion, Journal, normalize_question

# How alike two groups of questions must be, on average over all their pairs, to be one theme: cosine measured
# from the mean of the questions being grouped. Why centred, and why 0.20 (the check, on questions invented for it,
# none from eval/gold.jsonl; tests/test_themes.py keeps a small version):
# - Set 1: ten topics a school leader might ask about that the posts do not cover (timetables, sick leave,
#   budgets, bullying, the inspection, laptops, angry parents, the teacher shortage, a merger, school trips),
#   three wordings each. multilingual-e5's raw cosines are all high: pairs from different topics reach 0.91,
#   pairs within a topic go down to 0.83, so no raw cut separates them. Centred, what every question to a school
#   leader's assistant shares falls away; with average linkage no pair of different topics joins from 0.125 to
#   0.45, and 0.20 still joins 80 % of the same-topic pairs (0.125-0.175: 87 %, but see set 2).
# - Set 2, written afterwards: eight topics (privacy, the building, the works council, test scores, workload,
#   newcomers, aggression, sustainability) worded more loosely. At 0.20: 75 % of the joined pairs share a topic,
#   38 % of the same-topic pairs are joined; lower thresholds join more different topics (60 % at 0.15), higher
#   ones join almost nothing. Raw cosines do worse on both sets at every threshold (best: set 1 at 0.88, set 2
#   70 %/29 %).
# So the grouping errs towards splitting: one subject worded very differently may show as two themes, and two
# subjects are rarely one. A better embedder would separate more; the threshold is for e5-small.
THRESHOLD = 0.20

# The mean is "what the questions share" only when there are enough different ones; below this every wording
# is its own theme (a short list the coach reads at a glance) rather than a guess.
MIN_WORDINGS_TO_GROUP = 6

EXAMPLES = 3
MAX_QUESTIONS = 1000  # the most recent; clustering is quadratic in memory and cubic in time


@dataclass(frozen=True)
class Theme:
    """Questions that ask after one thing: named by the most central one, with how often and when they came."""

    name: str
    count: int
    first_asked: str
    last_asked: str
    examples: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Wording:
    """One wording (questions that normalize alike) with every moment it was asked."""

    text: str
    asked_at: list[str]


def group_into_themes(
    questions: Sequence[AskedQuestion], vectors: Sequence[Sequence[float]], threshold: float = THRESHOLD
) -> list[Theme]:
    """Themes of ``questions`` (one query vector each, in order), most asked first, then most recently asked."""
    if len(questions) != len(vectors):
        raise ValueError(f"{len(questions)} questions but {len(vectors)} vectors")
    if not questions:
        return []
    wordings, matrix = _wordings(questions, vectors)
    if not wordings:
        return []
    weights = np.array([len(w.asked_at) for w in wordings], dtype=float)
    similarity = _similarity(matrix)
    if len(wordings) >= MIN_WORDINGS_TO_GROUP:
        groups = _clusters(similarity, weights, threshold)
    else:
        groups = [[i] for i in range(len(wordings))]
    themes = [_theme(members, wordings, similarity, weights) for members in groups]
    themes.sort(key=lambda t: t.last_asked, reverse=True)
    themes.sort(key=lambda t: t.count, reverse=True)
    return themes


def _wordings(
    questions: Sequence[AskedQuestion], vectors: Sequence[Sequence[float]]
) -> tuple[list[_Wording], np.ndarray]:
    """Questions that normalize alike become one wording (the first form seen), with one vector."""
    by_key: dict[str, _Wording] = {}
    rows: list[Sequence[float]] = []
    for question, vector in zip(questions, vectors, strict=True):
        text = question.standalone_question or question.question
        key = normalize_question(text)
        if not key:
            continue
        if key not in by_key:
            by_key[key] = _Wording(text.strip(), [])
            rows.append(vector)
        by_key[key].asked_at.append(question.asked_at)
    return list(by_key.values()), np.asarray(rows, dtype=float)


def _similarity(matrix: np.ndarray) -> np.ndarray:
    """Cosine similarity, measured from the mean of the questions."""
    matrix = matrix - matrix.mean(axis=0)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit = matrix / np.where(norms == 0, 1.0, norms)
    return unit @ unit.T


def _clusters(similarity: np.ndarray, weights: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering: merge the two most alike groups while they reach ``threshold``.

    A wording asked three times weighs three times in the average.
    """
    linkage = similarity.astype(float).copy()
    np.fill_diagonal(linkage, -np.inf)
    sizes = weights.astype(float).copy()
    members: dict[int, list[int]] = {i: [i] for i in range(len(weights))}
    while len(members) > 1:
        a, b = np.unravel_index(np.argmax(linkage), linkage.shape)
        if linkage[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        # Lance-Williams for average linkage: the merged group's mean similarity to every other group.
        merged = (sizes[a] * linkage[a] + sizes[b] * linkage[b]) / (sizes[a] + sizes[b])
        linkage[a], linkage[:, a] = merged, merged
        linkage[a, a] = -np.inf
        linkage[b], linkage[:, b] = -np.inf, -np.inf
        sizes[a] += sizes[b]
        members[a] += members.pop(b)
    return list(members.values())


def _theme(
    members: list[int], wordings: list[_Wording], similarity: np.ndarray, weights: np.ndarray
) -> Theme:
    """The most central wording names the theme; the examples are the next most central other wordings."""
    block = similarity[np.ix_(members, members)]
    centrality = block @ weights[members]  # weighted: a wording asked often pulls the centre towards it
    ranked = [members[i] for i in np.argsort(-centrality, kind="stable")]
    moments = sorted(moment for i in members for moment in wordings[i].asked_at)
    return Theme(
        name=wordings[ranked[0]].text,
        count=len(moments),
        first_asked=moments[0],
        last_asked=moments[-1],
        examples=[wordings[i].text for i in ranked[1 : 1 + EXAMPLES]],
    )


# ---- the edge: the journal and the embedder ------------------------------------------------------------------


class QuestionVectors:
    """Query vectors of questions, remembered in memory so a page that reloads does not embed them again.

    Only the questions of the latest call are kept: a question deleted from the journal (retention, or the coach
    clearing it) is forgotten here too, and nothing is written to disk.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._vectors: dict[tuple[str, str], list[float]] = {}

    def of(self, embedder: BaseEmbedding, texts: Sequence[str]) -> list[list[float]]:
        with self._lock:
            known = self._vectors
            fresh: dict[tuple[str, str], list[float]] = {}
            for text in texts:
                key = (embedder.model_name, text)
                if key not in fresh:
                    fresh[key] = known.get(key) or embedder.get_query_embedding(text)
            self._vectors = fresh
            return [fresh[(embedder.model_name, text)] for text in texts]


def unanswered_themes(
    journal: Journal,
    embedder: BaseEmbedding,
    threshold: float = THRESHOLD,
    vectors: QuestionVectors | None = None,
) -> list[Theme]:
    """The themes of the questions the posts did not answer (refused or related only), manipulation left out."""
    questions = journal.unanswered_questions(limit=MAX_QUESTIONS)
    texts = [q.standalone_question or q.question for q in questions]
    return group_into_themes(questions, (vectors or QuestionVectors()).of(embedder, texts), threshold)


def local_date(iso: str) -> str:
    """A UTC timestamp from the journal as a Dutch date in the Netherlands: ``14 maart 2025``."""
    return dutch_date(local_moment(iso))


def period_text(first: str, last: str) -> str:
    """``14 maart 2025`` for one day, else ``3 – 14 maart 2025`` / ``28 februari – 3 maart 2025`` / with years."""
    start, end = local_date(first), local_date(last)
    if start == end:
        return start
    start_day, start_month, start_year = start.split(" ")
    _, end_month, end_year = end.split(" ")
    if start_year != end_year:
        return f"{start} – {end}"
    if start_month != end_month:
        return f"{start_day} {start_month} – {end}"
    return f"{start_day} – {end}"
