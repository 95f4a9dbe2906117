"""The re-ranker: standardized signals, weights fitted by logistic regression, stored, and used by retrieval."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import post_md

from assistant.config import Settings
from assistant.evaluation.gold import GoldCase, GoldPassage
from assistant.evaluation.ranker_fit import fit_ranker
from assistant.ranking import FEATURES, Ranker, fit_weights, gold_rank, standardize
from assistant.retrieval import HybridRetriever

POST = post_md(
    "Het stoplichtgesprek",
    {
        "": ["Vorige week sprak ik een schoolleider. Ze wilde weten hoe je een lastig gesprek opent."],
        "Zo werkt het": [
            "Het stoplichtgesprek duurt tien minuten. Rood is wat stopt, groen wat blijft doorgaan."
        ],
        "Tot slot": ["Probeer het morgen. Laat me weten hoe het ging."],
    },
)


def only(**weights: float) -> Ranker:
    return Ranker({name: weights.get(name, 0.0) for name in FEATURES})


def test_standardizing_centres_each_signal_over_one_questions_candidates_and_zeroes_constant_ones():
    matrix = np.array([[1.0, 5.0], [3.0, 5.0]])

    assert standardize(matrix).tolist() == [[-1.0, 0.0], [1.0, 0.0]]


def test_fitting_gives_the_signal_that_marks_the_gold_passage_the_largest_weight():
    rng = np.random.default_rng(1)
    questions = []
    for _ in range(30):
        signals = rng.normal(size=(8, len(FEATURES)))
        labels = np.zeros(8)
        labels[3] = 1
        signals[3, FEATURES.index("post")] += 3.0
        questions.append((signals, labels))

    weights = fit_weights(questions)

    assert int(np.argmax(weights)) == FEATURES.index("post")


def test_fitting_without_any_gold_candidate_is_an_error():
    with pytest.raises(ValueError, match="gold and candidates that are not"):
        fit_weights([(np.ones((3, len(FEATURES))), np.zeros(3))])


def test_gold_rank_is_the_rank_of_the_best_scored_gold_candidate():
    assert gold_rank(np.array([0.1, 0.9, 0.5]), np.array([0, 0, 1])) == 2
    assert gold_rank(np.array([0.1, 0.9]), np.array([0, 0])) is None


def test_the_stored_weights_cover_every_signal_and_say_they_were_fitted_on_dev():
    ranker = Ranker.load()

    assert set(ranker.weights) == set(FEATURES)
    assert ranker.fitted["on"] == "dev"


def test_weights_missing_a_signal_are_an_error_that_says_how_to_refit(tmp_path):
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps({"weights": {"post": 1.0}}))

    with pytest.raises(ValueError, match="assistant eval --fit-ranker"):
        Ranker.load(path)


def test_saved_weights_load_back_unchanged(tmp_path):
    ranker = Ranker({name: i / 10 for i, name in enumerate(FEATURES)}, {"on": "dev"})
    ranker.save(tmp_path / "ranker.json")

    assert Ranker.load(tmp_path / "ranker.json") == ranker


def test_hybrid_retrieval_orders_its_candidates_by_the_rankers_weights(engine, write_files):
    write_files({"stoplicht.md": POST})
    engine.ingest()
    question = "Hoe open je een lastig gesprek?"

    intro_first = HybridRetriever(engine.index, engine.embedder, ranker=only(introduction=5.0)).search(
        question
    )
    intro_last = HybridRetriever(engine.index, engine.embedder, ranker=only(introduction=-5.0)).search(
        question
    )

    assert intro_first.passages[0].chunk.section_index == 0
    assert intro_last.passages[0].chunk.section_index != 0


def test_hybrid_retrieval_hands_over_each_candidate_with_one_signal_per_feature(engine, write_files):
    write_files({"stoplicht.md": POST})
    engine.ingest()

    retrieval = HybridRetriever(engine.index, engine.embedder).search("Wat is het stoplichtgesprek?")

    assert retrieval.signals.shape == (len(retrieval.candidates), len(FEATURES))
    closing = [c for c, row in zip(retrieval.candidates, retrieval.signals, strict=True) if row[-1] == 1.0]
    assert [engine.index.get_chunks(closing)[c].section for c in closing] == ["Tot slot"]


def test_fitting_on_a_small_gold_set_reads_only_dev_and_cross_validates(
    tmp_path: Path, write_files, embedder
):
    write_files(
        {"seed.md": post_md("Vertrouwen", {"": ["Vertrouwen begint bij gedrag, niet bij strategie."]})}
    )
    fixtures = write_files(
        {
            "stoplicht.md": POST,
            "gang.md": post_md("Gang", {"": ["Stel de gangvraag aan het begin van het overleg."]}),
        },
        tmp_path / "fixtures",
    )
    cases = [
        GoldCase(
            "d1",
            ("Wat is het stoplichtgesprek?",),
            True,
            "nl",
            (GoldPassage("stoplicht", ("tien minuten",)),),
            (),
            "direct",
            "dev",
        ),
        GoldCase(
            "d2",
            ("Wat is de gangvraag?",),
            True,
            "nl",
            (GoldPassage("gang", ("gangvraag",)),),
            (),
            "direct",
            "dev",
        ),
        GoldCase(
            "t1",
            ("Waar begint vertrouwen?",),
            True,
            "nl",
            (GoldPassage("seed", ("bij gedrag",)),),
            (),
            "direct",
            "test",
        ),
    ]
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus", _env_file=None)

    report = fit_ranker(settings, cases, fixtures, embedder=embedder)

    assert report.questions == 2
    assert set(report.ranker.weights) == set(FEATURES)
    assert set(report.without) == set(FEATURES)
    assert report.ranker.fitted["on"] == "dev"
    assert 0.0 <= report.cross_validated["recall_at_1"] <= 1.0


def test_chunk_similarities_cover_every_chunk_of_the_posts_asked_and_no_other(engine, write_files):
    write_files(
        {"stoplicht.md": POST, "ander.md": post_md("Ander", {"": ["Een heel ander blog over rust."]})}
    )
    engine.ingest()
    wanted = engine.index.chunks_of("stoplicht")
    vector = engine.embedder.get_query_embedding("Wat is het stoplichtgesprek?")

    similarity = engine.index.chunk_similarities(vector, ["stoplicht"], len(wanted))

    assert set(similarity) == {c.id for c in wanted}
    assert all(-1.0 <= value <= 1.0 for value in similarity.values())


def test_each_post_record_keeps_the_length_of_its_mean_chunk_vector(engine, write_files):
    write_files({"stoplicht.md": POST})
    engine.ingest()

    norm = engine.index.posts()["stoplicht"].mean_vector_norm

    assert 0.0 < norm <= 1.0
