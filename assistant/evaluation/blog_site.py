"""A stand-in for the coach's blog on loopback: posts as article pages, an RSS feed, a sitemap, a WordPress export.

The tests and ``assistant bench --sync`` fetch from it as from a real WordPress site: pages with navigation,
metadata (title, date, author, canonical URL) and footer; the feed with the posts' full HTML; the sitemap with
lastmod; ETag and Last-Modified answered with 304. Every request is logged, so a test can count what a sync
fetched. ``extra`` serves any other answer a test needs (a redirect, a stall, a hostile document).

    with BlogSite(posts) as site:
        site.url("/feed/")           # http://127.0.0.1:PORT/feed/
        site.requests                # [("GET", "/feed/", 200), ...]
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from assistant.corpus.model import Post

MODIFIED = "Tue, 01 Oct 2024 08:00:00 GMT"
BLOG_TITLE = "De Onderwijskapitein"


@dataclass
class Answer:
    """One answer the site gives: status, headers, body; ``stall_s`` waits before answering (a stalled server)."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    stall_s: float = 0.0
    stream: bool = False  # no Content-Length: the body is written in pieces until the client stops reading
    validators: bool = True  # send ETag and Last-Modified, and answer 304 to a request that carries them


def post_path(post: Post) -> str:
    return f"/blog/{post.slug}/"


def post_body_html(post: Post) -> str:
    """The post's text as WordPress would store it: paragraphs and ``<h2>`` headings (no title)."""
    parts = []
    for section in post.sections:
        if section.heading:
            parts.append(f"<h2>{html.escape(section.heading)}</h2>")
        parts += [f"<p>{html.escape(p)}</p>" for p in section.paragraphs]
    return "\n".join(parts)


def article_page(post: Post, base: str, metadata: bool = True) -> str:
    """A full blog page around the post: menu, header, the article, a sidebar and a footer."""
    head = f"<title>{html.escape(post.title)} – {BLOG_TITLE}</title>"
    if metadata:
        head += (
            f'<link rel="canonical" href="{base}{post_path(post)}">'
            f'<meta property="og:title" content="{html.escape(post.title)}">'
            f'<meta property="og:type" content="article">'
            f'<meta name="author" content="{html.escape(post.author or "René Rensen")}">'
            + (
                f'<meta property="article:published_time" content="{post.date}T08:00:00+01:00">'
                if post.date
                else ""
            )
        )
    menu = "".join(f'<li><a href="/{w.lower()}/">{w}</a></li>' for w in ("Home", "Blog", "Over", "Contact"))
    return (
        f'<!doctype html><html lang="nl"><head><meta charset="utf-8">{head}</head><body>'
        f"<header><nav><ul>{menu}</ul></nav></header>"
        f'<main><article><h1 class="entry-title">{html.escape(post.title)}</h1>'
        f'<div class="entry-content">{post_body_html(post)}</div></article>'
        "<aside><h3>Nieuwsbrief</h3><p>Schrijf je in voor de nieuwsbrief.</p></aside></main>"
        f"<footer><p>© {BLOG_TITLE} · Privacy · Cookies</p></footer></body></html>"
    )


def rss_feed(posts: list[Post], base: str, full_text: bool = True) -> str:
    items = []
    for post in posts:
        link = f"{base}{post_path(post)}"
        content = (
            f"<content:encoded><![CDATA[{post_body_html(post)}]]></content:encoded>" if full_text else ""
        )
        items.append(
            f"<item><title>{html.escape(post.title)}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{_rfc822(post.date)}</pubDate><dc:creator>{html.escape(post.author)}</dc:creator>"
            f"<description>{html.escape(post.sections[0].paragraphs[0][:200])}</description>{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>{BLOG_TITLE}</title><link>{base}/</link><description>Blog</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def sitemap(posts: list[Post], base: str, extra_paths: tuple[str, ...] = ()) -> str:
    urls = [
        f"<url><loc>{base}{post_path(p)}</loc><lastmod>{p.date or '2024-10-01'}</lastmod></url>"
        for p in posts
    ]
    urls += [f"<url><loc>{base}{path}</loc></url>" for path in extra_paths]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + "".join(urls) + "</urlset>"
    )


