"""User-facing errors: each says what was wrong and what to do about it."""

from __future__ import annotations

from pathlib import Path


class AssistantError(Exception):
    """An error whose message is meant for the user, shown without a traceback."""


class BadInputError(AssistantError):
    """A file or text that cannot become a post; nothing was written."""

    def __init__(self, source: str | Path, problem: str, dutch: str = ""):
        self.source = str(source)
        self.problem = problem
        # The same problem as the coach's page says it: in Dutch, in the page's words (no CLI options).
        self.dutch = dutch
        super().__init__(f"{self.source}: {problem}")


class FetchError(BadInputError):
    """An address that could not be fetched or read as a post, a feed or a sitemap; nothing was written."""


class NoArticleError(BadInputError):
    """A web page that holds no post: a home page, an overview, a login page."""


class PostConflictError(AssistantError):
    """A post with this slug already exists with other content."""


class PostNotFoundError(AssistantError):
    """No post with this slug."""


class EmbedderMismatchError(AssistantError):
    """The index was built with another embedder than the one configured."""


class IndexBusyError(AssistantError):
    """Another process held the index lock for too long."""


class IndexUnavailableError(AssistantError):
    """The index (a Chroma server, or the data folder) cannot be reached or read."""


class ConfigError(AssistantError):
    """A setting that cannot work, such as an embedder that is not installed."""
