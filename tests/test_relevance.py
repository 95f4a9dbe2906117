"""The relevance gate: three outcomes from a calibrated score, stored per embedder, and a safe default without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chunking import Chunk
from assistant.evaluation.gate_fit import Row, calibrate
from assistant.evaluation.gold import GoldCase, GoldPassage
from assistant.relevance import FEATURES, RelevanceGate, features
from assistant.retrieval import Passage, Retrieval

# One feature matters in these gates: the best window's similarity.
GATE = RelevanceGate(
    "test-embedder",
    mean=(0.8, 0.0, 0.0),
    scale=(0.1, 1.0, 1.0),
    weights=(1.0, 0.0, 0.0),
    answer_threshold=0.5,
    related_thresholds={"nl": -0.5, "en": -1.5},
)


def retrieval(
    best_window: float, *, passages: int = 1, query: str = "vraag", coverage: float = 1.0
) -> Retrieval:
    chunk = Chunk(
        id="p#0",
        post_slug="p",
        post_title="Een post",
        section="",
        section_index=0,
        position=0,
        text="Een zin.",
        start=0,
        end=8,
        sentences=(),
    )
    return Retrieval(
        query=query,
        passages=[Passage(chunk, 1.0)] * passages,
        top_dense=best_window,
        coverage=coverage,
        timings_ms={},
    )


@pytest.mark.parametrize(("best_window", "outcome"), [(0.9, "answer"), (0.8, "related"), (0.7, "refuse")])
def test_score_between_thresholds_decides_the_outcome(best_window: float, outcome: str) -> None:
    assert GATE.decide(retrieval(best_window), "nl") == outcome


def test_each_language_has_its_own_floor_for_related_passages() -> None:
    assert GATE.decide(retrieval(0.7), "nl") == "refuse"
    assert GATE.decide(retrieval(0.7), "en") == "related"


def test_nothing_retrieved_is_refused() -> None:
    assert GATE.decide(retrieval(0.95, passages=0), "nl") == "refuse"


def test_follow_up_with_an_unknown_topic_of_its_own_is_refused() -> None:
    own = retrieval(0.95, query="En het budget voor het teamuitje?", coverage=0.1)

    assert GATE.decide(retrieval(0.95), "nl", follow_up=own) == "refuse"


def test_follow_up_whose_own_topic_the_corpus_knows_goes_by_the_score() -> None:
    own = retrieval(0.95, query="En het budget voor het teamuitje?", coverage=0.9)

    assert GATE.decide(retrieval(0.95), "nl", follow_up=own) == "answer"


def test_follow_up_of_one_content_word_brings_no_topic_of_its_own() -> None:
    own = retrieval(0.95, query="En waarom?", coverage=0.0)

    assert GATE.decide(retrieval(0.95), "nl", follow_up=own) == "answer"


def test_word_coverage_does_not_count_for_english_questions() -> None:
    closeness = {"best_window": 0.9, "coverage": 0.7}

    assert features(closeness, "nl") == [0.9, 0.7, 0.0]
    assert features(closeness, "en") == [0.9, 0.0, 1.0]


def test_embedder_without_calibration_only_ever_shows_related_passages(tmp_path: Path) -> None:
    gate = RelevanceGate.load("another-embedder", tmp_path / "relevance.json")

    assert not gate.calibrated
    assert gate.decide(retrieval(0.99), "nl") == "related"
    assert gate.decide(retrieval(0.99, passages=0), "nl") == "refuse"


def test_calibrations_of_several_embedders_live_side_by_side(tmp_path: Path) -> None:
    path = tmp_path / "relevance.json"
    GATE.save(path)
    RelevanceGate("other", GATE.mean, GATE.scale, GATE.weights, 1.0, {"nl": 0.0}).save(path)

    assert RelevanceGate.load("test-embedder", path) == GATE
    assert RelevanceGate.load("other", path).answer_threshold == 1.0


def test_calibration_of_other_features_counts_as_none(tmp_path: Path) -> None:
    path = tmp_path / "relevance.json"
    path.write_text(
        '{"e": {"features": ["best_window"], "mean": [0], "scale": [1], "weights": [1], '
        '"answer_threshold": 0, "related_thresholds": {"nl": 0}}}'
    )

    assert not RelevanceGate.load("e", path).calibrated


def test_the_shipped_default_embedder_is_calibrated() -> None:
    assert RelevanceGate.load("e5-small").calibrated


def case(answerable: bool, number: int) -> GoldCase:
    gold = (GoldPassage(f"post-{number}", ("zin",)),) if answerable else ()
    return GoldCase(
        id=f"c{number}",
        turns=("vraag",),
        answerable=answerable,
        lang="nl",
        gold=gold,
        key_points=(),
        kind="paraphrase" if answerable else "uncovered",
        split="dev",
    )


def test_calibration_places_thresholds_at_the_target_shares() -> None:
    # Answerable questions come closer (0.85-0.95) than uncovered ones (0.70-0.88): the score follows.
    answerable = [Row(case(True, n), [0.85 + n / 1000, 0.0, 0.0]) for n in range(100)]
    uncovered = [Row(case(False, n), [0.70 + 0.18 * n / 100, 0.0, 0.0]) for n in range(100)]

    gate = calibrate(answerable + uncovered, "test-embedder")

    answered = [gate.outcome(gate.score(r.values), "nl") == "answer" for r in uncovered]
    refused = [gate.outcome(gate.score(r.values), "nl") == "refuse" for r in answerable]
    assert sum(answered) <= 10
    assert sum(refused) <= 3
    assert len(gate.weights) == len(FEATURES)
