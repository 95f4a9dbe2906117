"""Two ``assistant serve`` processes on one data folder, as behind a reverse proxy: a post added on one server's
coach page is answered by the other, the coach's login holds on both, and the questions asked of either reach the
coach's page."""

from __future__ import annotations

import pytest

from web.conftest import PASSWORD
from web.served import needs_chromium, served, submit_login

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300), needs_chromium]

POLDER = """Op de fiets door de polder

Elke ochtend fiets ik door de polder naar school. Tussen de weilanden en de molens ordenen mijn gedachten zich.
Zo begin ik rustig aan de dag, en dat merkt mijn team.

Wat de molens me leren

Een molen draait alleen als er wind is. Ook een team heeft wind nodig om in beweging te komen.
Die wind maak je als schoolleider niet alleen, maar samen met je team.
"""
ON_THE_SECOND = "Waarom fiets je elke ochtend door de polder?"
ON_THE_FIRST = "Wat zijn de bouwstenen van vertrouwen?"


def ask(page, url: str, question: str) -> None:
    """A new leader on ``url`` asks ``question`` and waits for the answer's sources."""
    from playwright.sync_api import expect

    page.goto(url)
    chat_input = page.get_by_test_id("stChatInputTextArea")
    expect(chat_input).to_be_visible(timeout=60_000)
    chat_input.fill(question)
    chat_input.press("Enter")
    expect(page.get_by_test_id("stChatMessage").nth(1).locator("details.kompas-source").first).to_be_visible(
        timeout=90_000
    )


def test_two_servers_on_one_data_folder_share_the_posts_and_the_journal(browser, site_root):
    from playwright.sync_api import expect

    coach_env = {"ASSISTANT_ADMIN_PASSWORD": PASSWORD}
    with served(site_root, coach_env) as one, served(site_root, coach_env) as other:
        first, second = one.url, other.url
        coach = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
        coach.goto(f"{first}/beheer")
        submit_login(coach, PASSWORD)
        text = coach.get_by_label("Tekst", exact=True)
        expect(text).to_be_visible(timeout=90_000)
        text.fill(POLDER)
        text.press("Control+Enter")
        coach.get_by_role("button", name="Toevoegen").click()
        expect(coach.get_by_text("“Op de fiets door de polder” is toegevoegd.")).to_be_visible(timeout=90_000)

        leader = browser.new_page(locale="nl-NL")
        ask(leader, second, ON_THE_SECOND)  # the other server answers from the post added through the first
        answer = leader.get_by_test_id("stChatMessage").nth(1)
        expect(answer).to_contain_text("fiets ik door de polder")
        expect(answer.locator("details.kompas-source").first).to_contain_text("Op de fiets door de polder")
        ask(leader, first, ON_THE_FIRST)

        # The login cookie of the first server is good on the second: one login secret in the data folder.
        coach.goto(f"{second}/beheer")
        questions = coach.get_by_role("tab", name="Vragen")
        expect(questions).to_be_visible(timeout=60_000)
        questions.click()
        recent = coach.get_by_test_id("stTable")
        expect(recent.get_by_text(ON_THE_SECOND)).to_be_visible(timeout=60_000)  # asked of this server
        expect(recent.get_by_text(ON_THE_FIRST)).to_be_visible()  # asked of the other
