"""What a sync remembers between runs (``data/sources.json``): the followed blog, validators, the last run.

Only a memory for fetching less, never a second truth: the corpus says which posts exist. Lost or damaged, the
next sync fetches everything once and finds unchanged posts unchanged by their content hash.

    memory = SyncMemory.load(settings.data_dir)
    memory.followed = "https://www.onderwijskapitein.nl/feed/"
    memory.save()
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

FILE_NAME = "sources.json"
log = logging.getLogger(__name__)


@dataclass
class PostMemo:
    """A post's address as last seen: the slug it was written as, its listing stamp and HTTP validators."""

    slug: str = ""
    stamp: str = ""
    etag: str = ""
    last_modified: str = ""
    article: bool = (
        True  # False: the page held no post (a sitemap's home page or overview), skipped until it changes
    )


@dataclass
class DocumentMemo:
    """A feed or sitemap as last fetched: its validators and what it listed, for when it answers 304."""

    kind: str = ""
    etag: str = ""
    last_modified: str = ""
    urls: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


@dataclass
class RunMemo:
    """The last sync of a source: when (UTC, ISO), what it did, and the error that stopped it, if one did."""

    at: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""
    error_dutch: str = ""
    failures: list[tuple[str, str]] = field(default_factory=list)  # (address, reason in Dutch)


@dataclass
class SourceMemo:
    kind: str = ""
    urls: list[str] = field(
        default_factory=list
    )  # the posts it listed last time (what --prune compares with)
    last_run: RunMemo = field(default_factory=RunMemo)


class SyncMemory:
    """The memory file, read whole and written whole (atomically); a sync holds the sync lock meanwhile."""

    def __init__(self, path: Path):
        self.path = path
        self.followed = ""
        self.posts: dict[str, PostMemo] = {}
        self.documents: dict[str, DocumentMemo] = {}
        self.sources: dict[str, SourceMemo] = {}

    @classmethod
    def load(cls, data_dir: Path) -> SyncMemory:
        memory = cls(data_dir / FILE_NAME)
        try:
            raw = json.loads(memory.path.read_text(encoding="utf-8"))
            memory.followed = str(raw.get("followed", ""))
            memory.posts = {url: PostMemo(**memo) for url, memo in raw.get("posts", {}).items()}
            memory.documents = {url: DocumentMemo(**memo) for url, memo in raw.get("documents", {}).items()}
            memory.sources = {
                key: SourceMemo(
                    memo.get("kind", ""),
                    list(memo.get("urls", [])),
                    RunMemo(
                        **{
                            **memo.get("last_run", {}),
                            "failures": [tuple(f) for f in memo.get("last_run", {}).get("failures", [])],
                        }
                    ),
                )
                for key, memo in raw.get("sources", {}).items()
            }
        except FileNotFoundError:
            pass
        except (
            OSError,
            ValueError,
            TypeError,
            AttributeError,
        ) as error:  # damaged: start afresh, fetch once more
            log.warning(
                "%s could not be read (%s); the next sync fetches everything once", memory.path, error
            )
            memory = cls(memory.path)
        return memory

    def source(self, key: str) -> SourceMemo:
        return self.sources.setdefault(key, SourceMemo())

    def save(self) -> None:
        data = {
            "followed": self.followed,
            "posts": {url: asdict(memo) for url, memo in self.posts.items()},
            "documents": {url: asdict(memo) for url, memo in self.documents.items()},
            "sources": {key: asdict(memo) for key, memo in self.sources.items()},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".sources.", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=1)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
