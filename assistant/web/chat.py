"""The chat page: a leader asks, Kompas answers from the blogs with numbered source cards.

A page script of ``st.navigation`` (run with ``__name__ == "__main__"``); the conversation lives in
``st.session_state`` of the browser session, every answer is logged in the journal for the coach. A session
may ask ``questions_per_minute`` questions a minute; when the index cannot be reached (a Chroma server down, the
index being rebuilt) the leader gets a short message and the log the technical one, and the next question tries
again. The page shows while the engine still loads; a question asked meanwhile waits for it.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from assistant.answering.types import Answer, Turn
from assistant.config import Settings
from assistant.errors import AssistantError, IndexUnavailableError
from assistant.web import resources
from assistant.web.access import SlidingWindow
from assistant.web.cards import (
    defanged,
    escape_markdown,
    format_date,
    linked_markdown,
    safe_markdown,
    source_card_html,
)

if TYPE_CHECKING:
    from assistant.engine import Engine

log = logging.getLogger("assistant.web.chat")  # a page script runs as __main__

EXAMPLE_QUESTIONS = (
    "Wat zijn de bouwstenen van vertrouwen?",
    "Hoe herstel ik vertrouwen in mijn team?",
    "Waarom is vertrouwen belangrijk voor leiderschap?",
    "Hoe bouw ik verbinding met mijn team?",
)
NEWEST_POSTS = 5
LOADING_POLL_S = 2.0  # how often the sidebar looks whether the index is open (each look redraws the page)
UNAVAILABLE = "De kennisbank is even niet bereikbaar. Probeer het zo nog eens."
# Why a thumbs down, to choose from (the leader may also write one, or skip it).
FEEDBACK_REASONS = ("de bron klopt niet", "het antwoord mist iets", "niet wat ik vroeg")
THANKS = "Bedankt! Je oordeel helpt de coach."
THANKS_FOR_REASON = "Bedankt voor je toelichting."
SUGGESTIONS_HEADING = {"nl": "Verder vragen", "en": "Ask next"}
OFFERS_HEADING = {"nl": "Hier kan ik je wel mee helpen", "en": "The posts can help with"}


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


def mode_label(settings: Settings) -> str:
    return f"taalmodel {settings.llm_model}" if settings.llm_configured else "alleen citaten"


def exchanges() -> list[Exchange]:
    return st.session_state.setdefault("exchanges", [])


# ---- callbacks (run before the next script run) --------------------------------------------------------------


def start_new_conversation() -> None:
    st.session_state["exchanges"] = []


def ask_example(question: str) -> None:
    st.session_state["pending_question"] = question


def store_feedback(exchange: Exchange, reason: str = "") -> None:
    score = st.session_state.get(f"feedback_{exchange.answer_id}")
    try:
        resources.journal().record_feedback(exchange.answer_id, score, exchange.answer, reason=reason)
    except sqlite3.Error as error:  # the journal is for the coach; losing one entry must not break the chat
        log.warning("could not store feedback: %s", error)


def store_reason(exchange: Exchange) -> None:
    """Store the thumbs down again, now with the chosen reason and the leader's own words (either may be empty)."""
    choice = st.session_state.get(f"reason_choice_{exchange.answer_id}") or ""
    remark = (st.session_state.get(f"reason_text_{exchange.answer_id}") or "").strip()
    store_feedback(exchange, ": ".join(part for part in (choice, remark) if part))
    st.session_state[f"reason_sent_{exchange.answer_id}"] = True


# ---- rendering -----------------------------------------------------------------------------------------------


def index_unavailable(error: IndexUnavailableError) -> None:
    """Tell the leader briefly; the technical message (hosts, paths) goes to the log only."""
    log.warning("the index is unavailable: %s", error)
    st.warning(UNAVAILABLE)


def sidebar(settings: Settings) -> None:
    """The buttons, what Kompas knows (once the engine is loaded) and how it answers."""
    with st.sidebar:
        st.button("Nieuw gesprek", key="new_conversation", on_click=start_new_conversation, width="stretch")
        example_buttons("example", type="tertiary", width="stretch")
        engine = resources.engine_for_the_index()
        if engine is not None:
            known_posts(engine)
        else:
            # Polls until the engine is made, then runs the whole page again, now with the posts.
            st.fragment(run_every=LOADING_POLL_S)(loading_note)()
        st.caption(f"Antwoorden: **{escape_markdown(mode_label(settings))}**")


