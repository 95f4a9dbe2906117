"""The relevance gate: answer, related only or refuse from the question's own passages and the blog's field,
calibrated per embedder at every blog size, and a safe default without a calibration."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.chunking import Chunk
from assistant.evaluation.gate_fit import OFF_DOMAIN, Row, calibrate
from assistant.evaluation.gold import GoldCase, GoldPassage, load_gold
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


def retrieval(
    query: str, *texts: str, posts: int = 1, translations: dict[str, tuple[str, ...]] | None = None
) -> Retrieval:
    return Retrieval(
        query,
        [passage(t) for t in texts],
        {},
        vector=[1.0],
        posts=posts,
        translations=translations or {},
    )


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

    assert GATE.decide(Retrieval("vraag", [], {}), "nl", field) == "refuse"


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


def test_the_answer_score_reads_the_words_of_the_first_passage_and_the_longest_one_it_lacks() -> None:
    found = retrieval(
        "Hoe maak ik het lesrooster voor het team?",
        "Het team vergadert elke week.",
        "Het lesrooster komt later.",
    )

    values = evidence(found, 0.9, "nl")

    # "maak" (4 letters), "lesrooster" (10), "team" (4): the first passage holds only "team".
    assert values["words_in_first"] == pytest.approx(4 / 18)
    assert values["longest_missing"] == 10
    assert values["words_found"] == pytest.approx(14 / 18)


def test_a_question_whose_words_are_all_in_the_first_passage_lacks_none() -> None:
    found = retrieval("Wat is de gangvraag?", "De gangvraag stel je aan het eind.")

    assert (evidence(found, 0.9, "nl")["words_in_first"], evidence(found, 0.9, "nl")["longest_missing"]) == (
        1,
        0,
    )


def test_an_english_word_is_found_through_its_dutch_translations() -> None:
    asked = "How do I build trust?"
    translated = retrieval(
        asked, "Vertrouwen bouwen kost tijd.", translations={"build": ("bouwen",), "trust": ("vertrouwen",)}
    )
    untranslated = retrieval(asked, "Vertrouwen bouwen kost tijd.")

    assert evidence(translated, 0.9, "en")["words_in_first"] == 1.0
    assert evidence(translated, 0.9, "en")["words_found"] == 1.0
    assert evidence(untranslated, 0.9, "en")["words_in_first"] == 0.0
    assert evidence(translated, 0.9, "en")["english"] == 1.0


def test_the_number_of_posts_is_read_on_a_log_scale() -> None:
    assert evidence(retrieval("vraag", "Tekst.", posts=1), 0.9, "nl")["log_posts"] == 0.0
    assert evidence(retrieval("vraag", "Tekst.", posts=100), 0.9, "nl")["log_posts"] == pytest.approx(
        4.605, 0.001
    )


def test_the_field_is_the_phrase_of_its_description_nearest_to_the_question(embedder) -> None:
    field = BlogField("Leidinggeven aan een schoolteam; Samenwerken met collega's", embedder)

    def similarity(question: str) -> float:
        return field.similarity(embedder.get_query_embedding(question), "nl")

    assert field.phrases == ["Leidinggeven aan een schoolteam", "Samenwerken met collega's"]
    assert similarity("Hoe werk ik beter samen met mijn collega's?") > similarity(
        "Wat is een recept voor soep?"
    )


def test_a_question_is_compared_with_the_phrases_of_its_own_language(embedder) -> None:
    field = BlogField("Leidinggeven aan een school en het team.\nLeading a school and the team.", embedder)
    question = embedder.get_query_embedding("How do I lead my team?")
    english_phrase = embedder.get_text_embedding("Leading a school and the team.")

    assert field.languages == ["nl", "en"]
    assert field.similarity(question, "en") == pytest.approx(float(np.dot(english_phrase, question)))


def test_a_description_without_phrases_in_the_questions_language_is_read_whole(embedder) -> None:
    field = BlogField("Leidinggeven aan een school en het team.", embedder)
    question = embedder.get_query_embedding("How do I lead my team?")

    assert field.similarity(question, "en") == field.similarity(question, "nl") > 0


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


def test_the_answer_score_is_fitted_on_the_questions_in_the_field_only() -> None:
    rows = [row("paraphrase", n, 1, 0.82 + n / 1000, 0.85) for n in range(50)]
    rows += [row("uncovered", n, 1, 0.70 + n / 1000, 0.85) for n in range(50)]

    def outside(chunk: float) -> list[Row]:
        return [row("out-of-domain", n, 1, chunk, 0.70 + n / 2000) for n in range(50)]

    assert (
        calibrate(rows + outside(0.95), "e").answer_model == calibrate(rows + outside(0.5), "e").answer_model
    )


# uncovered-extra.jsonl: school questions no post treats, written for calibrating; not read by --fit-gate (eval/README).
@pytest.mark.parametrize(
    ("name", "kind"), [(OFF_DOMAIN, "out-of-domain"), ("uncovered-extra.jsonl", "uncovered")]
)
def test_the_calibration_questions_are_dev_cases_in_both_languages_apart_from_the_gold_set(
    name, kind
) -> None:
    root = Path(__file__).resolve().parents[1] / "eval"
    written = load_gold(root / name)
    gold = {turn for c in load_gold(root / "gold.jsonl") for turn in c.turns}

    assert {(c.kind, c.split, c.answerable) for c in written} == {(kind, "dev", False)}
    assert {c.lang for c in written} == {"nl", "en"}
    assert not gold & {c.question for c in written}
