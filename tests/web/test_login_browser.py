"""The coach's login cookie in a real browser, as ``assistant serve`` serves the app (with its login routes).

Logs in, reloads and is still logged in, while no page script can read the cookie; logs out, reloads and is logged
out. Wrong passwords through the route are limited per client. A form on another site can neither log in nor out.
Saves a screenshot of the login form after a wrong password as test-output/coach-login.png.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import free_port

from assistant.evaluation.bench_startup import stop_process
from assistant.web.login_cookie import COOKIE_NAME
from web.conftest import PASSWORD
from web.steps import wait_for_health
from web.test_browser import CHROMIUM, OUTPUT, browser  # noqa: F401 (the fixture)

ATTEMPTS_PER_MINUTE = 4

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(240),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
]


@pytest.fixture(scope="module")
def served(indexed_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``assistant serve`` over a copy of the indexed posts, with a coach's password, for the whole module."""
    root = tmp_path_factory.mktemp("login-site")
    shutil.copytree(indexed_template / "corpus", root / "corpus")
    shutil.copytree(indexed_template / "data", root / "data")
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "OMP_WAIT_POLICY": "PASSIVE",
        "ASSISTANT_ADMIN_PASSWORD": PASSWORD,
        "ASSISTANT_LOGIN_ATTEMPTS_PER_MINUTE": str(ATTEMPTS_PER_MINUTE),
        "ASSISTANT_ALLOW_PRIVATE_URLS": "true",  # the coach's page may fetch posts from the tests' blog on loopback
    }
    env |= {k: os.environ[k] for k in ("PYTHONPATH",) if k in os.environ}  # the code under test in a worktree
    command = [str(Path(sys.executable).parent / "assistant"), "serve", "--port", str(port)]
    command += ["--data-dir", str(root / "data"), "--corpus-dir", str(root / "corpus")]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process)
        yield url
    finally:
        stop_process(process)
        printed = process.stdout.read()
        process.stdout.close()
        assert PASSWORD not in printed and "stuurman" not in printed


@pytest.fixture
def context(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    yield context
    context.close()


def submit(page, password: str) -> None:
    from playwright.sync_api import expect

    field = page.get_by_label("Wachtwoord")
    expect(field).to_be_visible(timeout=60_000)
    field.fill(password)
    with page.expect_navigation():  # the form posts to the route, which sends the browser back to the page
        page.get_by_role("button", name="Inloggen").click()


def login_cookies(context) -> list[dict]:
    return [c for c in context.cookies() if c["name"] == COOKIE_NAME]


def test_the_coach_stays_logged_in_across_a_reload_until_logging_out(served, context):
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(f"{served}/beheer")
    submit(page, PASSWORD)
    expect(page.get_by_role("tab", name="Toevoegen")).to_be_visible(timeout=90_000)

    page.reload()
    expect(page.get_by_role("tab", name="Toevoegen")).to_be_visible(timeout=60_000)
    [cookie] = login_cookies(context)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert COOKIE_NAME not in page.evaluate("document.cookie")  # no page script can read it

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_label("Wachtwoord")).to_be_visible(timeout=60_000)
    assert not login_cookies(context)
    page.reload()
    expect(page.get_by_label("Wachtwoord")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("tab", name="Toevoegen")).not_to_be_visible()


def test_wrong_passwords_through_the_route_are_limited_per_client(served, browser):  # noqa: F811
    from playwright.sync_api import expect

    # Its own client, as a reverse proxy on this machine names it: the other tests' attempts do not count.
    context = browser.new_context(locale="nl-NL", extra_http_headers={"X-Forwarded-For": "198.51.100.7"})
    try:
        page = context.new_page()
        page.goto(f"{served}/beheer")
        for _ in range(ATTEMPTS_PER_MINUTE):
            submit(page, "stuurman")
            expect(page.get_by_text("Dat wachtwoord klopt niet.")).to_be_visible(timeout=60_000)
        page.screenshot(path=str(OUTPUT / "coach-login.png"))

        submit(page, PASSWORD)

        expect(page.get_by_text("Te veel pogingen")).to_be_visible(timeout=60_000)
        expect(page.get_by_role("tab", name="Toevoegen")).not_to_be_visible()
        assert not login_cookies(context)
    finally:
        context.close()


def test_a_form_on_another_site_can_neither_log_in_nor_out(served, context):
    from playwright.sync_api import expect

    page = context.new_page()
    page.set_content(  # a page that is not Kompas's, posting the right password to its login route
        f'<form method="post" action="{served}/beheer/login">'
        f'<input name="password" value="{PASSWORD}"><button>Verstuur</button></form>'
    )
    page.get_by_role("button", name="Verstuur").click()

    expect(page.get_by_text("Geweigerd")).to_be_visible(timeout=30_000)
    assert not login_cookies(context)