def loading_note() -> None:
    if resources.engine_for_the_index() is not None:
        st.rerun()
    st.caption(resources.LOADING)


def known_posts(engine: Engine) -> None:
    """How many posts Kompas knows, and the newest."""
    try:
        posts = engine.posts()
    except IndexUnavailableError as error:
        index_unavailable(error)
        return
    st.markdown(f"**Wat Kompas kent:** {len(posts)} {'blog' if len(posts) == 1 else 'blogs'}")
    lines = [
        f"- {escape_markdown(p.title)}" + (f" · {escape_markdown(format_date(p.date))}" if p.date else "")
        for p in posts[:NEWEST_POSTS]
    ]
    if lines:
        st.caption("Nieuwste:\n" + "\n".join(lines))


RELATED_NOTE = {
    "nl": "Geen antwoord uit de blogs: dit zijn de passages die er het dichtst bij komen.",
    "en": "Not an answer from the posts: these are the passages that come closest.",
}


def show_answer_details(exchange: Exchange) -> None:
    """Under an answer: its notice, the numbered source cards, and the thumbs."""
    answer = exchange.answer
    if answer.notice:
        st.info(escape_markdown(answer.notice))
    if answer.related_only:
        st.warning(RELATED_NOTE["en" if answer.lang == "en" else "nl"], icon=":material/explore:")
    if not answer.refused and answer.citations:
        st.caption("Bronnen")
        for citation in answer.citations:
            # The first card is open, so its highlighted sentence shows at once; [n] in the text opens the others.
            st.html(source_card_html(citation, exchange.answer_id, open_=citation is answer.citations[0]))
    show_suggestions(exchange)
    show_feedback(exchange)


def show_suggestions(exchange: Exchange) -> None:
    """Questions to ask next, as buttons that ask them; after a refusal, questions the posts do answer."""
    if not exchange.suggestions:
        return
    lang = "en" if exchange.answer.lang == "en" else "nl"
    unanswered = exchange.answer.refused or exchange.answer.related_only
    st.caption((OFFERS_HEADING if unanswered else SUGGESTIONS_HEADING)[lang])
    for number, question in enumerate(exchange.suggestions):
        st.button(
            escape_markdown(question),
            key=f"suggestion_{exchange.answer_id}_{number}",
            on_click=ask_example,
            args=(question,),
            icon=":material/arrow_forward:",
            type="secondary",
        )


def show_feedback(exchange: Exchange) -> None:
    """The thumbs; once given, a thanks, and after a thumbs down an optional reason."""
    key = exchange.answer_id
    st.feedback("thumbs", key=f"feedback_{key}", on_change=store_feedback, args=(exchange,))
    score = st.session_state.get(f"feedback_{key}")
    if score is None:
        return
    if score == 0 and not st.session_state.get(f"reason_sent_{key}"):
        st.caption(THANKS)
        with st.form(key=f"reason_form_{key}", border=False):
            st.radio(
                "Wat ging er mis? Je mag dit overslaan.",
                FEEDBACK_REASONS,
                index=None,
                key=f"reason_choice_{key}",
                horizontal=True,
            )
            st.text_input("Toelichting (mag leeg blijven)", key=f"reason_text_{key}", max_chars=300)
            st.form_submit_button("Verstuur", on_click=store_reason, args=(exchange,))
    elif score == 0:
        st.caption(THANKS_FOR_REASON)
    else:
        st.caption(THANKS)


def show_exchange(exchange: Exchange) -> None:
    with st.chat_message("user"):
        st.markdown(safe_markdown(exchange.question))
    with st.chat_message("assistant"):
        st.markdown(linked_markdown(exchange.answer.text, exchange.answer.citations, exchange.answer_id))
        show_answer_details(exchange)


