"""The login and logout routes over HTTP (Starlette's test client, the routes as ``assistant serve`` mounts them):
the cookie they set, the per-client limit, and what they refuse."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest
import streamlit as st
from starlette.applications import Starlette
from starlette.testclient import TestClient

from assistant.config import Settings
from assistant.web import login_routes
from assistant.web.login_cookie import COOKIE_NAME, server_secret, verify
from web.conftest import PASSWORD

SAME_SITE = {"Sec-Fetch-Site": "same-origin"}  # what a browser adds to a form posted from Kompas's own page


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Iterator[Settings]:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("ASSISTANT_LOGIN_ATTEMPTS_PER_MINUTE", "3")
    st.cache_resource.clear()  # the settings and the login limiter are made afresh from this environment
    yield Settings()
    st.cache_resource.clear()


@pytest.fixture
def client(settings) -> Iterator[TestClient]:
    # From this machine, as a local user or a reverse proxy on it connects.
    app = Starlette(routes=login_routes.routes())
    with TestClient(app, follow_redirects=False, client=("127.0.0.1", 50000)) as client:
        yield client


def log_in(client: TestClient, password: str, headers: dict[str, str] = SAME_SITE, **kwargs):
    return client.post("/beheer/login", data={"password": password}, headers=headers, **kwargs)


def cookie(response) -> SimpleCookie:
    jar = SimpleCookie()
    jar.load(response.headers.get("set-cookie", ""))
    return jar


def test_the_right_password_sets_a_signed_httponly_strict_cookie_and_returns_to_the_page(client, settings):
    response = log_in(client, PASSWORD)

    assert response.status_code == 303
    assert response.headers["location"] == "/beheer"
    assert response.headers["cache-control"] == "no-store"
    morsel = cookie(response)[COOKIE_NAME]
    assert morsel["httponly"] and morsel["samesite"].lower() == "strict"
    assert morsel["path"] == "/"
    assert morsel["max-age"] == str(12 * 3600)
    assert not morsel["secure"]  # plain http: a Secure cookie would never come back
    assert verify(morsel.value, server_secret(settings), PASSWORD, 12 * 3600)


def test_over_https_the_cookie_is_secure(settings):
    with TestClient(Starlette(routes=login_routes.routes()), base_url="https://kompas.example") as client:
        response = log_in(client, PASSWORD, follow_redirects=False)

    assert cookie(response)[COOKIE_NAME]["secure"]


def test_the_lifetime_follows_the_setting(client, monkeypatch):
    monkeypatch.setenv("ASSISTANT_LOGIN_HOURS", "1.5")
    st.cache_resource.clear()

    assert cookie(log_in(client, PASSWORD))[COOKIE_NAME]["max-age"] == "5400"


def test_a_wrong_password_sets_no_cookie_and_the_page_says_so(client):
    response = log_in(client, "stuurman")

    assert response.status_code == 303
    assert response.headers["location"] == "/beheer?login=fout"
    assert "set-cookie" not in response.headers


def test_wrong_passwords_are_limited_per_client_and_then_even_the_right_one_waits(client):
    for wrong in ("stuurman", "bootsman", "matroos"):
        assert log_in(client, wrong).headers["location"].endswith("login=fout")

    response = log_in(client, PASSWORD)

    assert response.headers["location"].startswith("/beheer?login=wacht&seconden=")
    assert 1 <= int(response.headers["location"].rsplit("=", 1)[1]) <= 60
    assert "set-cookie" not in response.headers
    another_client = {**SAME_SITE, "X-Forwarded-For": "198.51.100.7"}  # behind a proxy on this machine
    assert COOKIE_NAME in cookie(log_in(client, PASSWORD, headers=another_client))


def test_a_form_posted_from_another_site_is_refused(client):
    for headers in (
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another origin too
        {"Origin": "https://elders.example"},
        {"Origin": "null"},
    ):
        response = log_in(client, PASSWORD, headers=headers)
        assert response.status_code == 403, headers
        assert "set-cookie" not in response.headers
    assert client.post("/beheer/logout", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403


def test_a_form_from_this_site_by_its_origin_is_accepted(client):
    response = log_in(client, PASSWORD, headers={"Origin": "http://testserver"})

    assert COOKIE_NAME in cookie(response)


def test_logging_out_clears_the_cookie(client):
    log_in(client, PASSWORD)

    response = client.post("/beheer/logout", headers=SAME_SITE)

    assert response.status_code == 303
    assert response.headers["location"] == "/beheer"
    morsel = cookie(response)[COOKIE_NAME]
    assert morsel.value == "" and morsel["max-age"] == "0"
    assert morsel["httponly"] and morsel["samesite"].lower() == "strict"


def test_the_routes_take_only_posts(client):
    assert client.get("/beheer/login", params={"password": PASSWORD}).status_code == 405
    assert client.get("/beheer/logout").status_code == 405


def test_an_oversized_form_is_refused_before_it_is_read(client):
    response = log_in(client, "x" * 10_000)

    assert response.status_code == 413
    assert "set-cookie" not in response.headers


def test_the_password_appears_in_no_address_and_no_log(client, caplog):
    with caplog.at_level(logging.DEBUG):
        responses = [
            log_in(client, PASSWORD),
            log_in(client, "stuurman-geheim"),
            log_in(client, "stuurman-geheim"),
        ]
        responses.append(log_in(client, "stuurman-geheim"))  # the limit's answer

    for response in responses:
        assert PASSWORD not in response.headers.get("location", "")
        assert "stuurman" not in response.headers.get("location", "")
    assert PASSWORD not in caplog.text and "stuurman" not in caplog.text
    assert "a wrong password was tried" in caplog.text


def test_with_no_password_configured_nobody_logs_in(client, monkeypatch):
    monkeypatch.delenv("ASSISTANT_ADMIN_PASSWORD")
    st.cache_resource.clear()

    response = log_in(client, "")

    assert response.headers["location"] == "/beheer"
    assert "set-cookie" not in response.headers


def test_behind_a_base_url_path_the_routes_page_and_cookie_live_under_it(settings):
    st.config.set_option("server.baseUrlPath", "kompas")
    try:
        with TestClient(Starlette(routes=login_routes.routes()), follow_redirects=False) as client:
            response = client.post("/kompas/beheer/login", data={"password": PASSWORD}, headers=SAME_SITE)
    finally:
        st.config.set_option("server.baseUrlPath", "")

    assert response.headers["location"] == "/kompas/beheer"
    assert cookie(response)[COOKIE_NAME]["path"] == "/kompas"
