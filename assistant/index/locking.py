"""The cross-process write lock and the generation stamp that tells readers another process wrote.

An embedded Chroma client does not see another process's writes (its System is cached per folder), so every
writer holds a file lock and, when done, bumps a stamp; a reader compares the stamp before a query and reopens
its client when it moved. On a server, the stamp also lives in the posts collection's metadata, where other
machines can read it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from assistant.errors import IndexBusyError
from assistant.index.connection import ChromaConnection

STAMP_COLLECTION = "posts"


class WriteLock:
    """A lock file in the data folder that one writing process at a time holds."""

    def __init__(self, path: Path, timeout_s: float):
        self.path, self.timeout_s = path, timeout_s

    @contextlib.contextmanager
    def held(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the lock; ``on_wait`` is called once if another process holds it (to say we are waiting)."""
        lock = FileLock(str(self.path))
        try:
            lock.acquire(timeout=0.2)
        except Timeout:
            if on_wait:
                on_wait()
            try:
                lock.acquire(timeout=self.timeout_s)
            except Timeout:
                raise IndexBusyError(
                    f"the index is busy: another process has held {self.path} for over "
                    f"{self.timeout_s:.0f} s; try again later"
                ) from None
        try:
            yield
        finally:
            lock.release()


class GenerationStamp:
    """A random stamp each write replaces: a file beside the embedded index, a collection's metadata on a server."""

    def __init__(self, path: Path, connection: ChromaConnection):
        self.path, self.connection = path, connection

    def read(self) -> str:
        if self.connection.on_server and self.connection.client is not None:
            with contextlib.suppress(Exception):
                return str(self.connection.current_metadata(STAMP_COLLECTION).get("generation", ""))
        try:
            return self.path.read_text()
        except FileNotFoundError:
            return ""

    def bump(self) -> None:
        stamp = uuid.uuid4().hex
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(stamp)
        os.replace(temporary, self.path)  # atomic: a reader sees the old stamp or the new one, never half
        if self.connection.on_server:
            collection = self.connection.collection(STAMP_COLLECTION)
            collection.modify(metadata={**modifiable(collection.metadata), "generation": stamp})


def modifiable(metadata: dict | None) -> dict:
    """Collection metadata to pass back to ``modify``: Chroma refuses one that repeats the distance setting."""
    return {k: v for k, v in (metadata or {}).items() if not k.startswith("hnsw:")}