def write_answer(
    engine: Engine, question: str, history: list[Turn]
) -> tuple[Answer, st.delta_generator.DeltaGenerator]:
    """Stream the answer when an LLM writes it, then show the checked text (citations verified); return the
    answer and the place it is shown, for the text with linked citations once it has its id."""
    stream = engine.stream(question, history)
    placeholder = st.empty()
    if engine.settings.llm_configured:
        with placeholder:
            st.write_stream(defanged(stream))
        answer = stream.result()
    else:
        with st.spinner("Even zoeken in de blogs…"):
            answer = stream.result()
    placeholder.markdown(safe_markdown(answer.text))
    return answer, placeholder


def suggestions_for(engine: Engine, answer: Answer) -> tuple[str, ...]:
    """The questions to suggest, or none when they cannot be made (they are a help, not the answer)."""
    try:
        return tuple(engine.suggestions(answer))
    except AssistantError as error:
        log.warning("could not suggest questions: %s", error)
        return ()


def record(answer: Answer) -> str:
    """Log the answer in the journal; return its id (a fresh one if the journal cannot be written)."""
    try:
        return resources.journal().record_answer(answer)
    except sqlite3.Error as error:
        log.warning("could not log the question: %s", error)
        return uuid.uuid4().hex


def answer_question(question: str) -> None:
    history = [e.turn for e in exchanges()]
    with st.chat_message("user"):
        st.markdown(safe_markdown(question))
    with st.chat_message("assistant"):
        try:
            engine = resources.engine()  # the first question may wait here, under "Kompas wordt geladen…"
            answer, shown = write_answer(engine, question, history)
        except IndexUnavailableError as error:
            index_unavailable(error)
            return
        except AssistantError as error:
            st.error(escape_markdown(str(error)))
            return
        answer_id = record(answer)
        shown.markdown(linked_markdown(answer.text, answer.citations, answer_id))
        exchange = Exchange(question, answer, answer_id, suggestions_for(engine, answer))
        exchanges().append(exchange)
        show_answer_details(exchange)


def example_questions() -> None:
    """An empty chat's invitation, in the main area (on a phone the sidebar starts closed)."""
    example_buttons("start_example", icon=":material/arrow_forward:")


def example_buttons(key: str, **style: object) -> None:
    """The example questions under a heading, each a button that asks it."""
    st.markdown("**Probeer bijvoorbeeld**")
    for number, question in enumerate(EXAMPLE_QUESTIONS):
        st.button(question, key=f"{key}_{number}", on_click=ask_example, args=(question,), **style)


def within_question_limit(settings: Settings) -> bool:
    """Count a question against the session's limit; if it is over, say how long to wait and return False."""
    limit = settings.questions_per_minute
    throttle = st.session_state.get("question_throttle")
    if not isinstance(throttle, SlidingWindow) or throttle.limit != limit:
        throttle = st.session_state["question_throttle"] = SlidingWindow(limit)
    now = time.monotonic()
    if not throttle.allowed(now):
        seconds = max(1, math.ceil(throttle.wait_s(now)))
        st.warning(
            f"Je hebt de afgelopen minuut al {limit} {'vraag' if limit == 1 else 'vragen'} gesteld. "
            f"Wacht nog {seconds} {'seconde' if seconds == 1 else 'seconden'} en stel je vraag dan opnieuw."
        )
        return False
    throttle.record(now)
    return True


def render() -> None:
    st.title("Kompas")
    st.caption(
        "Vragen over leiderschap en vertrouwen, beantwoord met de blogs van De Onderwijskapitein: "
        "elk antwoord met genummerde bronnen."
    )
    settings = resources.settings()
    # Nothing here waits for the engine: the page shows at once, and only an answer waits while it loads.
    typed = st.chat_input(
        "Stel je vraag over leiderschap en vertrouwen…", key="question", max_chars=settings.max_question_chars
    )
    question = typed or st.session_state.pop("pending_question", None)
    if not exchanges() and not (question and question.strip()):
        example_questions()
    for exchange in exchanges():
        show_exchange(exchange)
    if question and question.strip() and within_question_limit(settings):
        answer_question(question.strip())
    # Last: on a first view the engine starts loading here, once the page above is on its way to the browser.
    try:
        sidebar(settings)
    except AssistantError as error:
        st.error(escape_markdown(str(error)))


if __name__ == "__main__":  # st.navigation runs this file as the page script
    render()
