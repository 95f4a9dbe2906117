"""The coach's page in a real browser: log in, paste text with headings, see its parts in the preview.

Saves a screenshot as test-output/coach-paste.png.
"""

from __future__ import annotations

import pytest

from web.conftest import PASSWORD, PLAIN_WITH_HEADINGS
from web.served import OUTPUT, needs_chromium, submit_login

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240), needs_chromium]


def test_pasted_text_with_headings_shows_its_parts_in_the_preview(browser, server):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page.goto(f"{server}/beheer")
    submit_login(page, PASSWORD, through_route=False)  # plain `streamlit run`

    text = page.get_by_label("Tekst", exact=True)
    expect(text).to_be_visible(timeout=60_000)
    text.fill(PLAIN_WITH_HEADINGS)
    text.press("Control+Enter")  # a text area sends its value on Ctrl+Enter (or when it loses focus)

    expect(page.get_by_text("Kompas vond 2 delen")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Wat de molens me leren: 2 alinea’s")).to_be_visible()
    expect(page.get_by_text("gelezen als gewone tekst")).to_be_visible()
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(OUTPUT / "coach-paste.png"), full_page=True)
