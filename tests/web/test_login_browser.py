"""The coach's login cookie in a real browser, as ``assistant serve`` serves the app (with its login routes).

Logs in, reloads and is still logged in, while no page script can read the cookie; logs out, reloads and is logged
out. Wrong passwords through the route are limited per client. A form on another site can neither log in nor out.
Saves a screenshot of the login form after a wrong password as test-output/coach-login.png.
"""

from __future__ import annotations

import pytest

from assistant.web.login_cookie import COOKIE_NAME
from web.conftest import LOGIN_ATTEMPTS_PER_MINUTE, PASSWORD, WRONG_PASSWORD
from web.served import OUTPUT, needs_chromium, submit_login

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240), needs_chromium]


def login_cookies(context) -> list[dict]:
    return [c for c in context.cookies() if c["name"] == COOKIE_NAME]


def test_the_coach_stays_logged_in_across_a_reload_until_logging_out(coach_server, context):
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(f"{coach_server}/beheer")
    submit_login(page, PASSWORD)
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


def test_wrong_passwords_through_the_route_are_limited_per_client(coach_server, browser):
    from playwright.sync_api import expect

    # Its own client, as a reverse proxy on this machine names it: the other tests' attempts do not count.
    context = browser.new_context(locale="nl-NL", extra_http_headers={"X-Forwarded-For": "198.51.100.7"})
    try:
        page = context.new_page()
        page.goto(f"{coach_server}/beheer")
        for _ in range(LOGIN_ATTEMPTS_PER_MINUTE):
            submit_login(page, WRONG_PASSWORD)
            expect(page.get_by_text("Dat wachtwoord klopt niet.")).to_be_visible(timeout=60_000)
        page.screenshot(path=str(OUTPUT / "coach-login.png"))

        submit_login(page, PASSWORD)

        expect(page.get_by_text("Te veel pogingen")).to_be_visible(timeout=60_000)
        expect(page.get_by_role("tab", name="Toevoegen")).not_to_be_visible()
        assert not login_cookies(context)
    finally:
        context.close()


def test_a_form_on_another_site_can_neither_log_in_nor_out(coach_server, context):
    from playwright.sync_api import expect

    page = context.new_page()
    page.set_content(  # a page that is not Kompas's, posting the right password to its login route
        f'<form method="post" action="{coach_server}/beheer/login">'
        f'<input name="password" value="{PASSWORD}"><button>Verstuur</button></form>'
    )
    page.get_by_role("button", name="Verstuur").click()

    expect(page.get_by_text("Geweigerd")).to_be_visible(timeout=30_000)
    assert not login_cookies(context)
