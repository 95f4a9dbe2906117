"""A fetched page read as a post: its article, metadata and canonical address; what is refused and why."""

from __future__ import annotations

import pytest

from assistant.errors import FetchError, NoArticleError
from assistant.evaluation.blog_site import Answer
from assistant.sources.fetcher import Fetcher
from assistant.sources.pages import fetch_post

pytestmark = pytest.mark.timeout(60)


def test_a_page_with_metadata_gives_title_date_author_and_canonical_address(blog, blog_posts, open_settings):
    expected = blog_posts[0]
    with Fetcher(open_settings) as fetcher:
        post = fetch_post(fetcher, open_settings, blog.url(f"/blog/{expected.slug}/"))
    assert post.title == expected.title
    assert post.date == expected.date
    assert post.author == expected.author
    assert post.url == blog.url(f"/blog/{expected.slug}/")  # the page's canonical link
    assert post.sections == expected.sections  # menu, sidebar and footer left out


def test_a_page_without_metadata_keeps_the_address_it_came_from(blog, blog_posts, open_settings):
    expected = blog_posts[1]
    address = blog.url(f"/plain/blog/{expected.slug}/")
    with Fetcher(open_settings) as fetcher:
        post = fetch_post(fetcher, open_settings, address)
    assert post.title == expected.title  # from the page's heading
    assert post.url == address
    assert post.date == ""


def test_a_page_without_an_article_is_refused_in_the_coachs_words(blog, open_settings):
    blog.extra["/"] = Answer(b"<html><body><nav><a href='/blog/'>Blog</a></nav><h1>Welkom</h1></body></html>")
    with Fetcher(open_settings) as fetcher, pytest.raises(NoArticleError) as refused:
        fetch_post(fetcher, open_settings, blog.url("/"))
    assert refused.value.problem.startswith("no article text on this page")
    assert refused.value.dutch.startswith("op deze pagina staat geen blogtekst")


def test_bytes_that_are_not_utf8_are_refused_not_guessed(blog, open_settings):
    blog.extra["/latin"] = Answer("<p>Één café</p>".encode("latin-1") * 50, content_type="text/html")
    with Fetcher(open_settings) as fetcher, pytest.raises(FetchError) as refused:
        fetch_post(fetcher, open_settings, blog.url("/latin"))
    assert refused.value.problem.startswith("the page is not UTF-8 and its server names no other encoding")


def test_a_page_in_the_encoding_its_server_names_is_read(blog, blog_posts, open_settings):
    from assistant.evaluation.blog_site import article_page

    page = article_page(blog_posts[0], blog.base).replace('<meta charset="utf-8">', "")
    blog.extra["/cp1252"] = Answer(
        page.encode("cp1252", "replace"), content_type="text/html; charset=windows-1252"
    )
    with Fetcher(open_settings) as fetcher:
        post = fetch_post(fetcher, open_settings, blog.url("/cp1252"))
    assert post.title == blog_posts[0].title


def test_a_document_that_is_not_a_web_page_is_refused(blog, open_settings):
    blog.extra["/boek.pdf"] = Answer(b"%PDF-1.7", content_type="application/pdf")
    with (
        Fetcher(open_settings) as fetcher,
        pytest.raises(FetchError, match="not a web page but application/pdf"),
    ):
        fetch_post(fetcher, open_settings, blog.url("/boek.pdf"))
