"""``assistant serve``: the web chat."""

from __future__ import annotations

import logging
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
    from assistant.web.server import run  # streamlit is imported by this command only

    # Kompas's own messages on the console: when it is ready to answer, and what went wrong and why.
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("assistant").setLevel(logging.INFO)

    # Handed to the app in this process (no environment variables written); it builds its Settings from them
    # once the server answers. Absolute, in case anything changes the working directory meanwhile.
    folders = {"data_dir": data_dir, "corpus_dir": corpus_dir}
    flags = {name: folder.resolve() for name, folder in folders.items() if folder is not None}
    console.print(f"Kompas is running at http://{address}:{port}  (Ctrl-C stops it)")
    raise typer.Exit(run(address, port, flags))
