"""The chat page: a leader asks, Kompas answers from the blogs with numbered source cards.

A page script of ``st.navigation`` (run with ``__name__ == "__main__"``); the conversation lives in
``st.session_state`` of the browser session (``conversation.py``: questions are queued and answered in order by a
thread of the conversation's own, so a rerun never loses one), every answer is logged in the journal for the
coach. A session may ask ``questions_per_minute`` questions a minute; when the index cannot be reached (a Chroma
server down, the index being rebuilt) the leader gets a short message and the log the technical one, and the
next question tries again.

The page shows at once while the engine still loads; a question asked meanwhile waits, visibly, for it. While it
loads, every session's run ends by waiting on the loader's one event, and draws what Kompas knows when it fires:
nothing polls, so a crowd arriving at a restart costs no more than its page views.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import streamlit as st

from assistant.config import Settings
from assistant.errors import AssistantError, IndexUnavailableError
from assistant.web import resources
from assistant.web.access import SlidingWindow
from assistant.web.cards import (
    escape_markdown,
    format_date,
    linked_markdown,
    safe_markdown,
    source_card_html,
)
from assistant.web.conversation import Conversation, Exchange, PendingAnswer

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
# A run that waits (for Kompas to load, for an answer) looks this often whether the leader did something, so that
# a question typed meanwhile starts its run at once. Looking costs nothing: it sends nothing to the browser.
WAIT_SLICE_S = 0.2
SEARCHING = "Even zoeken in de blogs…"
UNAVAILABLE = "De kennisbank is even niet bereikbaar. Probeer het zo nog eens."
FAILED = "Er ging iets mis bij het beantwoorden van je vraag. Probeer het nog eens."
# Why a thumbs down, to choose from (the leader may also write one, or skip it).
FEEDBACK_REASONS = ("de bron klopt niet", "het antwoord mist iets", "niet wat ik vroeg")
THANKS = "Bedankt! Je oordeel helpt de coach."
THANKS_FOR_REASON = "Bedankt voor je toelichting."
SUGGESTIONS_HEADING = {"nl": "Verder vragen", "en": "Ask next"}
OFFERS_HEADING = {"nl": "Hier kan ik je wel mee helpen", "en": "The posts can help with"}


def mode_label(settings: Settings) -> str:
    return f"taalmodel {settings.llm_model}" if settings.llm_configured else "alleen citaten"


def current_conversation() -> Conversation:
    return st.session_state.setdefault("conversation", Conversation())


def wait_while(busy: Callable[[float], bool]) -> None:
    """Call ``busy(WAIT_SLICE_S)`` (which waits up to that long) until it returns False, reading the session's
    state in between: that is where Streamlit stops a run the leader has since replaced with a new one."""
    while busy(WAIT_SLICE_S):
        st.session_state.get("conversation")


# ---- callbacks (run before the next script run) --------------------------------------------------------------


def start_new_conversation() -> None:
    st.session_state["conversation"] = Conversation()


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
    """The buttons, what Kompas knows and how it answers; while Kompas loads, a note that waits for it and then
    gives way to what Kompas knows (the last thing the run does, so the rest of the page is shown meanwhile)."""
    with st.sidebar:
        st.button("Nieuw gesprek", key="new_conversation", on_click=start_new_conversation, width="stretch")
        example_buttons("example", type="tertiary", width="stretch")
        knowledge = st.container()
        st.caption(f"Antwoorden: **{escape_markdown(mode_label(settings))}**")
    engine = resources.engine_for_the_index()
    if engine is None:
        note = knowledge.empty()
        note.caption(resources.LOADING)
        loader = resources.engine_loader()
        wait_while(lambda slice_s: not loader.wait_for_index(slice_s))
        note.empty()
        engine = resources.engine_for_the_index()
    with knowledge:
        known_posts(engine)


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


def show_pending(pending: PendingAnswer, llm: bool) -> None:
    """A queued question and its answer as it comes: a spinner while it waits (for Kompas to load, for the
    questions before it), the text as an LLM writes it, then the answer with its sources, or why there is none."""
    with st.chat_message("user"):
        st.markdown(safe_markdown(pending.question))
    with st.chat_message("assistant"):
        shown = st.empty()
        if not pending.done:
            if not resources.engine_ready():
                with st.spinner(resources.LOADING):
                    wait_while(lambda slice_s: not pending.wait_until(lambda p: p.started or p.done, slice_s))
            if llm:
                with shown:
                    st.write_stream(text_as_written(pending))
            else:
                with st.spinner(SEARCHING):
                    wait_while(lambda slice_s: not pending.wait_until(lambda p: p.done, slice_s))
        if pending.exchange is None:
            shown.empty()
            show_failure(pending.error)
            return
        exchange = pending.exchange
        shown.markdown(linked_markdown(exchange.answer.text, exchange.answer.citations, exchange.answer_id))
        show_answer_details(exchange)


def text_as_written(pending: PendingAnswer) -> Iterator[str]:
    """The answer's text in pieces as the LLM writes it (what is there already first), until it is done."""
    sent = 0
    while True:
        text = pending.text
        if len(text) > sent:
            yield text[sent:]
            sent = len(text)
        if pending.done:
            return
        wait_while(
            lambda slice_s, sent=sent: not pending.wait_until(lambda p: len(p.text) > sent or p.done, slice_s)
        )


