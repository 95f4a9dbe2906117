"""``assistant serve`` starts the app from any folder, hands it its flags, and stops cleanly."""

from __future__ import annotations

import signal
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from web.served import Server, needs_chromium, served

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


@contextmanager
def serving(root: Path) -> Iterator[Server]:
    """``assistant serve`` from an unrelated folder, its folders given as flags and no ASSISTANT_* variable set;
    it must stop on SIGTERM with exit code 0."""
    elsewhere = root / "elders"
    elsewhere.mkdir()
    with served(root, cwd=elsewhere) as server:
        yield server
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=20) == 0, server.printed()


def test_assistant_serve_answers_health_and_the_page_then_stops_on_sigterm(site_root):
    with serving(site_root) as server, urllib.request.urlopen(server.url, timeout=10) as response:
        assert response.status == 200

    assert f"Kompas is running at {server.url}" in server.printed()


@needs_chromium
def test_the_served_app_reads_the_folders_given_as_flags(site_root, browser):
    from playwright.sync_api import expect

    with serving(site_root) as server:
        page = browser.new_page(locale="nl-NL")
        page.goto(server.url)
        expect(page.get_by_text("Wat Kompas kent: 2 blogs")).to_be_visible(timeout=90_000)
        page.close()
