"""What feeds, sitemaps and WordPress exports list, read without XML entity expansion."""

from __future__ import annotations

import gzip

import pytest

from assistant.errors import BadInputError
from assistant.evaluation.blog_site import rss_feed, sitemap, wordpress_export
from assistant.sources.listings import EXPORT, FEED, SITEMAP, feed_links, read_listing
from assistant.sources.pages import post_from_html

BASE = "https://www.onderwijskapitein.nl"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://example.org/a</link></item></channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&secret;</loc></url></urlset>"""


def test_a_billion_laughs_feed_is_refused_unexpanded():
    with pytest.raises(BadInputError) as refused:
        read_listing(BILLION_LAUGHS, "lol.xml")
    assert "declares XML entities" in refused.value.problem


def test_an_external_entity_is_refused():
    with pytest.raises(BadInputError, match="declares XML entities or external references"):
        read_listing(EXTERNAL_ENTITY, "sitemap.xml")


def test_a_feed_lists_its_posts_with_their_full_text(blog_posts):
    listing = read_listing(rss_feed(blog_posts[:3], BASE).encode(), "feed")
    assert listing.kind == FEED
    assert [e.url for e in listing.entries] == [f"{BASE}/blog/{p.slug}/" for p in blog_posts[:3]]
    first = listing.entries[0]
    assert first.metadata["title"] == blog_posts[0].title
    assert first.metadata["date"] == blog_posts[0].date
    post = post_from_html(first.html, first.url, first.metadata)
    assert post.sections == blog_posts[0].sections


def test_a_feed_without_full_text_lists_addresses_to_fetch(blog_posts):
    listing = read_listing(rss_feed(blog_posts[:2], BASE, full_text=False).encode(), "feed")
    assert [e.html for e in listing.entries] == ["", ""]
    assert all(e.stamp for e in listing.entries)  # the entry's date: unchanged, it is not fetched again


def test_a_sitemap_lists_addresses_with_lastmod(blog_posts):
    listing = read_listing(sitemap(blog_posts[:2], BASE, extra_paths=("/over/",)).encode(), "sitemap.xml")
    assert listing.kind == SITEMAP
    assert [(e.url, e.stamp) for e in listing.entries] == [
        (f"{BASE}/blog/{blog_posts[0].slug}/", blog_posts[0].date),
        (f"{BASE}/blog/{blog_posts[1].slug}/", blog_posts[1].date),
        (f"{BASE}/over/", ""),
    ]


def test_a_sitemap_index_lists_its_sitemaps_and_may_be_gzipped():
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{BASE}/post-sitemap.xml</loc></sitemap></sitemapindex>"
    )
    listing = read_listing(gzip.compress(index.encode()), "sitemap.xml.gz")
    assert listing.sitemaps == [f"{BASE}/post-sitemap.xml"]
    assert listing.entries == []


def test_an_export_lists_only_published_posts(blog_posts):
    export = wordpress_export(blog_posts[:3], BASE, drafts=blog_posts[3:5], pages=blog_posts[5:6])
    listing = read_listing(export.encode(), "export.xml")
    assert listing.kind == EXPORT
    assert listing.blog == BASE
    assert len(listing.entries) == 3
    assert listing.ignored == {"drafts": 2, "pages": 1}
    entry = listing.entries[0]
    assert entry.metadata["author"] == "René Rensen"  # the display name, not the login
    assert entry.metadata["tags"] == list(blog_posts[0].tags)  # "Uncategorized" left out
    assert post_from_html(entry.html, entry.url, entry.metadata).sections == blog_posts[0].sections


def test_a_classic_editor_post_without_paragraph_tags_keeps_its_paragraphs():
    html = "Eerste alinea over vertrouwen in het team.\n\nTweede alinea,\nmet een harde regel.\n\n<h2>Kopje</h2>\n\nDerde."
    post = post_from_html(html, "export.xml", {"title": "Klassiek", "url": f"{BASE}/klassiek/"})
    assert [s.heading for s in post.sections] == ["", "Kopje"]
    assert post.sections[0].paragraphs == (
        "Eerste alinea over vertrouwen in het team.",
        "Tweede alinea, met een harde regel.",
    )


def test_a_web_page_is_not_a_listing_but_may_announce_its_feed():
    page = (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed/"></head>'
        b"<body><p>Welkom</p></body></html>"
    )
    with pytest.raises(BadInputError) as refused:
        read_listing(page, BASE)
    assert "not an RSS or Atom feed, a sitemap or a WordPress export" in refused.value.problem
    assert feed_links(page, f"{BASE}/") == [f"{BASE}/feed/"]
