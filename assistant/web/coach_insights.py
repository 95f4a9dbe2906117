"""What leaders ask, for the coach: themes, unanswered questions, recent questions, manipulation attempts, feedback."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from assistant.journal import AskedQuestion, Journal
from assistant.web import resources
from assistant.web.coach_actions import Action, confirm_buttons
from assistant.web.coach_messages import counted, local_time, readable_title

if TYPE_CHECKING:
    from assistant.engine import Engine

REFRESH_S = 30  # how often the question and feedback lists re-read the journal while the page is open
# How the recent-questions table says whether a question was answered, by refusal reason.
ANSWERED = {
    "": "nee",
    "off_topic": "nee",
    "manipulation": "nee, poging tot misleiding",
    "too_long": "nee, te lang",
    "empty": "nee, leeg",
}


def themes_section(engine: Engine, journal: Journal) -> None:
    """The unanswered questions grouped by subject, most asked first: the coach's list of next posts to write."""
    from assistant.themes import period_text, unanswered_themes

    st.subheader("Waar leiders naar vragen (onderwerpen voor een volgende blog)")
    st.caption(
        "Vragen zonder (volledig) antwoord, gegroepeerd naar onderwerp; het vaakst gevraagde bovenaan."
    )
    with st.spinner("Vragen worden gegroepeerd…"):
        themes = unanswered_themes(journal, engine.embedder, vectors=resources.question_vectors())
    if not themes:
        st.caption("Nog geen.")
        return
    st.table(
        [
            {
                "Onderwerp": t.name,
                "Aantal": t.count,
                "Periode": period_text(t.first_asked, t.last_asked),
                "Voorbeelden": " · ".join(t.examples),
            }
            for t in themes
        ],
        hide_index=True,
    )


def answered_text(question: AskedQuestion) -> str:
    if question.refused:
        return ANSWERED.get(question.refusal_reason, "nee")
    return "deels" if question.related_only else "ja"


def refresh_button(key: str) -> None:
    # A click reruns only the fragment around it, which reads the journal again.
    st.button("Vernieuwen", key=key, icon=":material/refresh:", type="tertiary")


@st.fragment(run_every=REFRESH_S)
def questions_lists(journal: Journal, titles: dict[str, str]) -> None:
    """The question tables, read from the journal again every ``REFRESH_S`` seconds and on "Vernieuwen"."""
    refresh_button("refresh_questions")
    st.subheader("Vragen zonder antwoord")
    st.caption(
        "Waar de blogs (nog) niets over zeggen, of alleen iets wat ernaast ligt: onderwerpen voor een volgende blog."
    )
    gaps = journal.unanswered()
    if gaps:
        st.table(
            [
                {"Vraag": g.question, "Keer gesteld": g.count, "Laatst gesteld": local_time(g.last_asked)}
                for g in gaps
            ],
            hide_index=True,
        )
    else:
        st.caption("Nog geen.")
    st.subheader("Recente vragen")
    recent = journal.recent_questions()
    if recent:
        st.table(
            [
                {
                    "Tijd": local_time(q.asked_at),
                    "Vraag": q.question,
                    "Beantwoord": answered_text(q),
                    "Uit de blogs": ", ".join(
                        dict.fromkeys(readable_title(str(s["post"]), titles) for s in q.sources)
                    ),
                }
                for q in recent
            ],
            hide_index=True,
        )
    else:
        st.caption("Nog geen vragen gesteld.")
    st.subheader("Pogingen om Kompas te misleiden")
    st.caption("Vragen die Kompas zijn regels wilden laten vergeten. Kompas gaf er geen antwoord op.")
    attempts = journal.manipulation_attempts()
    if attempts:
        st.table(
            [{"Tijd": local_time(q.asked_at), "Vraag": q.question} for q in attempts],
            hide_index=True,
        )
    else:
        st.caption("Geen.")


def questions_section(journal: Journal, titles: dict[str, str]) -> None:
    questions_lists(journal, titles)
    clear_section(journal)  # outside the fragment: its buttons queue actions the next full run carries out


def clear_section(journal: Journal) -> None:
    st.divider()
    if journal.enabled:
        st.caption(
            f"Vragen en feedback worden {journal.retention_days} dagen bewaard, zonder namen of "
            "IP-adressen; daarna worden ze gewist."
        )
    else:
        st.caption("Het vragenlog staat uit: vragen en feedback worden niet bewaard.")
    if st.button("Vragenlog wissen…", key="clear_journal"):
        st.session_state["confirm_clear"] = True
    if st.session_state.get("confirm_clear"):
        questions, feedback = journal.question_count(), journal.feedback_counts()
        st.warning(
            "Weet je zeker dat je het vragenlog wilt wissen? "
            f"{counted(questions, 'vraag', 'vragen')} en {counted(feedback.up + feedback.down)} verdwijnen; "
            "dat kan niet ongedaan worden gemaakt."
        )
        confirm_buttons("Ja, wissen", "clear_journal", Action("clear_journal"), "confirm_clear")


@st.fragment(run_every=REFRESH_S)
def feedback_section(journal: Journal) -> None:
    refresh_button("refresh_feedback")
    counts = journal.feedback_counts()
    up, down = st.columns(2)
    up.metric("Duim omhoog", counts.up)
    down.metric("Duim omlaag", counts.down)
    entries = journal.feedback()
    if entries:
        st.table(
            [
                {
                    "Tijd": local_time(f.given_at),
                    "Oordeel": "👍" if f.score else "👎",
                    "Reden": f.reason,
                    "Vraag": f.question,
                    "Antwoord": f.answer,
                    "Uit de blogs": ", ".join(
                        dict.fromkeys(str(p.get("title") or p["post"]) for p in f.passages)
                    ),
                }
                for f in entries
            ],
            hide_index=True,
        )
    else:
        st.caption("Nog geen feedback.")
