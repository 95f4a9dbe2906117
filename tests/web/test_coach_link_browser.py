"""The coach's page in a real browser, as ``assistant serve`` serves it: log in, give a post's link, see the
preview, add it; reload, and the coach is still logged in and the post is listed.

The blog is a local server on loopback (the app runs with ASSISTANT_ALLOW_PRIVATE_URLS=true to reach it).
Saves a screenshot as test-output/coach-link.png.
"""

from __future__ import annotations

import pytest

from assistant.evaluation.blog_site import BlogSite
from web.conftest import PASSWORD
from web.served import OUTPUT, needs_chromium, submit_login
from web.test_coach_blog import MOLENS

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240), needs_chromium]


def test_a_post_added_by_its_link_is_listed_after_a_reload_still_logged_in(coach_server, context):
    from playwright.sync_api import expect

    with BlogSite([MOLENS]) as blog:
        page = context.new_page()
        page.goto(f"{coach_server}/beheer")
        submit_login(page, PASSWORD)

        link = page.get_by_label("Adres van de blog", exact=True).first  # the link field comes first
        expect(link).to_be_visible(timeout=90_000)
        link.fill(blog.url("/blog/molens/"))
        page.get_by_role("button", name="Ophalen").click()

        expect(page.get_by_text("Kompas vond 1 deel")).to_be_visible(timeout=30_000)
        expect(page.get_by_text(MOLENS.title).first).to_be_visible()
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(OUTPUT / "coach-link.png"), full_page=True)
        page.get_by_role("button", name="Toevoegen").first.click()
        expect(page.get_by_text(f"“{MOLENS.title}” is toegevoegd.")).to_be_visible(timeout=90_000)
        assert ("GET", "/blog/molens/", 200) in blog.requests

    page.reload()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible(timeout=60_000)
    expect(page.get_by_label("Wachtwoord")).not_to_be_visible()
    page.get_by_role("tab", name="Blogs").click()
    expect(page.get_by_text(MOLENS.title).first).to_be_visible(timeout=30_000)
