"""``assistant serve``: the web chat."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.app import CorpusDir, DataDir, app, console, make_settings


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Start the web chat (Streamlit) for leaders, with the coach's page."""
    from assistant.web.server import run  # streamlit is imported by this command only

    # Folders made absolute: the app may resolve them after a change of working directory.
    settings = make_settings(data_dir and data_dir.resolve(), corpus_dir and corpus_dir.resolve())
    console.print(f"Kompas is running at http://{address}:{port}  (Ctrl-C stops it)")
    raise typer.Exit(run(settings, address, port))
