"""``assistant serve`` starts the app from any folder, hands it its flags, and stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import free_port

from web.steps import wait_for_health
from web.test_browser import CHROMIUM, browser  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


@contextmanager
def serving(site, tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """``assistant serve`` from an unrelated folder, its folders given as flags and no ASSISTANT_* variable set;
    yields its address and, once it has stopped (on SIGTERM), what it printed."""
    port = free_port()
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    command = [str(Path(sys.executable).parent / "assistant"), "serve", "--port", str(port)]
    command += ["--data-dir", str(site.data_dir), "--corpus-dir", str(site.corpus_dir)]
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    env |= {k: os.environ[k] for k in ("PYTHONPATH",) if k in os.environ}  # the code under test in a worktree
    process = subprocess.Popen(
        command, cwd=elsewhere, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    printed: list[str] = []
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url, process)
        yield url, printed
    finally:
        process.send_signal(signal.SIGTERM)
        printed.append(process.communicate(timeout=20)[0])
        assert process.returncode == 0, printed[0]


def test_assistant_serve_answers_health_and_the_page_then_stops_on_sigterm(site, tmp_path):
    with serving(site, tmp_path) as (url, printed), urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200

    assert f"Kompas is running at {url}" in printed[0]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_served_app_reads_the_folders_given_as_flags(site, tmp_path, browser):  # noqa: F811
    from playwright.sync_api import expect

    with serving(site, tmp_path) as (url, _printed):
        page = browser.new_page(locale="nl-NL")
        page.goto(url)
        expect(page.get_by_text("Wat Kompas kent: 2 blogs")).to_be_visible(timeout=90_000)
        page.close()
