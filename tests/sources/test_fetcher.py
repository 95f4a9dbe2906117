"""The fetcher's safety rules: schemes, addresses checked where the socket connects and at every redirect, the
redirect count, the deadline, the size limit while streaming; and conditional requests."""

from __future__ import annotations

import ipaddress

import pytest

from assistant.config import Settings
from assistant.errors import FetchError
from assistant.evaluation.blog_site import Answer, BlogSite
from assistant.sources.fetcher import AddressGuard, Fetcher, blocked_reason

pytestmark = pytest.mark.timeout(60)

GUARDED = Settings(allow_private_urls=False, fetch_timeout_s=2)
OPEN = Settings(allow_private_urls=True, fetch_timeout_s=1)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.1.2.3", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("10.1.2.3", "a private network address"),
        ("172.16.5.4", "a private network address"),
        ("192.168.1.1", "a private network address"),
        ("fd12:3456::1", "a private network address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("100.100.100.200", "a cloud metadata address"),
        ("169.254.1.1", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("0.0.0.0", "not a public internet address"),
        ("100.64.0.1", "not a public internet address"),
        ("224.0.0.251", "not a public internet address"),
        ("8.8.8.8", ""),
        ("2001:4860:4860::8888", ""),
    ],
)
def test_only_public_internet_addresses_are_allowed(address, reason):
    assert blocked_reason(ipaddress.ip_address(address)) == reason


def test_a_loopback_address_is_refused_before_any_connection(blog):
    with Fetcher(GUARDED) as fetcher, pytest.raises(FetchError) as refused:
        fetcher.get(blog.url("/feed/"), max_bytes=1_000_000)
    assert "127.0.0.1 is a loopback address" in refused.value.problem
    assert "intern netwerk" in refused.value.dutch
    assert blog.requests == []


def test_a_name_is_checked_by_the_address_it_resolves_to(blog):
    with Fetcher(GUARDED) as fetcher, pytest.raises(FetchError) as refused:
        fetcher.get(blog.url("/feed/").replace("127.0.0.1", "localhost"), max_bytes=1_000_000)
    assert "localhost is" in refused.value.problem
    assert "a loopback address" in refused.value.problem
    assert blog.requests == []


def test_a_redirect_to_loopback_is_refused_at_that_hop(blog_posts):
    """The blog on 127.0.0.2 is let through (as a public site would be); its redirect to 127.0.0.1 is not."""
    with BlogSite(blog_posts[:1]) as target, BlogSite(blog_posts[:1], host="127.0.0.2") as site:
        site.extra["/go"] = Answer(status=302, headers={"Location": target.url("/feed/")})
        guard = AddressGuard(allow_private=False, also_allowed=["127.0.0.2"])
        with Fetcher(GUARDED, guard=guard) as fetcher:
            assert fetcher.get(site.url("/feed/"), max_bytes=1_000_000).status == 200
            with pytest.raises(FetchError) as refused:
                fetcher.get(site.url("/go"), max_bytes=1_000_000)
    assert f"it redirects to {target.url('/feed/')}" in refused.value.problem
    assert "127.0.0.1 is a loopback address" in refused.value.problem
    assert target.requests == []


def test_redirects_are_followed_up_to_five(blog):
    for hop in range(5):  # /r0 → /r1 → … → /r5: five redirects
        blog.extra[f"/r{hop}"] = Answer(status=301, headers={"Location": f"/r{hop + 1}"})
    blog.extra["/r5"] = Answer(b"<p>aangekomen</p>")
    with Fetcher(OPEN) as fetcher:
        assert fetcher.get(blog.url("/r0"), max_bytes=1_000_000).url == blog.url("/r5")
        blog.extra["/r5"] = Answer(status=302, headers={"Location": "/feed/"})  # a sixth
        with pytest.raises(FetchError, match="more than 5 redirects"):
            fetcher.get(blog.url("/r0"), max_bytes=1_000_000)


@pytest.mark.parametrize(
    "address", ["file:///etc/passwd", "ftp://example.org/feed", "javascript:alert(1)", "//x"]
)
def test_only_http_and_https_are_fetched(address):
    with Fetcher(OPEN) as fetcher, pytest.raises(FetchError, match="only http:// and https://"):
        fetcher.get(address, max_bytes=1_000)


def test_a_redirect_to_another_scheme_is_refused(blog):
    blog.extra["/go"] = Answer(status=302, headers={"Location": "file:///etc/passwd"})
    with Fetcher(OPEN) as fetcher, pytest.raises(FetchError) as refused:
        fetcher.get(blog.url("/go"), max_bytes=1_000)
    assert "a redirect pointed to file:///etc/passwd" in refused.value.problem


@pytest.mark.parametrize("stream", [False, True], ids=["declared-length", "streamed"])
def test_a_document_over_the_size_limit_is_refused_while_reading(blog, stream):
    blog.extra["/big"] = Answer(b"<p>" + b"a" * 10_000_000 + b"</p>", stream=stream)
    with Fetcher(OPEN) as fetcher, pytest.raises(FetchError) as refused:
        fetcher.get(blog.url("/big"), max_bytes=2_000_000)
    assert refused.value.problem == (
        "the document is larger than the limit of 2,000,000 bytes (reading stopped there)"
        if stream
        else "the document is 10,000,007 bytes, more than the limit of 2,000,000"
    )


def test_a_server_that_stalls_runs_into_the_deadline(blog):
    blog.extra["/slow"] = Answer(b"<p>te laat</p>", stall_s=5)
    with Fetcher(OPEN) as fetcher, pytest.raises(FetchError) as refused:
        fetcher.get(blog.url("/slow"), max_bytes=1_000)
    assert refused.value.problem == "the server did not answer within 1 s"


def test_a_document_fetched_with_its_validators_comes_back_not_modified(blog):
    with Fetcher(OPEN) as fetcher:
        first = fetcher.get(blog.url("/feed/"), max_bytes=1_000_000)
        again = fetcher.get(blog.url("/feed/"), max_bytes=1_000_000, etag=first.etag)
        by_date = fetcher.get(blog.url("/feed/"), max_bytes=1_000_000, last_modified=first.last_modified)
    assert first.etag and first.content
    assert again.not_modified and again.content == b""
    assert by_date.not_modified


def test_an_error_status_names_the_status(blog):
    with Fetcher(OPEN) as fetcher, pytest.raises(FetchError) as refused:
        fetcher.get(blog.url("/bestaat-niet/"), max_bytes=1_000)
    assert refused.value.problem == "the server answered 404 Not Found"
    assert "bestaat niet" in refused.value.dutch
