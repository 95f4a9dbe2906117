"""The journal: questions, the unanswered ones grouped, and feedback, in SQLite, with nothing about the person."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from assistant.answering.types import Answer, Citation
from assistant.chunking import Chunk, Span
from assistant.journal import Journal, normalize_question

CHUNK = Chunk(
    id="vertrouwen:0001:abc",
    post_slug="vertrouwen",
    post_title="Vertrouwen",
    section="De bouwstenen",
    section_index=1,
    position=1,
    start=0,
    end=43,
    text="Dat zijn de bouwstenen van vertrouwen. Kort.",
    sentences=(Span(0, 38), Span(39, 44)),
)


def answered(question: str = "Wat zijn de bouwstenen?") -> Answer:
    return Answer(
        question,
        "“Dat zijn de bouwstenen van vertrouwen.” [1]",
        [Citation(1, CHUNK, (Span(0, 38),))],
        False,
        "extractive",
        "nl",
        standalone_question=question,
    )


def refused(question: str) -> Answer:
    return Answer(
        question, "Daar gaan de blogs niet over.", [], True, "extractive", "nl", standalone_question=question
    )


@pytest.fixture
def journal(tmp_path) -> Journal:
    return Journal.in_folder(tmp_path / "data")


def test_questions_are_listed_newest_first_with_their_sources(journal):
    journal.record_answer(refused("Hoe maak ik een rooster?"))
    answer_id = journal.record_answer(answered())

    recent = journal.recent_questions()

    assert [q.question for q in recent] == ["Wat zijn de bouwstenen?", "Hoe maak ik een rooster?"]
    assert recent[0].answer_id == answer_id
    assert recent[0].sources == [{"n": 1, "post": "vertrouwen", "section": "De bouwstenen"}]
    assert [q.refused for q in recent] == [False, True]


def test_unanswered_questions_are_grouped_by_wording_most_asked_first(journal):
    for question in ("Hoe maak ik een rooster?", "Wat kost een nieuwe methode?", "hoe maak ik een  rooster"):
        journal.record_answer(refused(question))
    journal.record_answer(answered())

    gaps = journal.unanswered()

    assert [(g.question, g.count) for g in gaps] == [
        ("hoe maak ik een  rooster", 2),
        ("Wat kost een nieuwe methode?", 1),
    ]


def test_feedback_keeps_question_answer_and_passages_and_the_last_verdict(journal):
    answer = answered()
    answer_id = journal.record_answer(answer)

    journal.record_feedback(answer_id, 0, answer)
    journal.record_feedback(answer_id, 1, answer)

    [feedback] = journal.feedback()
    assert (feedback.score, feedback.question, feedback.answer) == (1, answer.question, answer.text)
    assert feedback.passages[0]["quote"] == "Dat zijn de bouwstenen van vertrouwen."
    assert journal.feedback_counts().up == 1 and journal.feedback_counts().down == 0


def test_withdrawn_feedback_is_forgotten(journal):
    answer = answered()
    answer_id = journal.record_answer(answer)
    journal.record_feedback(answer_id, 1, answer)

    journal.record_feedback(answer_id, None, answer)

    assert journal.feedback() == []


def test_feedback_must_be_a_thumb(journal):
    with pytest.raises(ValueError, match="thumbs"):
        journal.record_feedback("x", 5, answered())


def test_the_file_holds_no_column_that_could_identify_a_person(journal):
    db = sqlite3.connect(journal.path)
    columns = {
        row[1] for table in ("questions", "feedback") for row in db.execute(f"PRAGMA table_info({table})")
    }
    db.close()

    assert not columns & {"name", "ip", "ip_address", "session", "session_id", "user", "user_agent", "email"}


def test_journal_uses_write_ahead_logging_and_takes_writes_from_many_threads(journal):
    threads = [threading.Thread(target=lambda: journal.record_answer(answered())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(journal.recent_questions()) == 8
    db = sqlite3.connect(journal.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_normalized_questions_ignore_case_punctuation_and_spacing():
    assert normalize_question("  Hoe maak ik een ROOSTER?! ") == normalize_question("hoe maak ik een rooster")
