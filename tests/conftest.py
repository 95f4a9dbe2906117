"""Fixtures shared by all tests: isolated settings, the bundled embedder, a helper that writes small corpora.

The engine's libraries (llama-index, Chroma) are imported by the fixtures that need them, not here: with one test
process per core, the process that only hands out tests loads this file too, and the others wait for it to start.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from assistant.config import Settings

if TYPE_CHECKING:
    from assistant.embedding_cache import CachedEmbedding
    from assistant.engine import Engine

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
SEED_TXT = Path(__file__).parent / "data" / "seed-post.txt"  # the coach's original, byte for byte
ROOT = Path(__file__).resolve().parents[1]
SEED_MD = next((ROOT / "corpus").glob("vertrouwen-*.md"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--llm-pending",
        type=Path,
        default=None,
        help="write the LLM requests the CI subset's recordings lack to this file (`make llm-pending`)",
    )


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own folder, with no API key and no ASSISTANT_* setting from outside."""
    for name in list(os.environ):
        if name.startswith(("ASSISTANT_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> CachedEmbedding:
    """The bundled model, behind one cache for the whole run: many tests index the same posts, and a text
    embedded once is not embedded again. The cache starts from the evaluation corpus's committed vectors (the seed
    post among them); cached vectors are bit-identical to the model's, so no test sees a difference."""
    from assistant.embedders import E5_SMALL, E5SmallEmbedding
    from assistant.embedding_cache import CachedEmbedding, EmbeddingCache
    from assistant.evaluation import fixture_embeddings

    cache = EmbeddingCache(tmp_path_factory.mktemp("embeddings") / "embeddings.sqlite")
    fixture_embeddings.seed(cache, fixture_embeddings.beside(ROOT / "eval" / "fixtures"))
    embedder = CachedEmbedding(E5SmallEmbedding(), cache, E5_SMALL)
    yield embedder
    embedder.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus")


@pytest.fixture
def engine(settings: Settings, embedder: CachedEmbedding) -> Engine:
    from assistant.engine import Engine

    with Engine(settings, embedder=embedder) as engine:
        yield engine


@pytest.fixture
def write_files(tmp_path: Path) -> Callable[[dict[str, str | bytes], Path | None], Path]:
    """Write ``{relative name: text or bytes}`` under a folder (default: the test's corpus) and return it."""

    def write(files: dict[str, str | bytes], root: Path | None = None) -> Path:
        root = root or tmp_path / "corpus"
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return write


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post_md(title: str, sections: dict[str, list[str]], **metadata: str) -> str:
    """A small Markdown post: ``sections`` maps headings ("" for the intro) to paragraphs."""
    front = "\n".join(f"{k}: {v}" for k, v in {"title": title, **metadata}.items())
    body = []
    for heading, paragraphs in sections.items():
        if heading:
            body.append(f"## {heading}")
        body.extend(paragraphs)
    return f"---\n{front}\n---\n\n" + "\n\n".join(body) + "\n"
