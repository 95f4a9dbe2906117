"""A leader's conversation: the exchanges so far, and the questions still being answered, in a thread of its own.

Streamlit reruns the page whenever the leader does something, and the new run stops the one before it wherever
it was. A question typed while the previous answer was still being drawn used to stop the run that was making
that answer, and the answer was never kept: it vanished from the page, and the new question was answered without
it. So the page's runs no longer make answers. ``ask`` queues the question; a worker thread answers the queue in
order, each question with the conversation before it as its history, and keeps each exchange the moment it is
made; a run of the page only shows what there is and waits for the rest. A run stopped halfway loses nothing:
the next one shows the same answer, further along.

    conversation = Conversation()
    conversation.ask("Hoe geef ik feedback?", loader, journal)
    exchanges, failed, pending = conversation.snapshot()
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answering.types import Answer, Turn
from assistant.errors import AssistantError, IndexUnavailableError
from assistant.web.cards import defanged

if TYPE_CHECKING:
    from assistant.engine import Engine
    from assistant.journal import Journal
    from assistant.web.loading import EngineLoader

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Exchange:
    """One question and its answer in this browser session; ``answer_id`` links it to the journal."""

    question: str
    answer: Answer
    answer_id: str
    # Questions to ask next, made once when the answer came (see assistant/answering/suggestions.py).
    suggestions: tuple[str, ...] = ()

    @property
    def turn(self) -> Turn:
        return Turn.of(self.answer)


class PendingAnswer:
    """A queued question: waiting its turn (or for Kompas to load), being written, then answered or failed.

    The worker changes it, any number of page runs read it; ``wait_until`` sleeps until it has changed enough.
    """

    def __init__(self, question: str):
        self.question = question
        self.started = False  # the engine is loaded and working on it
        self.text = ""  # what an LLM has written so far (offline answers come whole)
        self.exchange: Exchange | None = None
        self.error: BaseException | None = None
        self._changed = threading.Condition()

    @property
    def done(self) -> bool:
        return self.exchange is not None or self.error is not None

    def wait_until(self, condition: Callable[[PendingAnswer], bool], timeout_s: float) -> bool:
        """Wait until ``condition(self)`` holds, at most ``timeout_s``; return whether it does."""
        with self._changed:
            return self._changed.wait_for(lambda: condition(self), timeout_s)

    def _update(self, **changes: object) -> None:
        with self._changed:
            for name, value in changes.items():
                setattr(self, name, value)
            self._changed.notify_all()


class Conversation:
    """The exchanges of one browser session, the questions that failed since the last one asked, and the queue."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []
        self.failed: list[PendingAnswer] = []  # shown with their error until the next question is asked
        self._queue: deque[PendingAnswer] = deque()
        self._worker: threading.Thread | None = None

    def ask(self, question: str, loader: EngineLoader, journal: Journal) -> PendingAnswer:
        """Queue ``question``; it is answered after those before it, by a worker started if none is running."""
        pending = PendingAnswer(question)
        with self._lock:
            self.failed.clear()
            self._queue.append(pending)
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._answer_queue, args=(loader, journal), name="kompas-answers", daemon=True
                )
                self._worker.start()
        return pending

    def snapshot(self) -> tuple[list[Exchange], list[PendingAnswer], list[PendingAnswer]]:
        """The exchanges, the failed and the pending questions, all at one moment (so none is in two or none)."""
        with self._lock:
            return list(self.exchanges), list(self.failed), list(self._queue)

    def _answer_queue(self, loader: EngineLoader, journal: Journal) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._worker = None
                    return
                pending = self._queue[0]
                history = [e.turn for e in self.exchanges]
            exchange, error = answer_one(pending, history, loader, journal)
            with self._lock:
                self._queue.popleft()
                if exchange is not None:
                    self.exchanges.append(exchange)
                else:
                    self.failed.append(pending)
                pending._update(exchange=exchange, error=error)


def answer_one(
    pending: PendingAnswer, history: list[Turn], loader: EngineLoader, journal: Journal
) -> tuple[Exchange | None, BaseException | None]:
    """Answer one queued question (waiting while Kompas loads), log it in the journal, add suggestions."""
    try:
        engine = loader.engine()
        pending._update(started=True)
        stream = engine.stream(pending.question, history)
        if engine.settings.llm_configured:
            for piece in defanged(stream):
                pending._update(text=pending.text + piece)
        made = stream.result()
    except IndexUnavailableError as error:
        log.warning("the index is unavailable: %s", error)  # the technical message (hosts, paths) only here
        return None, error
    except AssistantError as error:
        return None, error
    except Exception as error:  # a bug: the page apologizes, and the log has it
        log.exception("could not answer %r", pending.question)
        return None, error
    return Exchange(pending.question, made, record(journal, made), suggestions_for(engine, made)), None


def record(journal: Journal, answer: Answer) -> str:
    """Log the answer in the journal; return its id (a fresh one if the journal cannot be written)."""
    try:
        return journal.record_answer(answer)
    except sqlite3.Error as error:  # the journal is for the coach; losing one entry must not break the chat
        log.warning("could not log the question: %s", error)
        return uuid.uuid4().hex


def suggestions_for(engine: Engine, answer: Answer) -> tuple[str, ...]:
    """The questions to suggest, or none when they cannot be made (they are a help, not the answer)."""
    try:
        return tuple(engine.suggestions(answer))
    except AssistantError as error:
        log.warning("could not suggest questions: %s", error)
        return ()
