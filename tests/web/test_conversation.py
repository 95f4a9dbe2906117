"""A conversation answers its queued questions in order, each with the ones before it, whether a page watches or not."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from assistant.config import Settings
from assistant.engine import Engine
from assistant.errors import ConfigError
from assistant.journal import Journal
from assistant.web.conversation import Conversation
from assistant.web.loading import EngineLoader

pytestmark = pytest.mark.timeout(240)

FIRST = "Wat zijn de bouwstenen van vertrouwen?"
FOLLOW_UP = "En hoe laat ik die zien?"


@pytest.fixture
def loader(site: Settings, embedder) -> Iterator[EngineLoader]:
    """The engine of the indexed seed post, loading in the background as the app's does."""
    loader = EngineLoader(lambda: Engine(site, embedder=embedder))
    yield loader
    loader.close()


def test_questions_asked_at_once_are_answered_in_order_each_with_the_ones_before(loader, journal):
    conversation = Conversation()

    first = conversation.ask(FIRST, loader, journal)  # while Kompas still loads
    follow_up = conversation.ask(FOLLOW_UP, loader, journal)  # before the first is answered
    assert follow_up.wait_until(lambda p: p.done, 120)

    assert first.done and first.exchange is not None
    exchanges, failed, pending = conversation.snapshot()
    assert [e.question for e in exchanges] == [FIRST, FOLLOW_UP]
    assert not failed and not pending
    assert "vertrouwen" in exchanges[1].answer.standalone_question.lower()  # it had the first as history


def test_an_answer_is_kept_and_logged_though_no_page_watches_it(loader, journal):
    conversation = Conversation()

    pending = conversation.ask(FIRST, loader, journal)
    assert pending.wait_until(lambda p: p.done, 120)

    [exchange] = conversation.snapshot()[0]
    assert "zichtbaarheid, eerlijkheid en nabijheid" in exchange.answer.text
    assert exchange.suggestions
    assert [q.question for q in journal.recent_questions()] == [FIRST]


def no_engine() -> Engine:
    raise ConfigError("ASSISTANT_EMBEDDER: word2vec is not an embedder")


def test_a_failed_question_stays_with_its_error_until_the_next_is_asked(settings: Settings):
    broken = EngineLoader(no_engine)
    journal = Journal.in_folder(settings.data_dir)
    conversation = Conversation()

    pending = conversation.ask(FIRST, broken, journal)
    assert pending.wait_until(lambda p: p.done, 60)

    assert isinstance(pending.error, ConfigError)
    assert conversation.snapshot()[1] == [pending]
    conversation.ask(FOLLOW_UP, broken, journal).wait_until(lambda p: p.done, 60)
    assert [p.question for p in conversation.snapshot()[1]] == [FOLLOW_UP]


def test_waiting_for_an_answer_that_is_not_done_gives_up_after_the_timeout(settings: Settings, embedder):
    release = threading.Event()
    slow = EngineLoader(lambda: release.wait(60) and Engine(settings, embedder=embedder))
    conversation = Conversation()
    try:
        pending = conversation.ask(FIRST, slow, Journal.in_folder(settings.data_dir))

        assert not pending.wait_until(lambda p: p.started, 0.05)
        assert conversation.snapshot()[2] == [pending]
    finally:
        release.set()
        pending.wait_until(lambda p: p.done, 60)
        slow.close()
