"""The Chroma connection: an embedded folder or an HTTP server, opened, closed, reopened, and its collections.

Failures to open become an ``IndexUnavailableError`` that says what to do: a refused token, an unreachable
server, or a damaged embedded folder (which ``reindex`` may set aside, kept for inspection, to start afresh).
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid

import chromadb
from chromadb.api.client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import AuthorizationError, ChromaAuthError

from assistant.config import Settings
from assistant.errors import IndexUnavailableError

log = logging.getLogger(__name__)

# What Chroma's HTTP client raises when the server answers 401 (AuthorizationError) or 403 (ChromaAuthError,
# which the token provider raises for a missing or wrong token).
AUTH_ERRORS = (AuthorizationError, ChromaAuthError)


class ChromaConnection:
    """One client on the configured Chroma, and the collections looked up through it."""

    def __init__(self, settings: Settings, embedding_name: str):
        self.settings = settings
        self.embedding_name = embedding_name
        self.client: chromadb.ClientAPI | None = None
        self._collections: dict[str, chromadb.Collection] = {}

    @property
    def on_server(self) -> bool:
        return bool(self.settings.chroma_host)

    def open(self, set_aside_broken: bool = False) -> None:
        """Connect; with ``set_aside_broken``, move a damaged embedded folder away and start an empty one."""
        try:
            self.client = self._server_client() if self.on_server else self._embedded_client()
        except Exception as error:
            self.close()
            if not self.on_server:
                # chromadb registers a folder's System before starting it, so a System that failed to start
                # (a damaged folder) stays cached and the next client for that folder would get it. This
                # forgets every cached System in the process: clients already open keep working, but one
                # opened later on the same folder gets a System of its own, which the older client's close()
                # would stop. Harmless while a process keeps one index per folder, as ours do.
                SharedSystemClient.clear_system_cache()
            if set_aside_broken and not self.on_server:
                self._set_aside_broken_folder()
                return self.open()
            raise IndexUnavailableError(self.unavailable(error)) from None

    def _server_client(self) -> chromadb.ClientAPI:
        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
        if self.settings.chroma_token:
            settings.chroma_client_auth_provider = "chromadb.auth.token_authn.TokenAuthClientProvider"
            settings.chroma_client_auth_credentials = self.settings.chroma_token.get_secret_value()
        return chromadb.HttpClient(
            host=self.settings.chroma_host, port=self.settings.chroma_port, settings=settings
        )

    def _embedded_client(self) -> chromadb.ClientAPI:
        client = chromadb.PersistentClient(
            path=str(self.settings.chroma_dir),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True),
        )
        # Opening is lazy: these two touch the database, so a damaged folder fails here and not mid-answer.
        client.heartbeat()
        client.list_collections()
        return client

    def close(self) -> None:
        """Release the client; the last embedded client on a folder stops its System, so a reopen reads afresh."""
        if self.client is not None and not self.on_server:
            with contextlib.suppress(Exception):
                self.client.close()
        self.client = None
        self._collections = {}

    def collection(self, kind: str) -> chromadb.Collection:
        """The collection, looked up once per connection (a lookup is a database or HTTP round trip)."""
        if kind not in self._collections:
            name = f"{self.settings.collection_prefix}_{kind}"
            # The posts' placeholder vectors are never searched; l2 is what existing indexes were built with.
            space = "l2" if kind == "posts" else "cosine"
            metadata = {"hnsw:space": space, "embedder": self.embedding_name}
            try:
                self._collections[kind] = self.client.get_or_create_collection(
                    name, metadata=metadata, embedding_function=None
                )
            except Exception as error:
                raise IndexUnavailableError(self.cannot_read(error)) from None
        return self._collections[kind]

    def current_metadata(self, kind: str) -> dict:
        """The collection's metadata as stored now (a looked-up collection keeps what it had at lookup)."""
        return self.client.get_collection(f"{self.settings.collection_prefix}_{kind}").metadata or {}

    def drop_collections(self, kinds: tuple[str, ...]) -> None:
        self._collections = {}
        for kind in kinds:
            with contextlib.suppress(Exception):
                self.client.delete_collection(f"{self.settings.collection_prefix}_{kind}")

    def _set_aside_broken_folder(self) -> None:
        """Move a damaged embedded index out of the way (kept for inspection) so a fresh one can be built."""
        self.close()
        broken = self.settings.chroma_dir.with_name(f"chroma.broken-{uuid.uuid4().hex[:8]}")
        if self.settings.chroma_dir.exists():
            os.replace(self.settings.chroma_dir, broken)
            log.warning("the damaged index was moved to %s", broken)

    def where(self) -> str:
        if self.on_server:
            return f"Chroma server {self.settings.chroma_host}:{self.settings.chroma_port}"
        return str(self.settings.chroma_dir)

    def unavailable(self, error: Exception) -> str:
        """Why the index cannot be opened, and what to do about it."""
        if isinstance(error, AUTH_ERRORS):
            return f"the {self.where()} refused access: check ASSISTANT_CHROMA_TOKEN"
        if self.on_server:
            return f"the {self.where()} cannot be reached ({short(error)}): is it running?"
        return (
            f"the index in {self.where()} cannot be opened ({short(error)}); the corpus is intact: "
            "run `assistant reindex` to rebuild the index from it"
        )

    def cannot_read(self, error: Exception) -> str:
        if isinstance(error, AUTH_ERRORS):
            return self.unavailable(error)
        return f"cannot read the index ({self.where()}): {short(error)}"


def short(error: Exception) -> str:
    """The first line of an error, at most 200 characters (a server's error can be a whole page)."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:200]
