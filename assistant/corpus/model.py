"""The ``Post`` and ``Section`` types, the post's canonical text, and slugs.

A post's text is its sections laid out as blocks separated by a blank line: a section's heading (if any) is one
block, each paragraph another. Chunk offsets point into this text, so it is defined here once, for every format.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Section:
    """A heading (empty for the text before the first heading) and its paragraphs."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ParagraphSpan:
    """Where one paragraph lies in the post's text."""

    section_index: int
    start: int
    end: int


@dataclass(frozen=True)
class Post:
    """One blog post: metadata plus sections. ``slug`` names it in the corpus and the index."""

    slug: str
    title: str
    sections: tuple[Section, ...]
    author: str = ""
    date: str = ""
    url: str = ""
    tags: tuple[str, ...] = ()
    source: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def text(self) -> str:
        return BLOCK_SEPARATOR.join(_blocks(self.sections))

    def paragraph_spans(self) -> Iterator[ParagraphSpan]:
        """Yield every paragraph's offsets in ``text``, in order."""
        offset = 0
        for index, section in enumerate(self.sections):
            if section.heading:
                offset += len(section.heading) + len(BLOCK_SEPARATOR)
            for paragraph in section.paragraphs:
                yield ParagraphSpan(index, offset, offset + len(paragraph))
                offset += len(paragraph) + len(BLOCK_SEPARATOR)

    @property
    def word_count(self) -> int:
        return sum(len(p.split()) for s in self.sections for p in s.paragraphs)

    def content_hash(self) -> str:
        """A hash of everything that ends up in the index: text and the metadata chunks carry."""
        digest = hashlib.sha256()
        for part in (self.slug, self.title, self.author, self.date, self.url, self.source, *self.tags):
            digest.update(part.encode() + b"\x1f")
        for section in self.sections:
            digest.update(b"\x1e" + section.heading.encode())
            for paragraph in section.paragraphs:
                digest.update(b"\x1d" + paragraph.encode())
        return digest.hexdigest()[:16]


def _blocks(sections: tuple[Section, ...]) -> Iterator[str]:
    for section in sections:
        if section.heading:
            yield section.heading
        yield from section.paragraphs


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """Turn a title or file name into a stable, URL-safe slug: ``"Wat als vertrouwen?"`` → ``wat-als-vertrouwen``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def normalize_whitespace(text: str) -> str:
    """Collapse runs of spaces and drop invisible characters that only confuse search and quoting."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").replace("\u00ad", "")
    return re.sub(r"[ \t\f\v]+", " ", text).strip()
