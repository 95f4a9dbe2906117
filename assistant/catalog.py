"""The list of indexed posts, kept in a small file beside an embedded index so that listing needs no Chroma.

Opening Chroma (and the engine around it) costs seconds of imports; ``assistant list`` should answer at once. The
engine lists its posts from here too (the chat's sidebar asks on every page run): one small file instead of every
post record from Chroma.

Writers rewrite the file inside the write lock, stamped with the generation they leave behind; a reader trusts it
only while that stamp is still the current one, so any write since, by any process, sends it to Chroma instead.
With a Chroma server the file is never trusted: processes on other machines write there.

    write_catalog(data_dir, generation, embedder, [asdict(r) for r in newest_first(posts)])   # the index, locked
    posts = read_catalog(settings)        # the records as dicts, newest first; None: ask the index
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from assistant.config import Settings

CATALOG_FILE = "posts.json"
# The generation stamp's file (see ``assistant.index.locking``), named here so reading it imports no Chroma.
STAMP_FILE = "generation"


def write_catalog(data_dir: Path, generation: str, embedder: str, posts: list[dict[str, object]]) -> None:
    """Replace the catalog atomically: a reader sees the old file or the new one, never half of one.

    ``embedder`` is the one the index was built with: a reader configured for another must ask the index, which
    says to re-index. The posts are listed in the order given (the index gives them newest first).
    """
    content = {"generation": generation, "embedder": embedder, "posts": posts}
    path = data_dir / CATALOG_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def read_catalog(settings: Settings) -> list[dict[str, object]] | None:
    """The indexed posts, newest first, if the catalog is current for these settings; else None."""
    if settings.chroma_host:
        return None
    try:
        content = json.loads((settings.data_dir / CATALOG_FILE).read_text(encoding="utf-8"))
        generation = (settings.data_dir / STAMP_FILE).read_text()
    except (OSError, ValueError):
        return None
    current = content.get("generation") == generation and content.get("embedder") == settings.embedder
    return list(content["posts"]) if current and isinstance(content.get("posts"), list) else None
