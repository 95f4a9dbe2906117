"""``assistant serve``: the web chat."""

from __future__ import annotations

import os
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
    from assistant.web.server import run

    # The app builds its Settings from the environment, in this process: the flags reach it through it.
    for name, value in (("ASSISTANT_DATA_DIR", data_dir), ("ASSISTANT_CORPUS_DIR", corpus_dir)):
        if value is not None:
            os.environ[name] = str(value.resolve())
    # Without it, a question takes ~1.5 s instead of ~20 ms while another process keeps the other core busy.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    console.print(f"Kompas is running at http://{address}:{port}  (Ctrl-C stops it)")
    raise typer.Exit(run(address, port))
