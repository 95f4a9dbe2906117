"""Web pages and the HTML that feeds and exports carry, read as posts by the ``.html`` loader.

    post = fetch_post(fetcher, settings, "https://www.onderwijskapitein.nl/vertrouwen/")

A fetched page must hold an article (trafilatura's main text); its title, date, author and canonical URL come
from its metadata, and a page without a canonical URL keeps the address it was fetched from, so source cards
link to the live post.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from html import escape
from typing import TYPE_CHECKING

from assistant.corpus.loaders import decode_text
from assistant.corpus.loaders.draft import build_post
from assistant.corpus.loaders.html import parse_html
from assistant.errors import BadInputError, FetchError

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.corpus.model import Post
    from assistant.sources.fetcher import Fetched, Fetcher

HTML_TYPES = ("text/html", "application/xhtml+xml", "")
# A WordPress post stored by the classic editor: paragraphs are blank-line separated, without <p> (WordPress adds
# them when it shows the post, "wpautop"). A block that opens with one of these tags is already HTML.
_BLOCK_START = re.compile(
    r"^\s*<(p|h[1-6]|ul|ol|li|blockquote|pre|table|figure|div|section|article|hr|!--)\b", re.IGNORECASE
)


def fetch_post(
    fetcher: Fetcher,
    settings: Settings,
    url: str,
    *,
    slug: str | None = None,
    overrides: dict[str, object] | None = None,
) -> Post:
    """Fetch one post's page and read it (``FetchError`` or ``BadInputError`` if it cannot be)."""
    fetched = fetcher.get(url, max_bytes=settings.max_post_bytes)
    return read_page(fetched, url, slug=slug, overrides=overrides, max_words=settings.max_post_words)


def read_page(
    fetched: Fetched,
    source: str,
    *,
    slug: str | None = None,
    overrides: dict[str, object] | None = None,
    max_words: int = 30_000,
) -> Post:
    """A fetched page as a post; errors name ``source``, the address the user gave."""
    if fetched.media_type not in HTML_TYPES:
        raise FetchError(
            source,
            f"this is not a web page but {fetched.media_type}: give the address of a blog post",
            "dit adres geeft geen webpagina maar een ander soort bestand; geef het adres van een blog",
        )
    draft = parse_html(page_text(fetched, source), source, require_article=True)
    post = build_post(draft, source, slug=slug, max_words=max_words, overrides=overrides)
    return post if post.url else dataclasses.replace(post, url=fetched.url)


def page_text(fetched: Fetched, source: str) -> str:
    """The page's text in the encoding its server names, else UTF-8; anything else is refused, never guessed."""
    charset = fetched.charset
    if charset and _codec(charset) not in ("utf-8", ""):
        try:
            return fetched.content.decode(_codec(charset))
        except UnicodeDecodeError:
            raise _unreadable(
                source, f"the page is not valid {charset}, the encoding its server names"
            ) from None
    try:
        return decode_text(fetched.content, source)
    except BadInputError:
        raise _unreadable(
            source, "the page is not UTF-8 and its server names no other encoding (Content-Type charset)"
        ) from None


def post_from_html(
    html: str, source: str, metadata: dict[str, object], *, slug: str | None = None, max_words: int = 30_000
) -> Post:
    """A post from the HTML a feed or an export carries, with the listing's title, date, author and address."""
    # The title as the page would carry it: without it, trafilatura takes the body's first heading for the title.
    title = escape(str(metadata.get("title") or ""))
    wrapped = (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{_paragraphs(html)}"
        "</article></body></html>"
    )
    return build_post(parse_html(wrapped, source), source, slug=slug, max_words=max_words, overrides=metadata)


def _paragraphs(html: str) -> str:
    """HTML as WordPress shows it: blank-line separated text that is not a block already becomes a paragraph."""
    if "\n\n" not in html.replace("\r\n", "\n"):
        return html
    blocks = re.split(r"\n\s*\n", html.replace("\r\n", "\n"))
    return "\n".join(b if _BLOCK_START.match(b) else f"<p>{b}</p>" for b in blocks if b.strip())


def _codec(charset: str) -> str:
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return ""  # a charset Python does not know: read as UTF-8, which refuses what it cannot read


def _unreadable(source: str, problem: str) -> FetchError:
    return FetchError(
        source,
        problem,
        "de tekens op deze pagina zijn onleesbaar (de website gebruikt een onbekende codering)",
    )
