"""The coach's page in a real browser: log in, paste text with headings, see its parts in the preview.

Saves a screenshot as test-output/coach-paste.png.
"""

from __future__ import annotations

import pytest

from web.conftest import PASSWORD
from web.test_browser import CHROMIUM, OUTPUT, server  # noqa: F401 (the fixture)

PASTED = """Op de fiets door de polder

Elke ochtend fiets ik door de polder naar school. De weilanden ordenen mijn gedachten.
Zo begin ik rustig aan de dag.

Wat de molens me leren

Een molen draait alleen als er wind is. Ook een team heeft wind nodig om in beweging te komen.
Die wind maak je als schoolleider niet alleen.
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(240),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
]


def test_pasted_text_with_headings_shows_its_parts_in_the_preview(server):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    OUTPUT.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
            page.goto(f"{server}/beheer")
            password = page.get_by_label("Wachtwoord")
            expect(password).to_be_visible(timeout=60_000)
            password.fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()

            text = page.get_by_label("Tekst", exact=True)
            expect(text).to_be_visible(timeout=60_000)
            text.fill(PASTED)
            text.press("Control+Enter")  # a text area sends its value on Ctrl+Enter (or when it loses focus)

            expect(page.get_by_text("Kompas vond 2 delen")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Wat de molens me leren: 2 alinea’s")).to_be_visible()
            expect(page.get_by_text("gelezen als gewone tekst")).to_be_visible()
            page.evaluate("document.fonts.ready")
            page.screenshot(path=str(OUTPUT / "coach-paste.png"), full_page=True)
        finally:
            browser.close()
