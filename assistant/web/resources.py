"""The settings, the engine, the journal and the login limiter, made once per process and shared by every
browser session.

The engine loads in a background thread from the first page view on (see ``loading.py``), so the page shows at
once; a post added from the coach's page or the CLI reaches every session because the index reopens itself when
its generation stamp moves (see ``assistant/index/``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from assistant.config import Settings, load_settings
from assistant.journal import Journal
from assistant.web import server
from assistant.web.access import ClientThrottle
from assistant.web.loading import EngineLoader

if TYPE_CHECKING:
    from assistant.engine import Engine
    from assistant.themes import QuestionVectors

LOADING = "Kompas wordt geladen…"


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """The settings of this process: ``assistant serve``'s flags over ``ASSISTANT_*`` variables and ``.env``
    (read once)."""
    return load_settings(**server.served_flags())


def _make_engine() -> Engine:
    # Imported here, in the loader's thread: llama-index and chromadb take seconds to import.
    from assistant.engine import Engine

    return Engine(settings())


@st.cache_resource(show_spinner=False, on_release=EngineLoader.close)
def engine_loader() -> EngineLoader:
    """The one engine of this process, loading from the first page view on."""
    return EngineLoader(_make_engine)


def engine_ready() -> bool:
    """Whether the engine is loaded and warmed up (or failed to load); starts it loading if it has not yet."""
    return engine_loader().ready


def engine_for_the_index() -> Engine | None:
    """The engine once it has opened the index (or tried to), for what needs only the index: the model may still
    be loading. None before then; raises what stopped the engine being made."""
    loader = engine_loader()
    return loader.engine_with_index() or (loader.engine() if loader.ready else None)


def engine() -> Engine:
    """The engine; while it still loads, the caller waits under "Kompas wordt geladen…"."""
    loader = engine_loader()
    if loader.ready:
        return loader.engine()
    with st.spinner(LOADING):
        return loader.engine()


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
