"""Fitting the re-ranker: cross-validated across posts, with the figures of each language apart."""

from __future__ import annotations

import numpy as np

from assistant.evaluation.ranker_fit import Question, cross_validated_ranks, recall, recall_by_language
from assistant.ranking import FEATURES


def question(post: str, lang: str, gold: int, marked: bool) -> Question:
    """Four candidates; the first signal marks the gold one when ``marked``, another one otherwise."""
    signals = np.zeros((4, len(FEATURES)))
    signals[gold if marked else (gold + 1) % 4, 0] = 1.0
    return Question(post, lang, signals, np.arange(4) == gold)


def test_each_language_gets_its_own_cross_validated_recall() -> None:
    questions = [question(f"nl-{n}", "nl", n % 4, marked=True) for n in range(10)]
    questions += [question(f"en-{n}", "en", n % 4, marked=n < 2) for n in range(4)]

    ranks = cross_validated_ranks(questions)
    by_language = recall_by_language(questions, ranks)

    assert by_language["nl"] == {"recall_at_1": 1.0, "recall_at_3": 1.0, "recall_at_10": 1.0, "n": 10.0}
    assert by_language["en"]["recall_at_1"] == 0.5
    assert by_language["en"]["n"] == 4.0
    assert recall(ranks)["recall_at_1"] == 12 / 14


def test_a_question_without_a_gold_candidate_counts_as_missed() -> None:
    assert recall([1, None, 4]) == {"recall_at_1": 1 / 3, "recall_at_3": 1 / 3, "recall_at_10": 2 / 3}
