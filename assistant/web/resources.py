"""The settings, the engine, the journal and the login limiter, made once per process and shared by every
browser session.

The embedder and the index load on first use; a post added from the coach's page or the CLI reaches every
session because the index reopens itself when its generation stamp moves (see ``assistant/index/``).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import streamlit as st

from assistant.config import Settings
from assistant.journal import Journal
from assistant.web.access import ClientThrottle

if TYPE_CHECKING:
    from assistant.engine import Engine
    from assistant.themes import QuestionVectors


def _close(engine: Engine) -> None:
    index = engine.__dict__.get("index")
    if index is not None:
        with contextlib.suppress(Exception):
            index.close()


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """The settings of this process, from ``ASSISTANT_*`` variables and ``.env`` (read once; cheap)."""
    return Settings()


@st.cache_resource(show_spinner="Kompas wordt geladen…", on_release=_close)
def engine() -> Engine:
    """The one engine of this process."""
    # Imported here, under the spinner: llama-index and chromadb take seconds to import on a fresh process,
    # and the page can show its title and input meanwhile.
    from assistant.engine import Engine

    return Engine(settings())


@st.cache_resource(show_spinner=False)
def journal() -> Journal:
    """The questions-and-feedback journal in the data folder; opening it deletes what is past retention."""
    return Journal.in_folder(settings().data_dir, retention_days=settings().log_retention_days)


@st.cache_resource(show_spinner=False)
def login_limiter() -> ClientThrottle:
    """Login attempts per client on the coach's page, over all browser sessions of this process."""
    return ClientThrottle(limit=settings().login_attempts_per_minute)


@st.cache_resource(show_spinner=False)
def question_vectors() -> QuestionVectors:
    """The unanswered questions' vectors, kept in memory so the coach's page does not embed them on every run."""
    from assistant.themes import QuestionVectors

    return QuestionVectors()
