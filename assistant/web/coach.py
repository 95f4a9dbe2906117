"""The coach's page ("Beheer"): its login, and its tabs for adding posts, the posts, questions and feedback.

A page script of ``st.navigation``. Closed unless a password is configured; the login and logout are in
``coach_login`` (a cookie that survives a reload when ``assistant serve`` serves the login routes, else the browser
session's state). Buttons only queue an action in ``st.session_state`` (their callbacks may also clear the
inputs), and the next run carries it out in place, with a progress bar (``coach_actions``). The tabs' contents
live in ``coach_posts`` (adding, listing and removing posts) and ``coach_insights`` (what leaders ask).
"""

from __future__ import annotations

import streamlit as st

from assistant.errors import AssistantError
from assistant.web import login_routes, resources
from assistant.web.coach_actions import carry_out
from assistant.web.coach_blog import follow_section, link_section
from assistant.web.coach_insights import feedback_section, questions_section, themes_section
from assistant.web.coach_login import logged_in, show_login, show_logout
from assistant.web.coach_messages import local_time, show_error, size_text
from assistant.web.coach_posts import paste_section, posts_section, upload_section

__all__ = ["local_time", "size_text"]  # still importable from here, as before the page was split


def render() -> None:
    st.title("Beheer")
    expected = login_routes.coach_password(resources.settings())
    if expected is None:
        st.info(
            "De beheerpagina staat uit: er is geen wachtwoord ingesteld. Zet de omgevingsvariabele "
            "`ASSISTANT_ADMIN_PASSWORD` (of `admin_password` in `.streamlit/secrets.toml`) en start Kompas "
            "opnieuw."
        )
        return
    if not logged_in(expected):
        show_login(expected)
        return
    show_logout()
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
