"""What a test does in the app, in a word each: ask, log in, switch page, read the last answer."""

from __future__ import annotations

import functools
import html
import re
import time
from pathlib import Path

import streamlit as st
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest

from assistant.web import resources

APP = Path(__file__).resolve().parents[2] / "assistant" / "web" / "app.py"


def open_app() -> AppTest:
    """Run the app once with a fresh engine (``st.cache_resource`` is per process, so it is cleared first); the
    engine starts loading in the background."""
    st.cache_resource.clear()
    at = new_app().run()
    assert not at.exception, at.exception
    return at


def new_app() -> AppTest:
    """The app under ``AppTest``, not yet run; another session of the same process when an engine is loaded."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    at._bidi_component_manager = installed_components()
    return at


@functools.cache
def installed_components() -> BidiComponentManager:
    """Streamlit's registry of installed custom components, found once per run.

    Every new ``AppTest`` otherwise rescans the metadata of all ~170 installed packages on its first run (0.25 to
    0.5 s each time, about a fifth of a web test); the packages do not change while the tests run.
    """
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    return components


def start_app() -> AppTest:
    """The app as a leader finds it once Kompas has loaded: opened, and run again when the engine is ready."""
    at = open_app()
    wait_until_loaded()
    at.run()
    assert not at.exception, at.exception
    return at


def wait_until_loaded(timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not resources.engine_ready():
        assert time.monotonic() < deadline, f"Kompas did not load within {timeout_s} s"
        time.sleep(0.05)


def log_in(at: AppTest, password: str) -> AppTest:
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click()
    return at.run()


def ask(at: AppTest, question: str) -> AppTest:
    """Type a question into the chat and run the app; the page must not raise."""
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception, at.exception
    return at


def to_chat(at: AppTest) -> AppTest:
    at.switch_page("chat.py").run()
    assert not at.exception
    return at


def to_coach(at: AppTest) -> AppTest:
    at.switch_page("coach.py").run()
    assert not at.exception
    return at


def last_answer(at: AppTest) -> str:
    """The text of the last assistant message (the Markdown as rendered, escapes included)."""
    message = [m for m in at.chat_message if m.name == "assistant"][-1]
    return message.markdown[0].value


def page_text(at: AppTest) -> str:
    """Everything the last run sent to the browser (every element's and block's message, sidebar included)."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def texts(elements) -> str:
    return " ".join(e.value for e in elements)


def cited_titles(at: AppTest) -> list[str]:
    """The labels of the last answer's source cards (``[n] Titel › Sectie · datum``), as plain text."""
    message = [m for m in at.chat_message if m.name == "assistant"][-1]
    cards = [e.value for e in message.get("html") if 'class="kompas-source"' in e.value]
    return [html.unescape(re.search(r"<summary[^>]*>(.*?)</summary>", card).group(1)) for card in cards]
