"""A blog of one post, as Kompas ships: the questions a school leader asks about that post are not refused.

``eval/one-post-questions.jsonl`` holds the eight questions of issue 20 (six of them were refused on the shipped
post before) and ten more written for this check about the shipped post, none of them from the gold set; the
relevance gate was fitted on the gold set's ``dev`` split, not on these. ``assistant ask --batch`` runs the same
file on a fresh clone.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest
from blog_corpus import clean_settings, open_engine
from conftest import ROOT, SEED_MD

from assistant.embedding_cache import CachedEmbedding
from assistant.engine import Engine

CHECK = [
    json.loads(line)
    for line in (ROOT / "eval" / "one-post-questions.jsonl").read_text(encoding="utf-8").splitlines()
]
QUESTIONS = [conversation["turns"][0] for conversation in CHECK]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory, embedder: CachedEmbedding) -> Iterator[Engine]:
    root = tmp_path_factory.mktemp("one-post")
    settings = clean_settings(data_dir=root / "data", corpus_dir=root / "corpus")
    settings.corpus_dir.mkdir()
    shutil.copy(SEED_MD, settings.corpus_dir)
    with open_engine(settings, embedder) as engine:
        engine.ingest()
        yield engine


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_question_about_the_only_post_is_not_refused(shipped: Engine, question: str) -> None:
    answer = shipped.ask(question)

    assert not answer.refused, answer.text
    assert answer.citations[0].chunk.post_slug == SEED_MD.stem


def test_most_questions_about_the_only_post_get_a_full_answer(shipped: Engine) -> None:
    related = [q for q in QUESTIONS if shipped.ask(q).related_only]

    assert len(related) <= len(QUESTIONS) // 6, related


def test_a_question_outside_the_field_is_refused_on_a_blog_of_one_post(shipped: Engine) -> None:
    answer = shipped.ask("Wat is een goed recept voor appeltaart?")

    assert answer.refused
    assert "“Vertrouwen: het kompas van verbindend leiderschap”" in answer.text


def test_the_check_file_holds_the_issues_eight_questions_and_ten_more() -> None:
    ids = [conversation["id"] for conversation in CHECK]

    assert len(ids) == 18 == len(set(ids))


def test_an_english_question_outside_the_field_is_refused_on_a_blog_of_one_post(shipped: Engine) -> None:
    answer = shipped.ask("What will the weather be like in Amsterdam tomorrow?")

    assert answer.refused
    assert answer.text.startswith("The posts don't cover this")


def test_a_school_question_the_only_post_does_not_treat_gets_its_closest_passages(shipped: Engine) -> None:
    answer = shipped.ask("Hoe maak ik een lesrooster?")

    assert (answer.refused, answer.related_only) == (False, True)
