"""Serve the web app from this process, as ``streamlit run`` would, with the settings Kompas always wants.

``assistant serve`` calls it after its own start-up has imported the engine's libraries (llama-index and
chromadb take seconds to import), so the first visitor's page does not pay for them again.

    run("127.0.0.1", 8501)   # blocks until Ctrl-C
"""

from __future__ import annotations

from pathlib import Path

APP = Path(__file__).with_name("app.py")


def streamlit_flags(address: str, port: int) -> list[str]:
    """Headless on one address, no usage statistics sent anywhere, no Deploy button (from any folder)."""
    return [
        "--server.headless",
        "true",
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]


def run(address: str, port: int) -> int:
    """Serve until interrupted; return the exit code."""
    from streamlit.web import cli

    try:
        cli.main(args=["run", str(APP), *streamlit_flags(address, port)], prog_name="streamlit")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0
    return 0
