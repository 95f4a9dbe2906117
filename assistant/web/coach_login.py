"""The coach's page's login and logout, in the coach's words.

Served by ``assistant serve``, the login routes are there (``login_routes.served()``): the page shows a plain
HTML form that posts the password to the login route, and the coach is logged in while the browser holds a valid
login cookie, checked here on the server on every run (``st.context.cookies``). A reload keeps the login;
"Uitloggen" posts to the logout route, which clears the cookie. No script runs: the forms are HTML that Streamlit
sanitizes, and the cookie is HttpOnly.

Without the routes (plain ``streamlit run app.py``, ``AppTest``) the login is a Streamlit form kept in the
browser session's state, limited per session and per client as before: a reload logs the coach out.
"""

from __future__ import annotations

import html
import logging
import math
import time

import streamlit as st

from assistant.web import login_cookie, login_routes, resources
from assistant.web.access import LoginThrottle, client_address, password_matches

log = logging.getLogger("assistant.web.coach")

# Streamlit's look for a text input and its buttons, in colours that read on the light and the dark theme alike.
_FORM_STYLE = """<style>
.kompas-login { display: flex; flex-direction: column; gap: 0.5rem; max-width: 28rem; }
.kompas-login label { font-size: 0.875rem; }
.kompas-login input, .kompas-logout button { font: inherit; color: inherit; background: transparent;
  border: 1px solid rgba(128, 128, 128, 0.45); border-radius: 0.5rem; }
.kompas-login input { padding: 0.5rem 0.75rem; }
.kompas-login input:focus { outline: none; border-color: rgb(255, 75, 75); }
.kompas-login button, .kompas-logout button { font: inherit; align-self: flex-start; cursor: pointer;
  padding: 0.25rem 0.75rem; min-height: 2.5rem; border-radius: 0.5rem; }
.kompas-login button { border: 1px solid rgb(255, 75, 75); background: rgb(255, 75, 75); color: white; }
</style>"""


def logged_in(password: str) -> bool:
    """Whether the coach is logged in: by a valid cookie when the routes are served, else in this session."""
    if login_routes.served():
        settings = resources.settings()
        return login_cookie.verify(
            st.context.cookies.get(login_cookie.COOKIE_NAME),
            login_cookie.server_secret(settings),
            password,
            max_age_s=settings.login_hours * 3600,
        )
    return bool(st.session_state.get("coach_logged_in"))


def show_login(password: str) -> None:
    if login_routes.served():
        _route_login()
    else:
        _session_login(password)


def show_logout() -> None:
    if login_routes.served():
        st.sidebar.html(
            f'{_FORM_STYLE}<form class="kompas-logout" method="post" '
            f'action="{html.escape(login_routes.logout_url())}"><button type="submit">Uitloggen</button></form>'
        )
    else:
        st.sidebar.button("Uitloggen", key="logout", on_click=_session_log_out)


def too_many_attempts(seconds: float) -> None:
    st.error(f"Te veel pogingen. Probeer het over {max(1, math.ceil(seconds))} seconden opnieuw.")


def _route_login() -> None:
    """The HTML form to the login route, and what the route said of the last attempt (in the address)."""
    outcome = st.query_params.get("login")
    if outcome == "fout":
        st.error("Dat wachtwoord klopt niet.")
    elif outcome == "wacht":
        seconds = st.query_params.get("seconden", "")
        too_many_attempts(min(int(seconds), 3600) if seconds.isdigit() else 60)
    for name in ("login", "seconden"):  # said once: a reload shows the form afresh
        st.query_params.pop(name, None)
    st.html(
        f'{_FORM_STYLE}<form class="kompas-login" method="post" action="{html.escape(login_routes.login_url())}">'
        '<label for="kompas-password">Wachtwoord</label>'
        '<input id="kompas-password" name="password" type="password" autocomplete="current-password" required>'
        '<button type="submit">Inloggen</button></form>'
    )


def _this_client() -> str:
    """Who is connecting, for the per-client login limit (only a salted hash of it is kept)."""
    try:
        return client_address(st.context.ip_address, st.context.headers)
    except Exception:  # no request context (bare mode): one shared client
        return client_address(None, None)


def _session_login(expected: str) -> None:
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
    wait = resources.login_limiter().attempt(_this_client(), now)
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


def _session_log_out() -> None:
    st.session_state["coach_logged_in"] = False