def show_failure(error: BaseException | None) -> None:
    """Why a question has no answer: the index out of reach, Kompas's own message, or (a bug, logged) a plain
    apology."""
    if isinstance(error, IndexUnavailableError):
        st.warning(UNAVAILABLE)
    elif isinstance(error, AssistantError):
        st.error(escape_markdown(str(error)))
    else:
        st.error(FAILED)


def example_questions() -> None:
    """An empty chat's invitation, in the main area (on a phone the sidebar starts closed)."""
    example_buttons("start_example", icon=":material/arrow_forward:")


def example_buttons(key: str, **style: object) -> None:
    """The example questions under a heading, each a button that asks it."""
    st.markdown("**Probeer bijvoorbeeld**")
    for number, question in enumerate(EXAMPLE_QUESTIONS):
        st.button(question, key=f"{key}_{number}", on_click=ask_example, args=(question,), **style)


def question_throttle(settings: Settings) -> SlidingWindow:
    """This session's count of questions in the last minute."""
    throttle = st.session_state.get("question_throttle")
    if not isinstance(throttle, SlidingWindow) or throttle.limit != settings.questions_per_minute:
        throttle = st.session_state["question_throttle"] = SlidingWindow(settings.questions_per_minute)
    return throttle


def over_the_limit(throttle: SlidingWindow) -> str | None:
    """Count a question against the limit; if it is over, return how long to wait (and do not count it)."""
    now = time.monotonic()
    if throttle.allowed(now):
        throttle.record(now)
        return None
    limit, seconds = throttle.limit, max(1, math.ceil(throttle.wait_s(now)))
    return (
        f"Je hebt de afgelopen minuut al {limit} {'vraag' if limit == 1 else 'vragen'} gesteld. "
        f"Wacht nog {seconds} {'seconde' if seconds == 1 else 'seconden'} en stel je vraag dan opnieuw."
    )


def render() -> None:
    settings = resources.settings()
    # What a question needs is at hand before the chat input is read: between reading a question and queueing
    # it there is no Streamlit call, where a newer run could stop this one and drop the question.
    conversation, throttle = current_conversation(), question_throttle(settings)
    typed = st.chat_input(
        "Stel je vraag over leiderschap en vertrouwen…", key="question", max_chars=settings.max_question_chars
    )
    question = (typed or st.session_state.pop("pending_question", None) or "").strip()
    refusal = over_the_limit(throttle) if question else None
    if question and refusal is None:
        conversation.ask(question, resources.engine_loader(), resources.journal())
    st.title("Kompas")
    st.caption(
        "Vragen over leiderschap en vertrouwen, beantwoord met de blogs van De Onderwijskapitein: "
        "elk antwoord met genummerde bronnen."
    )
    exchanges, failed, pending = conversation.snapshot()
    # One slot, filled or empty: the examples of the run before must not linger under a question that waits.
    examples = st.empty()
    if not (exchanges or failed or pending or question):
        with examples.container():
            example_questions()
    for exchange in exchanges:
        show_exchange(exchange)
    for unanswered in failed:
        show_pending(unanswered, settings.llm_configured)
    if refusal:
        st.warning(refusal)
    for waiting in pending:
        show_pending(waiting, settings.llm_configured)
    # Last: on a first view the engine starts loading here, once the page above is on its way to the browser.
    try:
        sidebar(settings)
    except AssistantError as error:
        st.error(escape_markdown(str(error)))


if __name__ == "__main__":  # st.navigation runs this file as the page script
    render()
