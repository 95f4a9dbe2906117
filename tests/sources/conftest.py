"""Fixtures for posts from the web: the evaluation's posts, a local blog serving them, settings that may reach it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from assistant.config import Settings
from assistant.corpus.loaders import load_post
from assistant.corpus.model import Post
from assistant.engine import Engine
from assistant.evaluation.blog_site import BlogSite

FIXTURES = ROOT / "eval" / "fixtures"


@pytest.fixture(scope="session")
def blog_posts() -> list[Post]:
    """The evaluation's posts, as the blog publishes them."""
    return [load_post(path, slug=path.stem) for path in sorted(FIXTURES.glob("*.md"))]


@pytest.fixture
def blog(blog_posts: list[Post]) -> Iterator[BlogSite]:
    """Three of the posts on a local blog (the embedding cache holds their vectors: indexing them is quick)."""
    with BlogSite(blog_posts[:3]) as site:
        yield site


@pytest.fixture
def open_settings(tmp_path: Path) -> Settings:
    """The test's folders, with fetching from loopback allowed (the local blog) and a short fetch deadline."""
    return Settings(
        data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus", allow_private_urls=True, fetch_timeout_s=2
    )


@pytest.fixture
def web_engine(open_settings: Settings, embedder) -> Iterator[Engine]:
    with Engine(open_settings, embedder=embedder) as engine:
        yield engine
