"""The corpus folder, the source of truth: one file per post, the file's stem is the post's slug.

Writes are atomic (a temporary file renamed into place), so a crash never leaves half a post behind.

    corpus = CorpusFolder(Path("corpus"))
    scan = corpus.scan()              # posts that load, and a BadInputError for each file that does not
    corpus.write(post)                # corpus/<slug>.md, normalized Markdown
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from assistant.corpus.loaders import SUPPORTED_SUFFIXES, load_post
from assistant.corpus.loaders.markdown import post_to_markdown
from assistant.corpus.model import Post, slugify
from assistant.errors import BadInputError, PostConflictError, PostNotFoundError


@dataclass
class CorpusScan:
    """The result of reading the corpus: loaded posts by slug (with their file) and the files that failed."""

    posts: dict[str, Post] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    errors: list[BadInputError] = field(default_factory=list)


class CorpusFolder:
    """Read and change the posts in one folder."""

    def __init__(self, root: Path, max_bytes: int = 2_000_000, max_words: int = 30_000):
        self.root = root
        self.max_bytes = max_bytes
        self.max_words = max_words

    def post_files(self, paths: list[Path] | None = None) -> list[Path]:
        """The post files under ``paths`` (default: the whole corpus), which must lie inside the corpus."""
        if not self.root.is_dir():
            return []
        found: list[Path] = []
        for path in paths or [self.root]:
            self._require_inside(path)
            if path.is_dir():
                found += sorted(p for p in path.rglob("*") if self._is_post_file(p))
            elif path.is_file():
                found.append(path)
            else:
                raise BadInputError(path, "no such file or folder")
        return found

    def _is_post_file(self, path: Path) -> bool:
        hidden = any(part.startswith((".", "_")) for part in path.relative_to(self.root).parts)
        return path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and not hidden

    def _require_inside(self, path: Path) -> None:
        if not path.resolve().is_relative_to(self.root.resolve()):
            raise BadInputError(
                path, f"is outside the corpus folder {self.root}: use `assistant add {path}` to add it"
            )

    def load(self, path: Path) -> Post:
        """Load one corpus file; its slug is its file name's."""
        return load_post(path, slug=slugify(path.stem), max_bytes=self.max_bytes, max_words=self.max_words)

    def scan(self, paths: list[Path] | None = None) -> CorpusScan:
        """Load every post file; a file that fails is reported, never fatal for the others."""
        scan = CorpusScan()
        for path in self.post_files(paths):
            try:
                post = self.load(path)
            except BadInputError as error:
                scan.errors.append(error)
                continue
            if post.slug in scan.posts:
                scan.errors.append(
                    BadInputError(path, f"has the same slug {post.slug!r} as {scan.files[post.slug]}")
                )
                continue
            scan.posts[post.slug] = post
            scan.files[post.slug] = path
        return scan

    def find(self, slug: str) -> Path | None:
        """The file of the post with this slug, if there is one."""
        if not self.root.is_dir():
            return None
        return next((p for p in self.post_files() if slugify(p.stem) == slug), None)

    def check_writable(self, post: Post, *, replace: bool = False) -> Path | None:
        """Raise ``PostConflictError`` if writing ``post`` would overwrite other content without ``replace``.

        Returns the post's current file, if it has one.
        """
        existing = self.find(post.slug)
        if existing is not None and not replace and not self._holds(existing, post):
            raise _conflict(post, existing)
        return existing

    def _holds(self, path: Path, post: Post) -> bool:
        try:
            return self.load(path).content_hash() == post.content_hash()
        except BadInputError:
            return False

    def write(self, post: Post, *, replace: bool = False) -> tuple[Path, bool]:
        """Write ``post`` as ``<slug>.md``; return the path and whether anything changed."""
        existing = self.find(post.slug)
        if existing is not None and self._holds(existing, post):
            return existing, False
        if existing is not None and not replace:
            raise _conflict(post, existing)
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.root / f"{post.slug}.md"
        _atomic_write(target, post_to_markdown(post))
        if existing is not None and existing != target:
            existing.unlink()
        return target, True

    def restore(self, written: Path, previous: Path | None, previous_bytes: bytes | None) -> None:
        """Undo a ``write``: put the previous file back, or remove the new one if there was none."""
        if previous is None or previous_bytes is None:
            written.unlink(missing_ok=True)
            return
        if previous != written:
            written.unlink(missing_ok=True)
        _atomic_write_bytes(previous, previous_bytes)

    def remove(self, slug: str) -> Path:
        path = self.find(slug)
        if path is None:
            raise PostNotFoundError(
                f"no post with slug {slug!r} in {self.root}: `assistant list` shows the slugs"
            )
        path.unlink()
        return path


def _conflict(post: Post, existing: Path) -> PostConflictError:
    return PostConflictError(
        f"a post with slug {post.slug!r} already exists ({existing}) with other content: "
        "use --replace to replace it, or --title to give this one another title"
    )


def _atomic_write(target: Path, text: str) -> None:
    _atomic_write_bytes(target, text.encode("utf-8"))


def _atomic_write_bytes(target: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
