"""The coach's login and logout as HTTP routes beside the Streamlit app, so the login cookie can be HttpOnly.

A page script cannot send a ``Set-Cookie`` header, and a cookie written by the page's JavaScript is readable by any
script that gets into the page. So the coach's page shows a plain HTML form that posts the password to
``POST /beheer/login``; the route checks it (constant time, per-client limit shared with the page's own login),
sets the signed cookie (``login_cookie``: HttpOnly, SameSite=Strict, Secure over https) and sends the browser
back to the page, which reads the cookie through ``st.context.cookies``. ``POST /beheer/logout`` clears it. Both
refuse requests from other sites (``access.same_origin``). The password travels only in the POST body: never in
a URL, and nothing here logs it.

The routes are mounted by ``asgi.py`` through ``st.App`` (what ``assistant serve`` runs); its lifespan marks them
``served()``. Under plain ``streamlit run app.py`` or ``AppTest`` there are no routes, and the page logs the coach
in for the browser session only, as before.

    app = st.App("app.py", routes=routes(), lifespan=lifespan)
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from assistant.web import login_cookie
from assistant.web.access import client_address, configured_password, password_matches, same_origin

if TYPE_CHECKING:
    from starlette.requests import Request

    from assistant.config import Settings

log = logging.getLogger("assistant.web.login")

PAGE = "beheer"  # the coach's page's url_path in app.py
MAX_FORM_BYTES = 4096  # a password form; anything longer is not one

_served = False


def served() -> bool:
    """Whether this process serves the login routes (``assistant serve``), so the page may rely on them."""
    return _served


@asynccontextmanager
async def lifespan(_app: object) -> AsyncIterator[None]:
    """``st.App``'s lifespan: the routes are served while the server runs."""
    global _served
    _served = True
    try:
        yield
    finally:
        _served = False


def url(path: str = "") -> str:
    """The absolute path of ``path`` on this server, under Streamlit's ``server.baseUrlPath`` if one is set."""
    parts = [
        p for p in (str(st.config.get_option("server.baseUrlPath") or "").strip("/"), path.strip("/")) if p
    ]
    return "/" + "/".join(parts)


def page_url() -> str:
    return url(PAGE)


def login_url() -> str:
    return url(f"{PAGE}/login")


def logout_url() -> str:
    return url(f"{PAGE}/logout")


def routes() -> list[Route]:
    """The two routes, at their paths under the base URL path (read when the app is built)."""
    return [Route(login_url(), log_in, methods=["POST"]), Route(logout_url(), log_out, methods=["POST"])]


def streamlit_secrets() -> Mapping[str, object]:
    """``.streamlit/secrets.toml`` (where the coach's password may be), or nothing if it is missing or broken."""
    try:
        return st.secrets.to_dict() if st.secrets.load_if_toml_exists() else {}
    except Exception:  # a broken secrets.toml must not open (or crash) the page
        return {}


def coach_password(settings: Settings) -> str | None:
    """The coach's password in force now: the setting, else Streamlit's secrets; None keeps the page closed."""
    return configured_password(settings, streamlit_secrets())


async def log_in(request: Request) -> Response:
    if not same_origin(request.headers):
        return _refused()
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        return PlainTextResponse("Length Required", status_code=411)
    if int(length) > MAX_FORM_BYTES:
        return PlainTextResponse("Payload Too Large", status_code=413)
    async with request.form(max_files=0, max_fields=4) as form:
        typed = form.get("password")
    client = client_address(request.client.host if request.client else None, request.headers)
    secure = request.url.scheme == "https"
    # Off the event loop: the settings, the secret file and the limiter's lock may block.
    return await run_in_threadpool(_check, typed if isinstance(typed, str) else "", client, secure)


def _check(typed: str, client: str, secure: bool) -> Response:
    from assistant.web import resources  # pydantic-settings: not before the server answers

    settings = resources.settings()
    expected = coach_password(settings)
    if expected is None:
        return _back()  # the page says how to open it
    wait = resources.login_limiter().attempt(client, time.monotonic())
    if wait > 0:
        log.warning("too many login attempts on the coach's page from one client")
        return _back({"login": "wacht", "seconden": str(max(1, math.ceil(wait)))})
    if not password_matches(typed, expected):
        log.info("a wrong password was tried on the coach's page")
        return _back({"login": "fout"})
    log.info("the coach logged in")
    response = _back()
    response.set_cookie(
        login_cookie.COOKIE_NAME,
        login_cookie.issue(login_cookie.server_secret(settings), expected),
        max_age=int(settings.login_hours * 3600),
        path=url(),
        secure=secure,
        httponly=True,
        samesite="strict",
    )
    return response


async def log_out(request: Request) -> Response:
    if not same_origin(request.headers):
        return _refused()
    log.info("the coach logged out")
    response = _back()
    response.delete_cookie(
        login_cookie.COOKIE_NAME,
        path=url(),
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


def _back(query: Mapping[str, str] | None = None) -> RedirectResponse:
    """To the coach's page (a GET, whatever the method was), which shows what happened; never cached."""
    target = page_url() + (f"?{urlencode(query)}" if query else "")
    return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})


def _refused() -> Response:
    log.warning("a login or logout request from another site was refused")
    return PlainTextResponse("Geweigerd: dit verzoek kwam niet van Kompas zelf.", status_code=403)
