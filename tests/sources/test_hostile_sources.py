"""``assistant add URL`` and ``assistant sync`` as the coach runs them, against a blog that misbehaves: each
hostile answer ends in one line on stderr, exit code 1, and a corpus and index exactly as they were."""

from __future__ import annotations

import pytest
from command_line import corpus_and_index, run_on, stderr_lines
from conftest import post_md

from assistant.config import Settings
from assistant.corpus.model import Post, Section
from assistant.evaluation.blog_site import Answer, BlogSite, article_page

pytestmark = pytest.mark.timeout(180)

KORT = Post(
    slug="kort",
    title="Kort maar krachtig leiderschap",
    sections=(
        Section(
            "",
            (
                "Een schoolleider die luistert, bouwt vertrouwen. Dat begint bij een open vraag aan het begin "
                "van elke teamvergadering, en bij de tijd om het antwoord echt te horen.",
                "Vertrouwen groeit in kleine momenten: een afspraak die je nakomt, een fout die je toegeeft, een "
                "collega die je bedankt voor wat niemand zag.",
            ),
        ),
    ),
    author="René Rensen",
    date="2024-09-01",
)
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>'
    b'<rss version="2.0"><channel><title>&f;</title><item><title>&f;</title><link>http://x/</link></item>'
    b"</channel></rss>"
)
OPEN = {"ASSISTANT_ALLOW_PRIVATE_URLS": "true", "ASSISTANT_FETCH_TIMEOUT_S": "1"}

# (command, path on the blog, its answer, environment, what the one line says)
HOSTILE = [
    pytest.param(
        "sync", "/lol.xml", Answer(BILLION_LAUGHS, content_type="application/rss+xml"), OPEN,
        "the document declares XML entities or external references (EntitiesForbidden)", id="billion-laughs-feed",
    ),
    pytest.param(
        "add", "/feed/", None, {},
        "refused: 127.0.0.1 is a loopback address", id="loopback-with-the-guard-on",
    ),
    pytest.param(
        "add", "/groot", Answer(b"<p>" + b"a" * 10_000_000 + b"</p>", stream=True), OPEN,
        "the document is larger than the limit of 2,000,000 bytes (reading stopped there)", id="10-MB-page",
    ),
    pytest.param(
        "add", "/traag", Answer(b"<p>eindelijk</p>", stall_s=4), OPEN,
        "the server did not answer within 1 s", id="stalled-server",
    ),
    pytest.param(
        "add", "/latin", Answer("<p>Één café</p>".encode("latin-1") * 40, content_type="text/html"), OPEN,
        "the page is not UTF-8 and its server names no other encoding", id="not-utf8",
    ),
    pytest.param(
        "add", "/", Answer(b"<html><body><nav><a href='/blog/'>Blog</a></nav><h1>Welkom</h1></body></html>"), OPEN,
        "no article text on this page", id="no-article",
    ),
]  # fmt: skip


@pytest.fixture
def indexed(engine, write_files) -> Settings:
    write_files(
        {"team.md": post_md("Vertrouwen in het team", {"": ["Vertrouwen groeit in kleine momenten."]})}
    )
    engine.ingest()
    engine.close()
    return engine.settings


@pytest.mark.parametrize(("command", "path", "answer", "env", "problem"), HOSTILE)
def test_a_hostile_blog_gets_one_line_and_changes_nothing(indexed, blog, command, path, answer, env, problem):
    if answer is not None:
        blog.extra[path] = answer
    before = corpus_and_index(indexed)

    result = run_on(indexed, command, blog.url(path), env=env)

    assert result.exit_code == 1
    [line] = stderr_lines(result)
    assert line.startswith(f"error: {blog.url(path)}: {problem}"), line
    assert corpus_and_index(indexed) == before


def test_add_by_address_writes_the_page_with_its_canonical_address(indexed, blog_posts):
    with BlogSite([KORT]) as blog:
        result = run_on(indexed, "add", blog.url("/blog/kort/"), env=OPEN)
        page = article_page(KORT, blog.base)
    assert result.exit_code == 0, result.stderr
    assert "added kort-maar-krachtig-leiderschap" in result.stdout
    written = (indexed.corpus_dir / "kort-maar-krachtig-leiderschap.md").read_text(encoding="utf-8")
    assert f"url: {blog.url('/blog/kort/')}" in written
    assert "author: René Rensen" in written and "date: '2024-09-01'" in written
    assert "Nieuwsbrief" in page and "Nieuwsbrief" not in written  # the page's sidebar is not the post


def test_sync_prints_each_post_and_a_summary_and_follows_the_blog(indexed, blog):
    unfollowed = run_on(indexed, "sync", env=OPEN)
    assert unfollowed.exit_code == 1
    assert "no blog is followed" in unfollowed.stderr

    result = run_on(indexed, "sync", blog.url("/sitemap.xml"), "--follow", env=OPEN)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"following {blog.url('/sitemap.xml')}: `assistant sync` syncs it from now on"
    assert [line.split()[0] for line in lines[1:4]] == ["added"] * 3
    assert lines[-1].startswith("3 added, 0 updated, 0 unchanged, 0 skipped, 0 failed in ")

    again = run_on(indexed, "sync", "--quiet", env=OPEN)  # the followed blog
    assert again.exit_code == 0, again.stderr
    assert again.stdout.splitlines() == [again.stdout.splitlines()[-1]]  # quiet: only the summary
    assert again.stdout.startswith("0 added, 0 updated, 3 unchanged")
