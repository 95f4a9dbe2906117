"""While Kompas is busy, in a real browser: the page shows at once while Kompas loads and updates itself when the
loading ends; a question typed meanwhile shows and waits; a question typed while the previous answer is still
being written is kept, and answered after it, with it as history.

Each test serves the app with ``assistant serve`` over its own copy of the indexed posts.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from openai_server import OpenAIServer

from web.served import needs_chromium, served

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240), needs_chromium]

LOADING = "Kompas wordt geladen…"
UNAVAILABLE = "De kennisbank is even niet bereikbaar. Probeer het zo nog eens."
FIRST = "Wat zijn de bouwstenen van vertrouwen?"
FOLLOW_UP = "En hoe laat ik die zien?"
# Long enough to take seconds at the pace it is streamed, each sentence from the seed post's passage.
FIRST_ANSWER = (
    "Vertrouwen groeit met zichtbaarheid, eerlijkheid en nabijheid [1]. Mensen gaan je pas vertrouwen als ze "
    "merken dat je niet alleen leidinggevende bent op papier, maar ook in hoe je je opstelt [1]. Dat zie je in "
    "hoe je omgaat met moeilijke situaties, en of je doet wat je zegt [1]."
)
SECOND_ANSWER = "Laat ze zien door te doen wat je zegt, en te zeggen wat je doet [1]."


@pytest.fixture
def silent_chroma() -> Iterator[socket.socket]:
    """A port that takes connections and never answers (a Chroma server that hangs), until it is closed."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener
    listener.close()


def test_the_page_shows_while_kompas_loads_and_updates_itself_when_the_loading_ends(
    page, site_root, silent_chroma
):
    from playwright.sync_api import expect

    chroma = {
        "ASSISTANT_CHROMA_HOST": "127.0.0.1",
        "ASSISTANT_CHROMA_PORT": str(silent_chroma.getsockname()[1]),
    }
    with served(site_root, chroma) as server:
        page.goto(server.url)
        chat_input = page.get_by_test_id("stChatInputTextArea")
        expect(chat_input).to_be_visible(timeout=30_000)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_text(LOADING)).to_be_visible()
        chat_input.fill(FIRST)
        chat_input.press("Enter")
        messages = page.get_by_test_id("stChatMessage")
        expect(messages.first).to_contain_text(FIRST, timeout=30_000)
        expect(messages.nth(1)).to_contain_text(LOADING)  # the question waits, and says why

        silent_chroma.close()  # loading ends (the index cannot be reached): the page changes by itself

        expect(sidebar.get_by_text(UNAVAILABLE)).to_be_visible(timeout=60_000)
        expect(messages.nth(1)).to_contain_text(UNAVAILABLE, timeout=60_000)
        expect(sidebar.get_by_text(LOADING)).to_have_count(0)


def llm_reply(messages: list[dict]) -> str:
    """The answer to each question (asked last in the request); a rewrite of the follow-up or suggestions when
    asked for those (the requests without sources)."""
    request = messages[-1]["content"]
    if "<bron" not in request:
        return "Hoe laat ik zichtbaarheid, eerlijkheid en nabijheid zien?"
    return FIRST_ANSWER if request.rstrip().endswith(f"Vraag: {FIRST}") else SECOND_ANSWER


def test_a_question_typed_while_the_answer_before_is_still_written_is_kept_and_answered_after_it(
    page, site_root
):
    from playwright.sync_api import expect

    with OpenAIServer() as llm:
        llm.script(reply=llm_reply, word_delay_s=0.15)  # the first answer takes some 6 s to write
        settings = {
            "ASSISTANT_OPENAI_BASE_URL": llm.base_url,
            "ASSISTANT_OPENAI_API_KEY": "test-key",
            "ASSISTANT_LLM_MODEL": "test-model",
        }
        with served(site_root, settings) as server:
            page.goto(server.url)
            chat_input = page.get_by_test_id("stChatInputTextArea")
            expect(chat_input).to_be_visible(timeout=30_000)
            chat_input.fill(FIRST)
            chat_input.press("Enter")
            messages = page.get_by_test_id("stChatMessage")
            expect(messages.nth(1)).to_contain_text("zichtbaarheid", timeout=120_000)  # being written

            chat_input.fill(FOLLOW_UP)
            chat_input.press("Enter")

            expect(messages).to_have_count(4, timeout=60_000)
            expect(messages.nth(0)).to_contain_text(FIRST)
            expect(messages.nth(1)).to_contain_text("doet wat je zegt", timeout=60_000)  # written to the end
            expect(messages.nth(2)).to_contain_text(FOLLOW_UP)
            expect(messages.nth(3)).to_contain_text("te zeggen wat je doet", timeout=60_000)
            expect(messages.nth(1).locator("details.kompas-source").first).to_be_visible()
            page.wait_for_timeout(1_000)  # nothing vanishes once the page has settled
            expect(messages).to_have_count(4)
            rewrite = next(r for r in llm.requests if r.user_message.endswith(f"Laatste vraag: {FOLLOW_UP}"))
            assert (
                f"Vraag: {FIRST}\nAntwoord: {FIRST_ANSWER[:40]}" in rewrite.user_message
            )  # with its history
