"""The real app in a real browser: `streamlit run` on a loopback port, driven by Debian's Chromium.

One server and one browser for the module, a fresh page (a new session) per test. Asks a question and finds the
quote highlighted in the first card, clicks a ``[n]`` marker and finds its card open and in view, clicks a
suggested question, and checks the phone layout; screenshots go to test-output/ (not committed).
"""

from __future__ import annotations

import time

import pytest

from web.served import OUTPUT, needs_chromium

QUESTION = "Wat zijn de bouwstenen van vertrouwen?"
QUOTE = "Dat zijn de bouwstenen van vertrouwen: zichtbaarheid, eerlijkheid en nabijheid."
SEED_TITLE = "Vertrouwen: het kompas van verbindend leiderschap"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240), needs_chromium]


@pytest.fixture
def requests() -> list[str]:
    return []


@pytest.fixture
def page(context, server, requests):
    """A fresh page on the app (a new Streamlit session), wide screen; no request may leave the server."""
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    yield page
    context.close()  # before counting: the page sends nothing more
    foreign = [url for url in requests if not url.startswith(server) and not url.startswith("data:")]
    assert not foreign, f"the page fetched from elsewhere: {foreign}"


def ask(page, server: str, question: str) -> float:
    """Open the app, ask ``question``; return the seconds from Enter to the first answer text."""
    from playwright.sync_api import expect

    page.goto(server)
    chat_input = page.get_by_test_id("stChatInputTextArea")
    expect(chat_input).to_be_visible(timeout=60_000)
    chat_input.fill(question)
    asked = time.perf_counter()
    chat_input.press("Enter")
    answer = page.get_by_test_id("stChatMessage").nth(1).get_by_test_id("stMarkdownContainer").first
    expect(answer).not_to_be_empty(timeout=60_000)
    seconds = time.perf_counter() - asked
    print(f"\nfirst answer text in the browser {seconds:.2f} s after Enter (offline)")
    return seconds


def screenshot(page, name: str) -> None:
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(300)  # let a card finish opening
    page.screenshot(path=str(OUTPUT / name), full_page=True)


def test_question_in_the_browser_gets_an_answer_with_the_first_quote_highlighted(page, server):
    from playwright.sync_api import expect

    ask(page, server, QUESTION)  # the module's first question also waits for the engine to load

    answer = page.get_by_test_id("stChatMessage").filter(has_text="zichtbaarheid, eerlijkheid").last
    expect(answer).to_be_visible(timeout=60_000)
    mark = answer.locator("details.kompas-source").first.locator("mark").first
    expect(mark).to_be_visible(timeout=10_000)  # the first card is open without a click
    expect(mark).to_contain_text(QUOTE)
    expect(answer.locator("img")).to_have_count(0)
    screenshot(page, "chat.png")


def test_clicking_a_marker_opens_its_card_and_brings_it_into_view(page, server):
    from playwright.sync_api import expect

    ask(page, server, QUESTION)
    answer = page.get_by_test_id("stChatMessage").last
    links = answer.locator('a[href^="#source-"]')
    expect(links.first).to_be_visible(timeout=30_000)
    cards = answer.locator("details.kompas-source")
    # The last marker's card: closed unless it is the first; close the first, so a click must open it.
    link = links.last
    target = link.get_attribute("href")
    assert (link.get_attribute("title") or "").startswith(SEED_TITLE)  # hovering names post and section
    cards.first.locator("summary").click()
    card = answer.locator(f"details.kompas-source:has({target})")
    expect(card).not_to_have_attribute("open", "")
    page.mouse.wheel(0, -5000)

    link.click()

    expect(card).to_have_attribute("open", "", timeout=5_000)
    expect(card.locator(target)).to_be_in_viewport(timeout=5_000)
    expect(card.locator("mark").first).to_be_visible()
    screenshot(page, "citation-opened.png")


def test_clicking_a_suggested_question_asks_it(page, server):
    from playwright.sync_api import expect

    ask(page, server, QUESTION)
    suggestion = page.get_by_test_id("stChatMessage").last.locator(".stButton button").first
    expect(suggestion).to_be_visible(timeout=30_000)
    asked = suggestion.get_by_test_id("stMarkdownContainer").inner_text().strip()

    suggestion.click()

    messages = page.get_by_test_id("stChatMessage")
    expect(messages).to_have_count(4, timeout=60_000)
    expect(messages.nth(2)).to_contain_text(asked)
    expect(messages.nth(3).locator("details.kompas-source").first).to_be_visible(timeout=60_000)
    screenshot(page, "suggestion-asked.png")


def test_on_a_phone_the_sidebar_starts_closed_and_the_examples_are_on_the_page(browser, server):
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        page.goto(server)
        expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=60_000)
        example = page.get_by_role("main").get_by_role(
            "button", name="Wat zijn de bouwstenen van vertrouwen?"
        )
        expect(example).to_be_in_viewport(timeout=30_000)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_have_attribute("data-collapsed", "true")
        expect(sidebar.get_by_role("button", name="Nieuw gesprek")).not_to_be_in_viewport()
        screenshot(page, "phone-start.png")

        example.tap()

        expect(page.get_by_test_id("stChatMessage")).to_have_count(2, timeout=60_000)
        expect(page.locator("details.kompas-source mark").first).to_be_visible(timeout=60_000)
        screenshot(page, "phone-answer.png")
    finally:
        context.close()
