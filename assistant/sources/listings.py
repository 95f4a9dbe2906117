"""What a blog lists: its posts from an RSS or Atom feed (feedparser), a sitemap or a WordPress export (defusedxml).

    listing = read_listing(data, "https://www.onderwijskapitein.nl/feed/")
    listing.kind, [entry.url for entry in listing.entries]

No XML here is parsed with entity expansion: every document first goes through defusedxml, which refuses entity
declarations and external references (a billion-laughs feed ends there, before feedparser sees it). A feed that
is not well-formed XML declares nothing defusedxml could stop, and feedparser's lenient parser reads it.
A feed or an export that carries a post's full HTML saves fetching its page; a sitemap only lists addresses.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
import lxml.html
from defusedxml import DefusedXmlException

from assistant.errors import BadInputError

if TYPE_CHECKING:
    from collections.abc import Iterator

FEED, SITEMAP, EXPORT = "feed", "sitemap", "export"
WXR_NAMESPACE = "http://wordpress.org/export/"  # followed by the WXR version: 1.0, 1.1, 1.2
CONTENT_NAMESPACE = "{http://purl.org/rss/1.0/modules/content/}"
DC_NAMESPACE = "{http://purl.org/dc/elements/1.1/}"
FEED_TYPES = ("application/rss+xml", "application/atom+xml")


@dataclass(frozen=True)
class Entry:
    """One post a listing names: its address, what changes when it changes, and what the listing carries of it."""

    url: str
    stamp: str  # a sitemap's lastmod, a feed entry's date, or a hash of the HTML a feed or export carries
    html: str = ""  # the post's HTML, when the listing holds it (then its page need not be fetched)
    metadata: dict[str, object] = field(default_factory=dict, compare=False)


@dataclass
class Listing:
    """The posts of a feed, a sitemap or an export; a sitemap index lists further sitemaps instead."""

    kind: str
    entries: list[Entry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    blog: str = ""  # the blog's own address, when the document names it (an export's channel link)
    ignored: dict[str, int] = field(default_factory=dict)  # what an export holds that is not a published post


def read_listing(data: bytes, source: str, max_bytes: int = 50_000_000) -> Listing:
    """Read a feed, a sitemap (also gzipped) or a WordPress export; ``BadInputError`` for anything else."""
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, source, max_bytes)
    root = parse_xml(data, source)
    name = _local(root.tag) if root is not None else ""
    if name in ("urlset", "sitemapindex"):
        return _sitemap(root)
    if name == "rss" and any(_namespace(e.tag).startswith(WXR_NAMESPACE) for e in root.iter()):
        return _export(root)
    listing = _feed(data)
    if listing is not None:
        return listing
    raise BadInputError(
        source,
        "this is not an RSS or Atom feed, a sitemap or a WordPress export"
        + ("" if root is not None else ": it is not XML"),
        "dit is geen feed, sitemap of WordPress-export. Geef het adres van de feed van je blog (vaak eindigend "
        "op /feed/) of van de sitemap (/sitemap.xml)",
    )


def parse_xml(data: bytes, source: str) -> Element | None:
    """The document's root, parsed without entity expansion; None if it is not well-formed XML."""
    try:
        return safe_xml.fromstring(data)
    except DefusedXmlException as refused:
        raise BadInputError(
            source,
            f"the document declares XML entities or external references ({type(refused).__name__}); Kompas "
            "does not expand them",
            "dit bestand bevat XML-constructies die Kompas uit veiligheid niet leest",
        ) from None
    except (ParseError, ValueError):
        return None


def feed_links(html: bytes, base_url: str) -> list[str]:
    """The feeds a web page announces (``<link rel="alternate" type="application/rss+xml">``), in its order."""
    try:
        tree = lxml.html.document_fromstring(html, base_url=base_url)
    except (ValueError, lxml.etree.LxmlError):
        return []
    tree.make_links_absolute(base_url, handle_failures="discard")
    return [
        link.get("href")
        for link in tree.iterfind(".//link[@rel='alternate']")
        if (link.get("type") or "").lower() in FEED_TYPES and link.get("href")
    ]


