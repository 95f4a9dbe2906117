"""Read a file (or pasted text) of any supported format into a validated ``Post``.

    post = load_post(Path("blog.docx"), overrides={"url": "https://..."})

Every check that can reject input happens here, before anything is written, so a bad file changes nothing.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

from assistant.config import Settings
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
AUTOMATIC = "auto"

# A Markdown heading (``# Titel``, ``## Sectie``) on a line of its own, or front matter opening the text.
_MARKDOWN_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.MULTILINE)
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n.*?\n---[ \t]*(\n|\Z)", re.DOTALL)
# A web page: it opens with a tag or doctype and holds block tags.
_HTML_START = re.compile(
    r"\A\s*<(!doctype|html|head|body|article|main|div|section|p|h[1-6])\b", re.IGNORECASE
)


def _text_parser(fmt: str) -> TextParser:
    if fmt == "md":
        return parse_markdown
    if fmt == "txt":
        return parse_plaintext
    from assistant.corpus.loaders.html import parse_html  # trafilatura is slow to import; load it when needed

    return parse_html


def detect_format(text: str) -> str:
    """The format pasted text is most likely in: ``md`` if it has Markdown headings or front matter, ``html`` if
    it opens with a tag, else ``txt`` (whose headings the plain-text parser finds by their shape).

    Plain text is the safe default: Markdown without ``#`` headings reads the same as plain text, but plain text
    read as Markdown loses its headings (they become paragraphs).
    """
    if _FRONT_MATTER.match(text) or _MARKDOWN_HEADING.search(text):
        return "md"
    if _HTML_START.match(text):
        return "html"
    return "txt"


def load_post_for(
    settings: Settings, path: Path, *, slug: str | None = None, overrides: dict[str, object] | None = None
) -> Post:
    """``load_post`` within the size limits of ``settings``. Raises ``BadInputError``."""
    return load_post(
        path,
        slug=slug,
        overrides=overrides,
        max_bytes=settings.max_post_bytes,
        max_words=settings.max_post_words,
    )


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
        raise BadInputError(
            path,
            f"unknown file type {suffix or '(none)'!r}: use .md, .txt, .html or .docx",
            "Kompas leest alleen .md, .txt, .html en .docx",
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadInputError(
            path, f"cannot read the file ({error.strerror or error})", "het bestand kan niet worden gelezen"
        ) from None
    if not data.strip():
        raise BadInputError(path, "the file is empty", "het bestand is leeg")
    if len(data) > max_bytes:
        raise BadInputError(
            path,
            f"the file is {len(data):,} bytes, more than the limit of {max_bytes:,}",
            f"het bestand is te groot ({len(data):,} bytes; Kompas neemt tot {max_bytes:,})".replace(
                ",", "."
            ),
        )
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
    """Load text pasted into the coach's page (``fmt`` is md, txt, html, or auto to detect it)."""
    if fmt == AUTOMATIC:
        fmt = detect_format(text)
    if fmt not in ("md", "txt", "html"):
        raise BadInputError(
            source, f"unknown format {fmt!r}: use md, txt or html", "kies als opmaak Markdown, tekst of HTML"
        )
    if not text.strip():
        raise BadInputError(source, "the text is empty", "er staat geen tekst in")
    if "\x00" in text:
        raise BadInputError(
            source,
            "the text contains NUL characters: it looks like a binary file",
            "dit lijkt geen gewone tekst (er staan onleesbare tekens in)",
        )
    draft = _text_parser(fmt)(text, source)
    return build_post(draft, source, slug=slug, max_words=max_words, overrides=overrides)


def decode_text(data: bytes, source: str | Path) -> str:
    """Decode UTF-8 (or UTF-16 with a byte order mark); refuse binary and other encodings with a clear message."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadInputError(
                source, "the file claims to be UTF-16 but is not", "de tekens in dit bestand zijn onleesbaar"
            ) from None
    if b"\x00" in data[:8192]:
        raise BadInputError(source, "this is a binary file, not text", "dit is geen tekstbestand")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadInputError(
            source,
            f"the text is not UTF-8 (byte 0x{data[error.start]:02x} at position {error.start}): save it as UTF-8",
            "de tekens in dit bestand zijn onleesbaar; sla het op als UTF-8 (in Kladblok: Opslaan als, Codering "
            "UTF-8)",
        ) from None


def _title_from_file_name(path: Path) -> str:
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else ""
