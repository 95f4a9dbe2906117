"""How long people wait for a process to start: the command line, the web server, and what they compare with.

Each figure is the median wall time of a few runs of a real process, from launch until it has answered: a
command until it exits, a server until ``/_stcore/health`` answers 200. The references are a bare Python start
(``python -c pass``) and plain ``streamlit run`` of a one-line app, so the figures read as ratios on any machine.

    reference = reference_starts()               # {"python_s": 0.02, "streamlit_healthy_s": 1.9}
    ours = cli_and_serve_starts(environment)     # {"cli_help_s": ..., "cli_list_s": ..., "serve_healthy_s": ...}
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

RUNS = 3
SERVER_TIMEOUT_S = 120.0


def reference_starts(runs: int = RUNS) -> dict[str, float]:
    """A bare Python start and plain ``streamlit run`` becoming healthy: what our starts are compared with."""
    with tempfile.TemporaryDirectory(prefix="kompas-bench-streamlit-") as folder:
        app = Path(folder) / "app.py"
        app.write_text('import streamlit as st\n\nst.write("Hallo")\n', encoding="utf-8")
        plain = [sys.executable, "-m", "streamlit", "run", str(app), *_streamlit_flags()]
        return {
            "python_s": _median(lambda: _command_seconds([sys.executable, "-c", "pass"]), runs),
            "streamlit_healthy_s": _median(lambda: _server_seconds(plain, os.environ.copy()), runs),
        }


def cli_and_serve_starts(environment: dict[str, str], runs: int = RUNS) -> dict[str, float]:
    """Our command line and web server, started on the index that ``environment`` (ASSISTANT_*) points to."""
    assistant = _assistant_command()
    serve = [*assistant, "serve", "--port", "{port}"]
    return {
        "cli_help_s": _median(lambda: _command_seconds([*assistant, "--help"], environment), runs),
        "cli_command_help_s": _median(
            lambda: _command_seconds([*assistant, "ask", "--help"], environment), runs
        ),
        "cli_list_s": _median(lambda: _command_seconds([*assistant, "list"], environment), runs),
        "serve_healthy_s": _median(lambda: _server_seconds(serve, environment), runs),
    }


def _assistant_command() -> list[str]:
    """The installed ``assistant`` script next to this Python (as a user runs it), else the module."""
    script = Path(sys.executable).with_name("assistant")
    if script.exists():
        return [str(script)]
    found = shutil.which("assistant")
    return [found] if found else [sys.executable, "-m", "assistant.cli"]


def _streamlit_flags() -> list[str]:
    return ["--server.port", "{port}", "--server.headless", "true", "--browser.gatherUsageStats", "false"]


def _command_seconds(command: Sequence[str], environment: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()[-300:]}")
    return seconds


def _server_seconds(command: Sequence[str], environment: dict[str, str]) -> float:
    """Launch a server on a free port and time it until its health check answers 200; then stop it."""
    port = _free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    url = f"http://127.0.0.1:{port}/_stcore/health"
    started = time.perf_counter()
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while time.perf_counter() - started < SERVER_TIMEOUT_S:
            if process.poll() is not None:
                raise RuntimeError(f"{' '.join(command)} exited: {process.stderr.read().decode()[-300:]}")
            if _healthy(url):
                return time.perf_counter() - started
            time.sleep(0.02)
        raise RuntimeError(f"{' '.join(command)} was not healthy within {SERVER_TIMEOUT_S:.0f} s")
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen, grace_s: float = 10) -> None:
    """Ask a server to stop (SIGTERM); kill it if it has not stopped within ``grace_s``."""
    process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# No proxy: a proxy set in the environment must not stand between us and a server on this machine.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _healthy(url: str) -> bool:
    try:
        with _DIRECT.open(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _median(measure, runs: int) -> float:
    return round(statistics.median(measure() for _ in range(max(1, runs))), 3)
