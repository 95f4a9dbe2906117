"""The coach's page ("Beheer"): its login, and its tabs for adding posts, the posts, questions and feedback.

A page script of ``st.navigation``. Closed unless a password is configured; login attempts are limited per
browser session and per client. Buttons only queue an action in ``st.session_state`` (their callbacks may also
clear the inputs), and the next run carries it out in place, with a progress bar (``coach_actions``). The tabs'
contents live in ``coach_posts`` (adding, listing and removing posts) and ``coach_insights`` (what leaders ask).
"""

from __future__ import annotations

import logging
import math
import time

import streamlit as st

from assistant.errors import AssistantError
from assistant.web import resources
from assistant.web.access import LoginThrottle, client_address, configured_password, password_matches
from assistant.web.coach_actions import carry_out
from assistant.web.coach_blog import follow_section, link_section
from assistant.web.coach_insights import feedback_section, questions_section, themes_section
from assistant.web.coach_messages import local_time, show_error, size_text
from assistant.web.coach_posts import paste_section, posts_section, upload_section

__all__ = ["local_time", "size_text"]  # still importable from here, as before the page was split

log = logging.getLogger("assistant.web.coach")  # a page script runs as __main__


def secrets() -> dict[str, object]:
    try:
        return st.secrets.to_dict() if st.secrets.load_if_toml_exists() else {}
    except Exception:  # a broken secrets.toml must not open (or crash) the page
        return {}


def this_client() -> str:
    """Who is connecting, for the per-client login limit (only a salted hash of it is kept)."""
    try:
        return client_address(st.context.ip_address, st.context.headers)
    except Exception:  # no request context (bare mode): one shared client
        return client_address(None, None)


def too_many_attempts(seconds: float) -> None:
    st.error(f"Te veel pogingen. Probeer het over {max(1, math.ceil(seconds))} seconden opnieuw.")


def login(expected: str) -> None:
    with st.form("login", clear_on_submit=True):
        typed = st.text_input("Wachtwoord", type="password", key="login_password")
        submitted = st.form_submit_button("Inloggen", key="login_submit", type="primary")
    if not submitted:
        return
    limit = resources.settings().login_attempts_per_session
    throttle = st.session_state.get("login_throttle")
    if not isinstance(throttle, LoginThrottle) or throttle.limit != limit:
        throttle = st.session_state["login_throttle"] = LoginThrottle(limit)
    now = time.monotonic()
    if not throttle.allowed(now):
        too_many_attempts(throttle.wait_s(now))
        return
    wait = resources.login_limiter().attempt(this_client(), now)
    if wait > 0:
        log.warning("too many login attempts on the coach's page from one client")
        too_many_attempts(wait)
        return
    throttle.record(now)
    if password_matches(typed or "", expected):
        log.info("the coach logged in")
        st.session_state["coach_logged_in"] = True
        st.rerun()
    log.info("a wrong password was tried on the coach's page")
    st.error("Dat wachtwoord klopt niet.")


# Why a reload logs the coach out (the login lives in st.session_state, which a reload starts afresh): a login
# that survives it needs a cookie, and Streamlit 1.67 gives a page script no safe way to set one. Reading is
# possible (st.context.cookies), but a script cannot send a Set-Cookie header; the only way from a page is
# JavaScript (st.html(unsafe_allow_javascript=True) writing document.cookie), which cannot make the cookie
# HttpOnly: any script that ever got into the page could read the token and use it elsewhere for hours. The
# safe way, an HttpOnly cookie set by a server route of st.App (Streamlit's experimental ASGI mode), means
# serving Kompas differently (app.py, `assistant serve`); that is left for a change of its own.


def log_out() -> None:
    st.session_state["coach_logged_in"] = False


def render() -> None:
    st.title("Beheer")
    expected = configured_password(resources.settings(), secrets())
    if expected is None:
        st.info(
            "De beheerpagina staat uit: er is geen wachtwoord ingesteld. Zet de omgevingsvariabele "
            "`ASSISTANT_ADMIN_PASSWORD` (of `admin_password` in `.streamlit/secrets.toml`) en start Kompas "
            "opnieuw."
        )
        return
    if not st.session_state.get("coach_logged_in"):
        login(expected)
        return
    st.sidebar.button("Uitloggen", key="logout", on_click=log_out)
    engine = resources.engine()  # waits under "Kompas wordt geladen…" while it still loads
    action = st.session_state.pop("coach_action", None)
    if action is not None:
        carry_out(engine, action)
    try:
        add, posts, questions, feedback = st.tabs(["Toevoegen", "Blogs", "Vragen", "Feedback"])
        with add:
            link_section(engine)
            upload_section(engine)
            paste_section(engine)
        with posts:
            follow_section(engine)
            posts_section(engine)
        titles = {p.slug: p.title for p in engine.posts()}
        with questions:
            themes_section(engine, resources.journal())
            questions_section(resources.journal(), titles)
        with feedback:
            feedback_section(resources.journal())
    except AssistantError as error:
        show_error(error)


if __name__ == "__main__":  # st.navigation runs this file as the page script
    render()