def wordpress_export(posts: list[Post], base: str, drafts: list[Post] = (), pages: list[Post] = ()) -> str:
    """A WXR 1.2 file as WordPress's Tools → Export writes it: published posts, and drafts and pages beside them."""

    def item(post: Post, status: str, kind: str) -> str:
        categories = "".join(
            f'<category domain="post_tag" nicename="{t}"><![CDATA[{t}]]></category>' for t in post.tags
        )
        return (
            f"<item><title>{html.escape(post.title)}</title><link>{base}{post_path(post)}</link>"
            f"<pubDate>{_rfc822(post.date)}</pubDate><dc:creator><![CDATA[rene]]></dc:creator>"
            f'<guid isPermaLink="false">{base}/?p={abs(hash(post.slug)) % 10000}</guid><description></description>'
            f"<content:encoded><![CDATA[{post_body_html(post)}]]></content:encoded>"
            f"<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
            f"<wp:post_date><![CDATA[{post.date or '0000-00-00'} 09:00:00]]></wp:post_date>"
            f"<wp:post_name><![CDATA[{post.slug}]]></wp:post_name>"
            f"<wp:status><![CDATA[{status}]]></wp:status><wp:post_type><![CDATA[{kind}]]></wp:post_type>"
            f"<wp:post_password><![CDATA[]]></wp:post_password>"
            f'<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>'
            f"{categories}</item>"
        )

    items = [item(p, "publish", "post") for p in posts]
    items += [item(p, "draft", "post") for p in drafts] + [item(p, "publish", "page") for p in pages]
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
        f"<channel><title>{BLOG_TITLE}</title><link>{base}</link><wp:wxr_version>1.2</wp:wxr_version>"
        f"<wp:base_site_url>{base}</wp:base_site_url><wp:base_blog_url>{base}</wp:base_blog_url>"
        "<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[rene]]></wp:author_login>"
        "<wp:author_display_name><![CDATA[René Rensen]]></wp:author_display_name></wp:author>"
        + "".join(items)
        + "</channel></rss>"
    )


def _rfc822(day: str) -> str:
    return email.utils.format_datetime(dt.datetime.fromisoformat(f"{day or '2024-10-01'}T08:00:00+00:00"))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a stalled answer must not hold up the end of a test

    def handle_error(self, request, client_address) -> None:
        if not isinstance(
            sys.exc_info()[1], ConnectionError | TimeoutError
        ):  # a client that gave up is normal
            super().handle_error(request, client_address)


class BlogSite:
    """The blog on ``127.0.0.1`` (a free port) in a thread; a context manager that stops it."""

    def __init__(self, posts: list[Post], host: str = "127.0.0.1", port: int = 0):
        self.posts = list(posts)
        self.extra: dict[str, Answer | Callable[[], Answer]] = {}
        self.requests: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        self._server = _Server((host, port), self._handler())
        self.base = f"http://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def __enter__(self) -> BlogSite:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fetched(self, prefix: str = "/") -> list[str]:
        """The paths asked for (that start with ``prefix``) and answered with content (not 304)."""
        with self._lock:
            return [path for _, path, status in self.requests if path.startswith(prefix) and status != 304]

    def answer(self, path: str) -> Answer | None:
        if path in self.extra:
            found = self.extra[path]
            return found() if callable(found) else found
        by_path = {post_path(p): p for p in self.posts}
        if path in by_path:
            return Answer(article_page(by_path[path], self.base).encode())
        if path.startswith("/plain") and path.removeprefix("/plain") in by_path:
            return Answer(
                article_page(by_path[path.removeprefix("/plain")], self.base, metadata=False).encode()
            )
        xml = "application/rss+xml; charset=utf-8"
        if path == "/feed/":
            return Answer(rss_feed(self.posts, self.base).encode(), content_type=xml)
        if path == "/feed/summary/":
            return Answer(rss_feed(self.posts, self.base, full_text=False).encode(), content_type=xml)
        if path == "/sitemap.xml":
            return Answer(sitemap(self.posts, self.base).encode(), content_type="application/xml")
        if path == "/":
            home = f'<link rel="alternate" type="application/rss+xml" href="{self.base}/feed/">'
            return Answer(f"<html><head>{home}</head><body><h1>{BLOG_TITLE}</h1></body></html>".encode())
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                answer = site.answer(self.path.split("?", 1)[0])
                if answer is None:
                    answer = Answer(b"<html><body><p>Niet gevonden</p></body></html>", status=404)
                if answer.stall_s:
                    time.sleep(answer.stall_s)
                status, headers = answer.status, dict(answer.headers)
                if answer.validators and status == 200:
                    etag = '"' + hashlib.sha256(answer.body).hexdigest()[:16] + '"'
                    headers |= {"ETag": etag, "Last-Modified": MODIFIED}
                    if self.headers.get("If-None-Match") == etag or (
                        not self.headers.get("If-None-Match")
                        and self.headers.get("If-Modified-Since") == MODIFIED
                    ):
                        status = 304
                with site._lock:
                    site.requests.append(("GET", self.path, status))
                body = answer.body if status == 200 or status >= 400 else b""
                try:
                    self.send_response(status)
                    if body or status == 200:
                        self.send_header("Content-Type", answer.content_type)
                    if answer.stream:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    else:
                        self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    for start in range(0, len(body), 65536):
                        self.wfile.write(body[start : start + 65536])
                except (
                    BrokenPipeError,
                    ConnectionResetError,
                ):  # the client gave up (a size limit, a timeout)
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
