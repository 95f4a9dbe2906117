"""The relevance gate: answer, related only or refuse from the question's own passages and the blog's field,
calibrated per embedder at every blog size, and a safe default without a calibration."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chunking import Chunk
from assistant.evaluation.gate_fit import Row, calibrate
from assistant.evaluation.gold import GoldCase, GoldPassage
from assistant.relevance import ANSWER_FEATURES, FIELD_FEATURES, BlogField, Model, RelevanceGate, evidence
from assistant.retrieval import Passage, Retrieval


def model(features: tuple[str, ...], weighted: str) -> Model:
    """A score that reads one feature: its value itself."""
    return Model(
        features,
        (0.0,) * len(features),
        (1.0,) * len(features),
        tuple(float(f == weighted) for f in features),
    )


# Answered when the first chunk comes as close as 0.85; refused when the field is further than 0.8 (0.7 in English).
GATE = RelevanceGate(
    "test-embedder",
    model(ANSWER_FEATURES, "chunk"),
    0.85,
    model(FIELD_FEATURES, "field"),
    {"nl": 0.8, "en": 0.7},
)


def values(chunk: float = 0.8, field: float = 0.85) -> dict[str, float]:
    return {name: 0.0 for name in ANSWER_FEATURES + FIELD_FEATURES} | {"chunk": chunk, "field": field}


def passage(text: str, title: str = "Een post", section: str = "") -> Passage:
    chunk = Chunk(
        id=f"{title}#{text[:10]}",
        post_slug="p",
        post_title=title,
        section=section,
        section_index=0,
        position=0,
        text=text,
        start=0,
        end=len(text),
        sentences=(),
    )
    return Passage(chunk, 1.0, dense=0.9)


def retrieval(query: str, *texts: str, posts: int = 1) -> Retrieval:
    return Retrieval(query, [passage(t) for t in texts], 0.9, {}, vector=[1.0], posts=posts)


@pytest.mark.parametrize(
    ("chunk", "field", "outcome"),
    [(0.9, 0.9, "answer"), (0.8, 0.9, "related"), (0.8, 0.75, "refuse"), (0.9, 0.75, "refuse")],
)
def test_the_field_score_refuses_and_the_answer_score_tells_answer_from_related(
    chunk, field, outcome
) -> None:
    assert GATE.outcome(values(chunk, field), "nl") == outcome


def test_each_language_has_its_own_field_floor() -> None:
    assert GATE.outcome(values(field=0.75), "nl") == "refuse"
    assert GATE.outcome(values(field=0.75), "en") == "related"


def test_nothing_retrieved_is_refused() -> None:
    field = BlogField("school", embedder=None)

    assert GATE.decide(Retrieval("vraag", [], 0.0, {}), "nl", field) == "refuse"


def test_longer_words_weigh_more_in_the_share_of_the_question_found_in_the_passages() -> None:
    found = retrieval("Hoe maak ik het lesrooster voor het team?", "Het team vergadert elke week.")

    # "maak" (4 letters), "lesrooster" (10), "team" (4): only "team" is in the passage.
    assert evidence(found, 0.9, "nl")["words_found"] == pytest.approx(4 / 18)


def test_words_are_found_in_the_first_three_passages_only() -> None:
    found = retrieval("Wat is de gangvraag?", "Een.", "Twee.", "Drie.", "De gangvraag stel je aan het eind.")

    assert evidence(found, 0.9, "nl")["words_found"] == 0.0


def test_a_follow_up_with_a_topic_of_its_own_must_find_its_own_words() -> None:
    joined = retrieval(
        "Hoe bouw ik vertrouwen op? En het budget voor het teamuitje?", "Vertrouwen bouw je op."
    )

    own = evidence(joined, 0.9, "nl", asked="En het budget voor het teamuitje?")
    short = evidence(joined, 0.9, "nl", asked="En waarom?")

    assert own["words_found"] == 0.0
    assert short["words_found"] == evidence(joined, 0.9, "nl")["words_found"] > 0


def test_english_words_count_for_the_field_but_not_for_the_answer() -> None:
    found = retrieval("How do I give feedback?", "Feedback geef je zo.")

    english = evidence(found, 0.9, "en")

    assert english["words_found"] > 0
    assert (english["dutch_words_found"], english["english"]) == (0.0, 1.0)


def test_the_number_of_posts_is_read_on_a_log_scale() -> None:
    assert evidence(retrieval("vraag", "Tekst.", posts=1), 0.9, "nl")["log_posts"] == 0.0
    assert evidence(retrieval("vraag", "Tekst.", posts=100), 0.9, "nl")["log_posts"] == pytest.approx(
        4.605, 0.001
    )


def test_the_field_is_the_phrase_of_its_description_nearest_to_the_question(embedder) -> None:
    field = BlogField("Leidinggeven aan een schoolteam; Samenwerken met collega's", embedder)

    def similarity(question: str) -> float:
        return field.similarity(embedder.get_query_embedding(question))

    assert field.phrases == ["Leidinggeven aan een schoolteam", "Samenwerken met collega's"]
    assert similarity("Hoe werk ik beter samen met mijn collega's?") > similarity(
        "Wat is een recept voor soep?"
    )


def test_embedder_without_calibration_only_ever_shows_related_passages(tmp_path: Path) -> None:
    gate = RelevanceGate.load("another-embedder", tmp_path / "relevance.json")
    field = BlogField("school", embedder=None)

    assert not gate.calibrated
    assert gate.decide(retrieval("vraag", "Tekst."), "nl", field) == "related"


def test_calibrations_of_several_embedders_live_side_by_side(tmp_path: Path) -> None:
    path = tmp_path / "relevance.json"
    GATE.save(path)
    RelevanceGate("other", GATE.answer_model, 1.0, GATE.field_model, {"nl": 0.0}).save(path)

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


def case(kind: str, number: int) -> GoldCase:
    answerable = kind == "paraphrase"
    gold = (GoldPassage(f"post-{number % 7}", ("zin",)),) if answerable else ()
    return GoldCase(f"c{number}", ("vraag",), answerable, "nl", gold, (), kind, "dev")


def row(kind: str, number: int, posts: int, chunk: float, field: float) -> Row:
    return Row(case(kind, number), posts, values(chunk, field) | {"log_posts": float(posts)}, "nl")


def test_calibration_places_the_thresholds_at_the_targets_at_every_size() -> None:
    # Uncovered questions come closer on a larger blog (0.70-0.80 alone, 0.75-0.85 among many); the field tells
    # the out-of-domain questions (0.70-0.75) from the others (0.80-0.90).
    rows = []
    for posts, lift in ((1, 0.0), (16, 0.05)):
        rows += [row("paraphrase", n, posts, 0.82 + n / 1000, 0.80 + n / 1000) for n in range(100)]
        rows += [row("uncovered", n, posts, 0.70 + lift + n / 1000, 0.80 + n / 1000) for n in range(100)]
        rows += [row("out-of-domain", n, posts, 0.60, 0.70 + n / 2000) for n in range(100)]

    gate = calibrate(rows, "test-embedder")

    for posts in (1, 16):
        outcomes = {
            kind: [gate.outcome(r.values, "nl") for r in rows if r.posts == posts and r.case.kind == kind]
            for kind in ("paraphrase", "uncovered", "out-of-domain")
        }
        assert outcomes["uncovered"].count("answer") <= 10
        assert outcomes["paraphrase"].count("refuse") <= 1
        assert set(outcomes["out-of-domain"]) == {"refuse"}
