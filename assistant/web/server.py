"""Serve the web app from this process, as ``streamlit run`` would, with the settings Kompas always wants.

``assistant serve`` hands its ``Settings`` (flags included) to the app here, in this process, instead of through
environment variables; ``streamlit run assistant/web/app.py`` (and the tests) leave them unset, and the app then
reads ``ASSISTANT_*`` variables and ``.env`` itself.

    run(Settings(data_dir=Path("/srv/kompas")), "127.0.0.1", 8501)   # blocks until Ctrl-C
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.config import Settings

APP = Path(__file__).with_name("app.py")

_served: Settings | None = None


def served_settings() -> Settings | None:
    """The settings ``run`` was given, or None when the app runs under plain ``streamlit run``."""
    return _served


def streamlit_flags(address: str, port: int) -> list[str]:
    """Headless on one address, no usage statistics sent anywhere, no Deploy button (from any folder).

    No file watcher: a served app's code does not change under it, and a watched module that changed would be
    imported afresh, without the settings handed to it here.
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
    ]


def run(settings: Settings, address: str, port: int) -> int:
    """Serve the app with ``settings`` until interrupted; return the exit code."""
    global _served
    from streamlit.web import cli

    _served = settings
    try:
        cli.main(args=["run", str(APP), *streamlit_flags(address, port)], prog_name="streamlit")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0
    finally:
        _served = None
    return 0
