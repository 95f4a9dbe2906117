"""``assistant cache``: the embedding cache that lets an edited post re-index by embedding only what changed."""

from __future__ import annotations

import typer

from assistant.cli.app import DataDir, app, console, make_settings

cache_app = typer.Typer(
    help="The embedding cache: passage vectors kept in the data folder, so unchanged text is never embedded again.",
    no_args_is_help=True,
)
app.add_typer(cache_app, name="cache")


@cache_app.command()
def info(data_dir: DataDir = None) -> None:
    """Show where the cache is, how many vectors it holds and its size on disk."""
    from assistant.embedders import embeddings_cache_path
    from assistant.embedding_cache import EmbeddingCache

    path = embeddings_cache_path(make_settings(data_dir, None))
    if not path.exists():
        console.print(f"{path}: no cache yet")
        return
    cache = EmbeddingCache(path)
    try:
        count = cache.count()
    finally:
        cache.close()
    console.print(f"{path}: {count} vectors, {path.stat().st_size / 1e6:.1f} MB")


@cache_app.command()
def clear(data_dir: DataDir = None) -> None:
    """Forget every cached vector: the next ingest or reindex embeds all text afresh."""
    from assistant.embedders import embeddings_cache_path
    from assistant.embedding_cache import clear_cache_file

    path = embeddings_cache_path(make_settings(data_dir, None))
    console.print(f"cleared {clear_cache_file(path)} cached vectors from {path}")
