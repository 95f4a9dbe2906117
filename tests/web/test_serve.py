"""``assistant serve`` starts the app from any folder and stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port

from web.steps import wait_for_health

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def test_assistant_serve_answers_health_and_the_page_then_stops_on_sigterm(site, tmp_path):
    port = free_port()
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    command = [str(Path(sys.executable).parent / "assistant"), "serve", "--port", str(port)]
    command += ["--data-dir", str(site.data_dir), "--corpus-dir", str(site.corpus_dir)]
    process = subprocess.Popen(
        command,
        cwd=elsewhere,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url, process)
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=20)[0]
    assert process.returncode == 0, output
    assert f"Kompas is running at http://127.0.0.1:{port}" in output
