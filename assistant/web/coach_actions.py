"""The coach's page's actions: a button queues one in ``st.session_state``; the next run carries it out in place."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from assistant.corpus.model import Post
from assistant.errors import AssistantError
from assistant.web import resources
from assistant.web.cards import escape_markdown
from assistant.web.coach_messages import counted, readable_title, show_error

if TYPE_CHECKING:
    from assistant.engine import Engine

log = logging.getLogger("assistant.web.coach")  # the page's one logger, whichever module logs


@dataclass(frozen=True)
class Action:
    """What a button asked for, carried out at the top of the next run: save, remove, reindex, clear_journal,
    sync (the followed blog, from ``source``)."""

    kind: str
    post: Post | None = None
    replace: bool = False
    slug: str = ""
    title: str = ""
    upload_id: str = ""
    source: str = ""


def queue(action: Action, clear: tuple[str, ...] = ()) -> None:
    st.session_state["coach_action"] = action
    st.session_state.pop("confirm_delete", None)
    st.session_state.pop("confirm_clear", None)
    for key in clear:
        st.session_state[key] = ""
    if clear:
        st.session_state.pop("paste_replace", None)


def confirm_buttons(yes: str, key: str, action: Action, asking: str) -> None:
    """The two buttons under a "Weet je zeker…?" warning: ``yes`` queues ``action``; "Annuleren" forgets the
    question kept in ``st.session_state[asking]``."""
    yes_column, no_column = st.columns(2)
    yes_column.button(yes, key=f"{key}_confirm", type="primary", on_click=queue, args=(action,))
    no_column.button("Annuleren", key=f"{key}_cancel", on_click=st.session_state.pop, args=(asking, None))


def progress_callback(bar, titles: dict[str, str]):
    """The engine's ``progress(slug, done, total)`` drawn on a Streamlit progress bar, naming the post's title."""

    def update(description: str, done: int, total: int) -> None:
        title = escape_markdown(readable_title(description.removeprefix("embedding "), titles))
        bar.progress(
            min(done / total, 1.0) if total else 0.0, text=f"“{title}”: {done} van {total} zinnen gelezen"
        )

    return update


def carry_out(engine: Engine, action: Action) -> None:
    """Do a queued action in place; success and errors show as messages."""
    try:
        if action.kind == "save":
            bar = st.progress(0.0, text="Bezig met toevoegen…")
            titles = {action.post.slug: action.post.title}
            result = engine.add_post(
                action.post, replace=action.replace, progress=progress_callback(bar, titles)
            )
            bar.empty()
            if action.upload_id:  # a file uploader cannot be emptied from code: remember what is done
                st.session_state.setdefault("saved_uploads", set()).add(action.upload_id)
            verb = "vervangen" if action.replace else "toegevoegd"
            if not result.changed:
                verb = "ongewijzigd (de tekst was al zo)"
            st.success(f"“{escape_markdown(action.post.title)}” is {verb}.")
        elif action.kind == "remove":
            engine.remove(action.slug)
            st.success(f"“{escape_markdown(action.title or action.slug)}” is verwijderd.")
        elif action.kind == "reindex":
            bar = st.progress(0.0, text="Alle blogs opnieuw inlezen…")
            titles = {p.slug: p.title for p in engine.posts()}
            report = engine.reindex(progress=progress_callback(bar, titles))
            bar.empty()
            st.success(f"Alle blogs zijn opnieuw ingelezen: {counted(len(report.added), 'blog', 'blogs')}.")
            for error in report.errors:
                show_error(error)
        elif action.kind == "sync":
            from assistant.web.coach_blog import sync_now

            sync_now(engine, action)
        elif action.kind == "clear_journal":
            questions, feedback = resources.journal().clear()
            st.success(
                f"Het vragenlog is gewist: {counted(questions, 'vraag', 'vragen')} en {counted(feedback)}."
            )
    except AssistantError as error:
        show_error(error)
    except sqlite3.Error as error:
        log.warning("the question log could not be changed: %s", error)
        st.error(
            "Het vragenlog kon niet worden gewist. Probeer het opnieuw; de details staan in het logboek."
        )
