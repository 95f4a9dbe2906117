"""``sync_blog``: a feed, a sitemap or an export brought into the corpus and the index, and kept current with as
little fetching as the server allows."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.corpus.model import Section, slugify
from assistant.errors import BadInputError
from assistant.evaluation.blog_site import Answer, wordpress_export
from assistant.sources.memory import SyncMemory
from assistant.sources.sync import followed, sync_blog

pytestmark = pytest.mark.timeout(180)


def sync(engine, source, **options):
    return sync_blog(engine.settings, source, lambda: engine, **options)


def outcomes(report) -> dict[str, str]:
    return {item.url.rsplit("/blog/", 1)[-1].strip("/"): item.outcome for item in report.items}


def corpus_files(engine) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(engine.settings.corpus_dir.glob("*.md"))}


def test_a_feed_adds_its_posts_and_a_second_run_adds_and_fetches_nothing(web_engine, blog, blog_posts):
    first = sync(web_engine, blog.url("/feed/"))
    assert first.counts == {"added": 3, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    assert sorted(p.slug for p in web_engine.posts()) == sorted(i.slug for i in first.items)
    assert blog.fetched("/blog/") == []  # the feed carries the posts' full text: no page fetched

    blog.requests.clear()
    second = sync(web_engine, blog.url("/feed/"))
    assert second.counts["unchanged"] == 3 and second.counts["added"] == 0
    assert second.not_modified
    assert blog.requests == [("GET", "/feed/", 304)]


def test_posts_keep_the_feeds_metadata_and_address(web_engine, blog, blog_posts):
    sync(web_engine, blog.url("/feed/"))
    post = web_engine.corpus.load(web_engine.corpus.find(sync(web_engine, blog.url("/feed/")).items[0].slug))
    assert post.url == blog.url(f"/blog/{blog_posts[0].slug}/")
    assert post.date == blog_posts[0].date
    assert post.sections == blog_posts[0].sections


def test_a_feed_without_full_text_fetches_each_page_once(web_engine, blog):
    first = sync(web_engine, blog.url("/feed/summary/"))
    assert first.counts["added"] == 3
    assert len(blog.fetched("/blog/")) == 3

    blog.requests.clear()
    sync(web_engine, blog.url("/feed/summary/"))
    assert blog.requests == [("GET", "/feed/summary/", 304)]


def test_a_sitemap_is_synced_and_a_second_run_fetches_no_page(web_engine, blog):
    assert sync(web_engine, blog.url("/sitemap.xml")).counts["added"] == 3
    blog.requests.clear()
    second = sync(web_engine, blog.url("/sitemap.xml"))
    assert second.counts["unchanged"] == 3
    assert blog.requests == [("GET", "/sitemap.xml", 304)]


def test_a_changed_post_is_updated_and_the_others_are_unchanged(web_engine, blog, blog_posts):
    sync(web_engine, blog.url("/feed/"))
    changed = blog_posts[1]
    blog.posts[1] = dataclasses.replace(
        changed, sections=(*changed.sections, Section("Naschrift", ("Een alinea die er later bij kwam.",)))
    )
    report = sync(web_engine, blog.url("/feed/"))
    assert outcomes(report) == {
        blog_posts[0].slug: "unchanged",
        changed.slug: "updated",
        blog_posts[2].slug: "unchanged",
    }
    [record] = [p for p in web_engine.posts() if p.url.endswith(f"/{changed.slug}/")]
    assert record.sections == len(changed.sections) + 1


def test_posts_that_leave_the_feed_stay(web_engine, blog):
    sync(web_engine, blog.url("/feed/"))
    del blog.posts[0]
    report = sync(web_engine, blog.url("/feed/"))
    assert report.counts["unchanged"] == 2
    assert len(web_engine.posts()) == 3


def test_prune_lists_then_removes_the_posts_that_left_the_sitemap(web_engine, blog, blog_posts):
    sync(web_engine, blog.url("/sitemap.xml"))
    gone = blog.posts.pop(0)
    shown = []
    report = sync(
        web_engine,
        blog.url("/sitemap.xml"),
        prune=True,
        confirm_prune=lambda items: shown.extend(items) or True,
    )
    assert [item.url for item in shown] == [blog.url(f"/blog/{gone.slug}/")]
    assert report.counts["removed"] == 1
    assert len(web_engine.posts()) == 2
    assert len(corpus_files(web_engine)) == 2


def test_prune_keeps_the_posts_when_not_confirmed(web_engine, blog):
    sync(web_engine, blog.url("/sitemap.xml"))
    blog.posts.pop(0)
    sync(web_engine, blog.url("/sitemap.xml"), prune=True, confirm_prune=lambda items: False)
    assert len(web_engine.posts()) == 3


def test_prune_is_refused_for_a_feed(web_engine, blog):
    with pytest.raises(BadInputError, match="--prune works with a sitemap or an export"):
        sync(web_engine, blog.url("/feed/"), prune=True)
    assert corpus_files(web_engine) == {}


def test_an_export_imports_its_published_posts_without_fetching(web_engine, blog_posts, tmp_path):
    export = tmp_path / "onderwijskapitein.WordPress.xml"
    export.write_text(
        wordpress_export(blog_posts[:2], "https://www.onderwijskapitein.nl", drafts=blog_posts[2:3]),
        encoding="utf-8",
    )
    settings = web_engine.settings.model_copy(update={"allow_private_urls": False})  # nothing may be fetched
    report = sync_blog(settings, str(export), lambda: web_engine)
    assert report.counts["added"] == 2
    assert report.ignored == {"drafts": 1}
    assert {p.author for p in web_engine.posts()} == {"René Rensen"}
    assert sync_blog(settings, str(export), lambda: web_engine).counts["unchanged"] == 2


def test_a_failing_post_is_reported_and_leaves_nothing_while_the_others_are_added(web_engine, blog):
    blog.extra["/sitemap.xml"] = Answer(
        (
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{blog.url(f'/blog/{p.slug}/')}</loc></url>" for p in blog.posts)
            + f"<url><loc>{blog.url('/weg/')}</loc></url><url><loc>{blog.url('/over/')}</loc></url></urlset>"
        ).encode(),
        content_type="application/xml",
    )
    blog.extra["/over/"] = Answer(b"<html><body><nav>Home Blog Over</nav><h1>Over mij</h1></body></html>")
    report = sync(web_engine, blog.url("/sitemap.xml"))
    assert report.counts == {"added": 3, "updated": 0, "unchanged": 0, "skipped": 1, "failed": 1}
    [failed] = report.failed
    assert failed.url == blog.url("/weg/") and failed.reason == "the server answered 404 Not Found"
    assert len(corpus_files(web_engine)) == 3

    blog.requests.clear()
    again = sync(web_engine, blog.url("/sitemap.xml"))
    assert again.counts["skipped"] == 1  # the page without a post is asked for conditionally, not read again
    assert ("GET", "/over/", 304) in blog.requests


def test_a_post_already_in_the_corpus_under_its_address_is_updated_not_duplicated(
    web_engine, blog, blog_posts
):
    original = blog_posts[0]
    earlier = dataclasses.replace(
        original, slug="mijn-eigen-naam", title="Mijn eigen titel", url=blog.url(f"/blog/{original.slug}/")
    )
    web_engine.add_post(earlier)
    report = sync(web_engine, blog.url("/feed/"))
    assert outcomes(report)[original.slug] == "updated"
    assert report.items[0].slug == "mijn-eigen-naam"  # the file keeps its name; the title is the blog's again
    assert len(web_engine.posts()) == 3
    assert web_engine.corpus.load(web_engine.corpus.find("mijn-eigen-naam")).title == original.title


def test_a_post_of_the_same_title_from_another_address_is_not_overwritten(web_engine, blog, blog_posts):
    other = dataclasses.replace(  # the slug the blog's post would get: its title's
        blog_posts[0],
        slug=slugify(blog_posts[0].title),
        url="https://elders.example/blog/",
        sections=blog_posts[1].sections,
    )
    web_engine.add_post(other)
    before = corpus_files(web_engine)
    report = sync(web_engine, blog.url("/feed/"))
    failed = report.failed[0]
    assert failed.url == blog.url(f"/blog/{blog_posts[0].slug}/")
    assert "another post with this title" in failed.reason
    assert corpus_files(web_engine)[f"{other.slug}.md"] == before[f"{other.slug}.md"]


def test_the_followed_blog_and_its_last_run_are_remembered(web_engine, blog):
    sync(web_engine, blog.url("/feed/"), follow=True)
    source, run = followed(web_engine.settings)
    assert source == blog.url("/feed/")
    assert run.counts["added"] == 3 and run.at and not run.error


def test_a_source_that_cannot_be_read_is_remembered_as_the_last_run(web_engine, blog):
    with pytest.raises(BadInputError):
        sync(web_engine, blog.url("/nergens.xml"), follow=True)
    _, run = followed(web_engine.settings)
    assert run.error.endswith("the server answered 404 Not Found")
    assert "bestaat niet" in run.error_dutch


def test_a_damaged_memory_only_means_fetching_once_more(web_engine, blog):
    sync(web_engine, blog.url("/feed/"))
    (web_engine.settings.data_dir / "sources.json").write_text("{kapot", encoding="utf-8")
    report = sync(web_engine, blog.url("/feed/"))
    assert report.counts["unchanged"] == 3
    assert SyncMemory.load(web_engine.settings.data_dir).documents  # written afresh