def _sitemap(root: Element) -> Listing:
    listing = Listing(SITEMAP)
    for element in root:
        values = {_local(child.tag): (child.text or "").strip() for child in element}
        location = values.get("loc", "")
        if not location:
            continue
        if _local(element.tag) == "sitemap":
            listing.sitemaps.append(location)
        elif _local(element.tag) == "url":
            listing.entries.append(Entry(location, values.get("lastmod", "")))
    return listing


def _feed(data: bytes) -> Listing | None:
    import feedparser  # loaded when a feed is read: a sync whose feed answered 304 never needs it

    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.get("version") and not parsed.entries:
        return None
    listing = Listing(FEED, blog=parsed.feed.get("link", ""))
    for entry in parsed.entries:
        link = entry.get("link", "")
        if not link:
            continue
        html = next((c.get("value", "") for c in entry.get("content", []) if "html" in c.get("type", "")), "")
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        metadata = {
            "title": entry.get("title", ""),
            "author": entry.get("author", ""),
            "date": dt.date(*when[:3]).isoformat() if when else "",
            "tags": [t.get("term", "") for t in entry.get("tags", []) if t.get("term")],
            "url": link,
        }
        dated = entry.get("updated", "") or entry.get("published", "")
        stamp = _digest(link, str(metadata["title"]), dated, html) if html else dated
        listing.entries.append(Entry(link, stamp, html, metadata))
    return listing


def _export(root: Element) -> Listing:
    """Published posts of a WXR file; drafts, pages, attachments and password-protected posts are counted."""
    channel = root.find("channel")
    channel = channel if channel is not None else root
    authors = {
        _child_text(author, "author_login"): _child_text(author, "author_display_name")
        for author in _wp_children(channel, "author")
    }
    listing = Listing(EXPORT, blog=_child_text(channel, "base_blog_url") or _plain(channel, "link"))
    for item in channel.iterfind("item"):
        kind, status = _child_text(item, "post_type"), _child_text(item, "status")
        if kind != "post" or status != "publish" or _child_text(item, "post_password"):
            label = (
                "password-protected posts"
                if kind == "post" and status == "publish"
                else f"{status}s"
                if kind == "post"
                else f"{kind}s"
            )
            listing.ignored[label] = listing.ignored.get(label, 0) + 1
            continue
        link = _plain(item, "link") or _plain(item, "guid")
        html = _plain(item, f"{CONTENT_NAMESPACE}encoded")
        creator = _plain(item, f"{DC_NAMESPACE}creator")
        metadata = {
            "title": _plain(item, "title"),
            "author": authors.get(creator) or creator,
            "date": _export_date(_child_text(item, "post_date") or _plain(item, "pubDate")),
            "tags": [
                (c.text or "").strip()
                for c in item.iterfind("category")
                if (c.text or "").strip() and c.get("nicename") != "uncategorized"  # WordPress's default
            ],
            "url": link,
        }
        stamp = _digest(link, str(metadata["title"]), str(metadata["date"]), html)
        listing.entries.append(Entry(link, stamp, html, metadata))
    return listing


def _export_date(value: str) -> str:
    if not value or value.startswith("0000"):
        return ""
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        try:
            from email.utils import parsedate_to_datetime

            return parsedate_to_datetime(value).date().isoformat()
        except (TypeError, ValueError):
            return ""


def _wp_children(element: Element, name: str) -> Iterator[Element]:
    return (c for c in element if _local(c.tag) == name and _namespace(c.tag).startswith(WXR_NAMESPACE))


def _child_text(element: Element, name: str) -> str:
    return next(((c.text or "").strip() for c in _wp_children(element, name)), "")


def _plain(element: Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag: object) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\x1f")
    return digest.hexdigest()[:16]


def _gunzip(data: bytes, source: str, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unpacked:
            content = unpacked.read(max_bytes + 1)
    except (OSError, EOFError) as error:
        raise BadInputError(
            source, f"the gzipped document is damaged ({error})", "dit bestand is beschadigd"
        ) from None
    if len(content) > max_bytes:
        raise BadInputError(
            source,
            f"the unpacked document is more than the limit of {max_bytes:,} bytes",
            f"dit bestand is uitgepakt te groot; Kompas neemt tot {max_bytes:,} bytes".replace(",", "."),
        )
    return content
