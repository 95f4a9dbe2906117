"""The limits that protect the service, as settings: exceeding one gives a friendly message and does nothing."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.web.access import SlidingWindow
from assistant.web.coach_messages import size_text
from web.conftest import PASSWORD
from web.steps import ask, last_answer, log_in, start_app, texts, to_coach

pytestmark = pytest.mark.timeout(240)

QUESTION = "Wat zijn de bouwstenen van vertrouwen?"


def test_the_limits_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("ASSISTANT_QUESTIONS_PER_MINUTE", "3")
    monkeypatch.setenv("ASSISTANT_MAX_UPLOAD_FILES", "4")
    monkeypatch.setenv("ASSISTANT_LOGIN_ATTEMPTS_PER_MINUTE", "7")
    monkeypatch.setenv("ASSISTANT_LOGIN_ATTEMPTS_PER_SESSION", "2")
    monkeypatch.setenv("ASSISTANT_EMBED_BATCH_SIZE", "8")

    settings = Settings()

    assert settings.questions_per_minute == 3
    assert settings.max_upload_files == 4
    assert settings.login_attempts_per_minute == 7
    assert settings.login_attempts_per_session == 2
    assert settings.embed_batch_size == 8


def test_a_sliding_window_allows_the_limit_then_frees_up_as_events_age():
    window = SlidingWindow(limit=2)
    window.record(0.0)
    window.record(10.0)

    assert not window.allowed(30.0)
    assert window.wait_s(30.0) == 30.0
    assert window.allowed(60.0)  # the first event has left the minute
    window.record(60.0)
    assert not window.allowed(65.0)
    assert window.wait_s(65.0) == 5.0


def test_questions_over_the_per_minute_limit_get_a_friendly_message_and_are_not_asked(
    site, monkeypatch, journal
):
    monkeypatch.setenv("ASSISTANT_QUESTIONS_PER_MINUTE", "2")
    at = start_app()
    ask(at, QUESTION)
    ask(at, "En hoe laat ik die zien?")

    ask(at, "Hoe herstel ik vertrouwen in mijn team?")

    assert "afgelopen minuut al 2 vragen gesteld" in texts(at.warning)
    assert "Wacht nog" in texts(at.warning)
    assert [m.name for m in at.chat_message] == ["user", "assistant"] * 2  # the third was not asked
    assert len(journal.recent_questions()) == 2

    # Once the minute has passed, the session may ask again.
    throttle = at.session_state["question_throttle"]
    throttle.times = [t - 61 for t in throttle.times]
    ask(at, "Hoe herstel ik vertrouwen in mijn team?")

    assert not at.warning
    assert len(journal.recent_questions()) == 3


def test_the_chat_input_takes_no_more_than_the_longest_question(site, monkeypatch, journal):
    monkeypatch.setenv("ASSISTANT_MAX_QUESTION_CHARS", "40")
    at = start_app()

    assert at.chat_input(key="question").proto.max_chars == 40
    typed = QUESTION + " En hoe laat ik die zien in de dagelijkse praktijk van mijn school?"
    ask(at, typed)

    asked = journal.recent_questions()[0].question
    assert asked == typed[:40].strip()  # what the browser lets through; the rest was never sent
    assert at.chat_message[0].markdown[0].value.startswith("Wat zijn de bouwstenen van vertrouwen?")
    assert last_answer(at)


def test_a_long_question_that_reaches_the_engine_gets_its_friendly_message(site, monkeypatch):
    monkeypatch.setenv("ASSISTANT_MAX_QUESTION_CHARS", "20")
    at = start_app()
    at.session_state["pending_question"] = QUESTION  # not through the input (as an example button would)

    at.run()

    assert not at.exception
    assert "Je vraag is te lang (maximaal 20 tekens)" in last_answer(at)


def test_more_files_than_the_upload_limit_are_refused_with_a_friendly_message(site, monkeypatch):
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("ASSISTANT_MAX_UPLOAD_FILES", "2")
    at = log_in(to_coach(start_app()), PASSWORD)
    files = [(f"blog-{n}.txt", f"Blog {n} gaat over vertrouwen.".encode(), "text/plain") for n in range(3)]

    at.file_uploader[0].set_value(files).run()

    assert not at.exception
    assert "Je koos 3 bestanden; Kompas neemt er hoogstens 2 tegelijk" in texts(at.error)
    assert not [b for b in at.button if b.key.endswith("_save")]

    at.file_uploader[0].set_value(files[:2]).run()

    assert not at.error
    assert len([b for b in at.button if b.key.endswith("_save")]) == 2


def test_pasted_text_over_the_size_limit_gets_a_friendly_message(site, monkeypatch):
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("ASSISTANT_MAX_UPLOAD_BYTES", "100")
    at = log_in(to_coach(start_app()), PASSWORD)

    at.text_input(key="paste_title").input("Lang")
    at.text_area(key="paste_text").input("Een zin over vertrouwen. " * 10).run()

    assert not at.exception
    assert "de tekst is te lang (250 bytes); Kompas neemt tot 100 bytes" in texts(at.error).replace("\\", "")
    assert not [b for b in at.button if b.key.endswith("_save")]


def test_sizes_are_written_the_dutch_way():
    assert size_text(850) == "850 bytes"
    assert size_text(12_500) == "12,5 kB"
    assert size_text(2_000_000) == "2 MB"
