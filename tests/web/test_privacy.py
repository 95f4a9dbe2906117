"""What the app keeps and shows about people: the coach's password nowhere, the leaders in the journal not at all."""

from __future__ import annotations

import logging
import re
import sqlite3
import uuid

import pytest

from web.conftest import PASSWORD
from web.steps import ask, log_in, page_text, start_app, texts, to_chat, to_coach

pytestmark = pytest.mark.timeout(240)

WRONG = "kapitein-aan-wal"  # a near miss, as typos are: it must not be shown or logged either
QUESTIONS = ("Wat zijn de bouwstenen van vertrouwen?", "Hoe maak ik een lesrooster?")
IP = re.compile(r"\b\d{1,3}(\.\d{1,3}){3}\b|::1\b")


def test_the_password_never_reaches_the_logs_the_messages_or_the_page(site, monkeypatch, caplog):
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", PASSWORD)
    caplog.set_level(logging.DEBUG)
    pages: list[str] = []

    at = to_coach(start_app())
    pages.append(page_text(at))
    log_in(at, WRONG)
    assert "klopt niet" in texts(at.error)
    pages.append(page_text(at))
    log_in(at, PASSWORD)
    assert at.file_uploader  # logged in
    pages.append(page_text(at))
    to_chat(at)
    pages.append(page_text(at))

    assert any("wrong password" in r.getMessage() for r in caplog.records)  # logging did happen
    shown = [
        e.value
        for kind in ("markdown", "text", "error", "warning", "info", "success", "caption")
        for e in at.get(kind)
    ]
    for secret in (PASSWORD, WRONG):
        assert secret not in caplog.text
        for record in caplog.records:
            assert secret not in record.getMessage() and secret not in repr(record.args)
        for page in pages:
            assert secret not in page
        assert not any(secret in value for value in shown)


def test_the_journal_keeps_questions_and_verdicts_but_nothing_about_who_asked(site, monkeypatch, journal):
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", PASSWORD)
    at = start_app()
    for question in QUESTIONS:
        ask(at, question)
    at.feedback[0].set_value(1).run()
    log_in(to_coach(at), PASSWORD)  # a coach's visit leaves nothing in it either

    db = sqlite3.connect(journal.path)
    db.row_factory = sqlite3.Row
    tables = {
        name: [row[1] for row in db.execute(f"PRAGMA table_info({name})")]
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    questions = [dict(r) for r in db.execute("SELECT * FROM questions ORDER BY asked_at, rowid")]
    feedback = [dict(r) for r in db.execute("SELECT * FROM feedback")]
    db.close()

    # Exactly these columns: a new one has to be added here, on purpose.
    assert tables == {
        "questions": [
            "answer_id",
            "asked_at",
            "question",
            "standalone_question",
            "refused",
            "mode",
            "sources",
            "related_only",
            "refusal_reason",
        ],
        "feedback": ["answer_id", "given_at", "score", "question", "answer", "passages", "reason"],
    }
    assert [q["question"] for q in questions] == list(QUESTIONS)
    assert [(f["question"], f["score"]) for f in feedback] == [(QUESTIONS[0], 1)]
    # Each answer has a random id of its own: two questions of one session share nothing that links them.
    ids = [q["answer_id"] for q in questions]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 4 for i in ids)
    values = " ".join(str(v) for row in questions + feedback for v in row.values())
    assert not IP.search(values)
    assert PASSWORD not in values
    assert "localhost" not in values and "Mozilla" not in values
