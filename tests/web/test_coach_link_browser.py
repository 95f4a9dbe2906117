"""The coach's page in a real browser: log in, give a post's link, see the preview, add it.

The blog is a local server on loopback (the app is started with ASSISTANT_ALLOW_PRIVATE_URLS=true to reach it).
Saves a screenshot as test-output/coach-link.png.
"""

from __future__ import annotations

import pytest

from assistant.evaluation.blog_site import BlogSite
from web.conftest import PASSWORD
from web.test_browser import CHROMIUM, OUTPUT, server  # noqa: F401 (the fixture)
from web.test_coach_blog import MOLENS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(240),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
]


def test_a_post_is_added_by_its_link_on_the_coachs_page(server):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    OUTPUT.mkdir(exist_ok=True)
    with BlogSite([MOLENS]) as blog, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
            page.goto(f"{server}/beheer")
            password = page.get_by_label("Wachtwoord")
            expect(password).to_be_visible(timeout=60_000)
            password.fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()

            link = page.get_by_label("Adres van de blog", exact=True).first
            expect(link).to_be_visible(timeout=60_000)
            link.fill(blog.url("/blog/molens/"))
            page.get_by_role("button", name="Ophalen").click()

            expect(page.get_by_text("Kompas vond 1 deel")).to_be_visible(timeout=30_000)
            expect(page.get_by_text(MOLENS.title).first).to_be_visible()
            page.evaluate("document.fonts.ready")
            page.screenshot(path=str(OUTPUT / "coach-link.png"), full_page=True)
            page.get_by_role("button", name="Toevoegen").first.click()
            expect(page.get_by_text(f"“{MOLENS.title}” is toegevoegd.")).to_be_visible(timeout=90_000)
        finally:
            browser.close()
    assert ("GET", "/blog/molens/", 200) in blog.requests
