"""The app served for real, for the tests in a browser: a copy of the indexed posts, ``assistant serve`` (or plain
``streamlit run``) on a free loopback port, stopped whatever happens; and logging in through the coach's form.
The browser itself is a fixture of ``web/conftest.py``.

    with served(copy_site(indexed_template, tmp_path), {"ASSISTANT_ADMIN_PASSWORD": PASSWORD}) as server:
        page.goto(f"{server.url}/beheer")
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, free_port

from assistant.evaluation.bench_startup import stop_process
from assistant.web.server import streamlit_flags
from web.steps import APP

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = ROOT / "test-output"  # screenshots (not committed)
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
)


def copy_site(template: Path, root: Path) -> Path:
    """The indexed template's ``corpus`` and ``data`` folders copied into ``root``; returns ``root``."""
    shutil.copytree(template / "corpus", root / "corpus")
    shutil.copytree(template / "data", root / "data")
    return root


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    seconds_to_health: float

    def printed(self) -> str:
        """What the server has printed so far (stdout and stderr)."""
        return self.log.read_text(encoding="utf-8")


@contextmanager
def served(
    root: Path, env: Mapping[str, str] | None = None, *, streamlit_run: bool = False, cwd: Path | None = None
) -> Iterator[Server]:
    """``assistant serve`` over the ``corpus`` and ``data`` folders in ``root`` (given as flags), on a free
    loopback port, from ``cwd``, until the block ends. ``env`` adds settings (``ASSISTANT_*``) to a bare
    environment. With ``streamlit_run`` it is plain ``streamlit run`` of the app instead, its folders given as
    ``ASSISTANT_*`` variables (and no login routes). What the server prints goes to ``root/serve-<port>.log``."""
    port = free_port()
    bare = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "OMP_WAIT_POLICY": "PASSIVE"}
    # The code under test when it is a worktree on PYTHONPATH.
    bare |= {k: os.environ[k] for k in ("PYTHONPATH",) if k in os.environ}
    if streamlit_run:
        command = [sys.executable, "-m", "streamlit", "run", str(APP), *streamlit_flags("127.0.0.1", port)]
        bare |= {"ASSISTANT_DATA_DIR": str(root / "data"), "ASSISTANT_CORPUS_DIR": str(root / "corpus")}
    else:
        command = [str(Path(sys.executable).parent / "assistant"), "serve", "--port", str(port)]
        command += ["--data-dir", str(root / "data"), "--corpus-dir", str(root / "corpus")]
    url = f"http://127.0.0.1:{port}"
    log = root / f"serve-{port}.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env=bare | dict(env or {}), stdout=output, stderr=subprocess.STDOUT
        )
        try:
            seconds = wait_for_health(url, process, log)
            yield Server(url, process, log, seconds)
        finally:
            stop_process(process)


def wait_for_health(url: str, server: subprocess.Popen, log: Path, timeout_s: float = 60) -> float:
    """Poll ``/_stcore/health`` until it answers ok; return the seconds it took."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        if server.poll() is not None:
            raise AssertionError(f"the server exited early:\n{log.read_text(encoding='utf-8')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"no health answer from {url} within {timeout_s} s")


def submit_login(page, password: str, *, through_route: bool = True) -> None:
    """Log in with the coach's page's form. Under ``assistant serve`` the form posts to the login route, which
    sends the browser back to the page: that is waited for. Under plain ``streamlit run`` (``through_route=False``)
    the form is Streamlit's own."""
    from playwright.sync_api import expect

    field = page.get_by_label("Wachtwoord")
    expect(field).to_be_visible(timeout=60_000)
    field.fill(password)
    button = page.get_by_role("button", name="Inloggen")
    if through_route:
        with page.expect_navigation():
            button.click()
    else:
        button.click()
