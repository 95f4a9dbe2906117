"""Serve the web app from this process, as ``streamlit run`` would, with the settings Kompas always wants.

``assistant serve`` hands its command-line flags to the app here, in this process, instead of through environment
variables; the app builds its ``Settings`` from them over ``ASSISTANT_*`` variables and ``.env``, as the CLI
does. Under plain ``streamlit run assistant/web/app.py`` (and in the tests) there are none.

The ``Settings`` are built by the app, not here, because pydantic-settings takes a noticeable part of a second
to import: before the server answers is the worst moment to pay for it.

    run("127.0.0.1", 8501, {"data_dir": Path("/srv/kompas")})   # blocks until Ctrl-C
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

# app.py with the coach's login routes beside it (see asgi.py); plain app.py would serve no login cookie.
APP = Path(__file__).with_name("asgi.py")

_served_flags: Mapping[str, object] = MappingProxyType({})


def served_flags() -> Mapping[str, object]:
    """The settings ``run`` was given on the command line (none under plain ``streamlit run``)."""
    return _served_flags


def streamlit_flags(address: str, port: int) -> list[str]:
    """Headless on one address, no usage statistics sent anywhere, no Deploy button (from any folder).

    No file watcher: a served app's code does not change under it, and a watched module that changed would be
    imported afresh, without the settings handed to it here. No "magic": the pages write only what they call
    Streamlit to write, and a stray expression must not appear on a leader's screen. No full garbage collection
    after every script run: with the engine loaded one takes 0.2-0.5 s holding the GIL, and under a crowd they
    were half of the server's work, starving the engine's load (Python's own collector still runs).
    """
    return [
        "--server.headless",
        "true",
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--runner.magicEnabled",
        "false",
        "--runner.postScriptGC",
        "false",
    ]


def run(address: str, port: int, flags: Mapping[str, object] | None = None) -> int:
    """Serve the app until interrupted, its settings taking ``flags`` over the environment; return the exit
    code."""
    global _served_flags
    from streamlit.web import cli

    _served_flags = MappingProxyType(dict(flags or {}))
    previous = _stop_quietly_on(signal.SIGINT, signal.SIGTERM)
    try:
        cli.main(args=["run", str(APP), *streamlit_flags(address, port)], prog_name="streamlit")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0
    finally:
        _served_flags = MappingProxyType({})
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0


def _stop_quietly_on(*numbers: int) -> dict[int, object]:
    """Make Ctrl-C and SIGTERM a clean exit (0); return the handlers they had.

    uvicorn, which serves an ``st.App``, shuts down gracefully on these signals and then raises the signal again
    under the handler it found: Python's default would end the process by SIGTERM (exit -15), or with a
    KeyboardInterrupt traceback, after a shutdown that went well.
    """
    if threading.current_thread() is not threading.main_thread():
        return {}

    def stop(_number: int, _frame: object) -> None:
        raise SystemExit(0)

    return {number: signal.signal(number, stop) for number in numbers}
