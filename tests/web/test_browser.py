"""The real app in a real browser: `streamlit run` on a loopback port, driven by Debian's Chromium.

Asks a question, opens a source card, finds the quote highlighted, and saves a screenshot under test-output/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import free_port

from assistant.config import Settings
from web.steps import APP, wait_for_health

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
QUESTION = "Wat zijn de bouwstenen van vertrouwen?"
QUOTE = "Dat zijn de bouwstenen van vertrouwen: zichtbaarheid, eerlijkheid en nabijheid."

pytestmark = [
    pytest.mark.timeout(240),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
]


@pytest.fixture
def server(site: Settings) -> Iterator[str]:
    """``streamlit run`` of the app over this test's indexed copy; stopped afterwards."""
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "OMP_WAIT_POLICY": "PASSIVE",
        "ASSISTANT_DATA_DIR": str(site.data_dir),
        "ASSISTANT_CORPUS_DIR": str(site.corpus_dir),
    }
    # The code under test (a worktree on PYTHONPATH) and a coach's password a test has set.
    env |= {k: os.environ[k] for k in ("PYTHONPATH", "ASSISTANT_ADMIN_PASSWORD") if k in os.environ}
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    command += ["--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        seconds = wait_for_health(url, process)
        print(f"\nstreamlit served /_stcore/health after {seconds:.2f} s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def test_question_in_the_browser_gets_an_answer_with_a_highlighted_quote(server):
    from playwright.sync_api import expect, sync_playwright

    OUTPUT.mkdir(exist_ok=True)
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            page.on("request", lambda request: requests.append(request.url))
            page.goto(server)
            chat_input = page.get_by_test_id("stChatInputTextArea")
            expect(chat_input).to_be_visible(timeout=60_000)

            chat_input.fill(QUESTION)
            asked = time.perf_counter()
            chat_input.press("Enter")
            answer = page.get_by_test_id("stChatMessage").filter(has_text="zichtbaarheid, eerlijkheid").last
            expect(answer).to_be_visible(timeout=60_000)
            print(f"first answer text in the browser after {time.perf_counter() - asked:.2f} s")

            card = answer.get_by_test_id("stExpander").first
            expect(card).to_contain_text("[1]")
            card.locator("summary").click()
            mark = card.locator("mark").first
            expect(mark).to_be_visible(timeout=10_000)
            expect(mark).to_contain_text(QUOTE)
            expect(answer.locator("img")).to_have_count(0)

            page.evaluate("document.fonts.ready")
            page.wait_for_timeout(300)  # let the expander finish opening
            page.screenshot(path=str(OUTPUT / "chat.png"), full_page=True)
        finally:
            browser.close()

    foreign = [url for url in requests if not url.startswith(server) and not url.startswith("data:")]
    assert not foreign, f"the page fetched from elsewhere: {foreign}"
