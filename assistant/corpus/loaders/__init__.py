"""Read a file (or pasted text) of any supported format into a validated ``Post``.

    post = load_post(Path("blog.docx"), overrides={"url": "https://..."})

Every check that can reject input happens here, before anything is written, so a bad file changes nothing.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from assistant.corpus.loaders.draft import Draft, build_post
from assistant.corpus.loaders.markdown import parse_markdown
from assistant.corpus.loaders.plaintext import parse_plaintext
from assistant.corpus.model import Post
from assistant.errors import BadInputError

TextParser = Callable[[str, str], Draft]

TEXT_FORMATS: dict[str, str] = {
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
}
SUPPORTED_SUFFIXES = (*TEXT_FORMATS, ".docx")


def _text_parser(fmt: str) -> TextParser:
    if fmt == "md":
        return parse_markdown
    if fmt == "txt":
        return parse_plaintext
    from assistant.corpus.loaders.html import parse_html  # trafilatura is slow to import; load it when needed

    return parse_html


def load_post(
    path: Path,
    *,
    slug: str | None = None,
    overrides: dict[str, object] | None = None,
    max_bytes: int = 2_000_000,
    max_words: int = 30_000,
) -> Post:
    """Load one file; the slug comes from ``slug``, else the title. Raises ``BadInputError``."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise BadInputError(path, f"unknown file type {suffix or '(none)'!r}: use .md, .txt, .html or .docx")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadInputError(path, f"cannot read the file ({error.strerror or error})") from None
    if not data.strip():
        raise BadInputError(path, "the file is empty")
    if len(data) > max_bytes:
        raise BadInputError(path, f"the file is {len(data):,} bytes, more than the limit of {max_bytes:,}")
    if suffix == ".docx":
        from assistant.corpus.loaders.docx import parse_docx

        draft = parse_docx(data, str(path))
    else:
        draft = _text_parser(TEXT_FORMATS[suffix])(decode_text(data, path), str(path))
    if (
        draft.title is None
        and suffix in (".txt", ".docx", ".html", ".htm")
        and not (overrides or {}).get("title")
    ):
        draft.title = _title_from_file_name(path)
    return build_post(draft, str(path), slug=slug, max_words=max_words, overrides=overrides)


def load_text(
    text: str,
    fmt: str,
    *,
    source: str = "pasted text",
    slug: str | None = None,
    overrides: dict[str, object] | None = None,
    max_words: int = 30_000,
) -> Post:
    """Load text pasted into the coach's page (``fmt`` is md, txt or html)."""
    if fmt not in ("md", "txt", "html"):
        raise BadInputError(source, f"unknown format {fmt!r}: use md, txt or html")
    if not text.strip():
        raise BadInputError(source, "the text is empty")
    if "\x00" in text:
        raise BadInputError(source, "the text contains NUL characters: it looks like a binary file")
    draft = _text_parser(fmt)(text, source)
    return build_post(draft, source, slug=slug, max_words=max_words, overrides=overrides)


def decode_text(data: bytes, source: str | Path) -> str:
    """Decode UTF-8 (or UTF-16 with a byte order mark); refuse binary and other encodings with a clear message."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadInputError(source, "the file claims to be UTF-16 but is not") from None
    if b"\x00" in data[:8192]:
        raise BadInputError(source, "this is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadInputError(
            source,
            f"the text is not UTF-8 (byte 0x{data[error.start]:02x} at position {error.start}): save it as UTF-8",
        ) from None


def _title_from_file_name(path: Path) -> str:
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else ""
