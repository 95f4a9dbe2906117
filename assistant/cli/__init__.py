"""The ``assistant`` command line: a thin Typer + Rich layer over ``Engine``, one module per group of commands."""

from assistant.cli import ask, bench, blog, cache, corpus, evaluate, serve  # noqa: F401  (importing registers the commands)
from assistant.cli.app import app, main

__all__ = ["app", "main"]
