"""``assistant serve``: the web chat."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.app import CorpusDir, DataDir, app, console


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Start the web chat (Streamlit) for leaders, with the coach's page."""
    app_file = Path(__file__).parents[1] / "web" / "app.py"
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    for name, value in (("ASSISTANT_DATA_DIR", data_dir), ("ASSISTANT_CORPUS_DIR", corpus_dir)):
        if value is not None:
            env[name] = str(value.resolve())
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_file),
        "--server.headless",
        "true",
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--client.toolbarMode",
        "minimal",
    ]
    console.print(f"Kompas draait op http://{address}:{port}  (Ctrl-C stopt)")
    raise typer.Exit(subprocess.call(command, env=env))
