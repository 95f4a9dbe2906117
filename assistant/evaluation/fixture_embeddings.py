"""The evaluation corpus's passage vectors, committed beside the fixtures, so a fresh machine embeds none of them.

``eval/fixture-embeddings.npz`` holds float32 vectors keyed like the embedding cache (a hash of the embedder's name
and the exact text), so every machine evaluates with the same vectors and figures do not move. The embedder's own
vectors differ in the last digits with how texts are batched (up to 0.004 here), so rewriting the file can move a
figure by a case and change the recorded LLM requests (``eval/recordings``): re-measure after a rewrite. A text
that changed since the file was written has another key: it is not found and is embedded as before.
Rewrite the file after a change to the posts or the chunker (``make eval-embeddings``):

    python -m assistant.evaluation.fixture_embeddings            # corpus/ + eval/fixtures -> eval/fixture-embeddings.npz
"""

from __future__ import annotations

import io
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.embedding_cache import EmbeddingCache

FILE_NAME = "fixture-embeddings.npz"
KEY_BYTES = 32  # a sha256 digest: the cache's hex keys are stored as raw bytes, half the size


def beside(fixtures_dir: Path) -> Path:
    """Where the committed vectors of a fixtures folder live: next to it."""
    return fixtures_dir.parent / FILE_NAME


def read(path: Path) -> dict[str, np.ndarray]:
    """The committed vectors by cache key; empty when there is no file."""
    if not path.is_file():
        return {}
    with np.load(path) as stored:
        keys, vectors = stored["keys"], stored["vectors"]
    return {key.tobytes().hex(): vector for key, vector in zip(keys, vectors, strict=True)}


def seed(cache: EmbeddingCache, path: Path) -> int:
    """Copy into ``cache`` the committed vectors it lacks; return how many were copied."""
    committed = read(path)
    if not committed:
        return 0
    present = cache.get_many(list(committed))
    missing = {key: vector for key, vector in committed.items() if key not in present}
    if missing:
        cache.put_many(missing)
    return len(missing)


def write(vectors: dict[str, list[float]], path: Path) -> None:
    """Store ``vectors`` (cache key -> vector) compressed, in key order and with fixed zip dates, so the same
    vectors always give the same bytes and a rewrite without changes leaves git nothing to commit."""
    keys = sorted(vectors)
    arrays = {
        "keys": np.frombuffer(b"".join(bytes.fromhex(k) for k in keys), dtype=np.uint8).reshape(
            -1, KEY_BYTES
        ),
        "vectors": np.asarray([vectors[k] for k in keys], dtype=np.float32),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, array, allow_pickle=False)
            archive.writestr(
                zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), buffer.getvalue()
            )


def refresh(settings: Settings, fixtures_dir: Path, out: Path | None = None) -> int:
    """Embed the evaluation corpus afresh (our index and the baseline's) and write every vector to ``out``.

    A fresh cache, so the file holds exactly the texts of today's posts and chunker. Returns the vector count.
    """
    from assistant.evaluation.baseline import BaselinePipeline
    from assistant.evaluation.runner import BASELINE, EMBEDDINGS, corpus_files, indexed_corpus

    with tempfile.TemporaryDirectory(prefix="kompas-fixture-embeddings-") as folder:
        cache_root = Path(folder)
        files = corpus_files(settings, fixtures_dir)
        with indexed_corpus(settings, files, cache_root) as (engine, _, workdir):
            posts = list(engine.corpus.scan().posts.values())
            BaselinePipeline(posts, engine.embedder, persist_dir=workdir / BASELINE)
        cache = EmbeddingCache(cache_root / EMBEDDINGS)
        try:
            keys = cache.keys()
            vectors = cache.get_many(keys)
        finally:
            cache.close()
    write(vectors, out or beside(fixtures_dir))
    return len(vectors)


if __name__ == "__main__":
    fixtures = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("eval/fixtures")
    count = refresh(Settings(), fixtures)
    size = beside(fixtures).stat().st_size
    print(f"{count} vectors written to {beside(fixtures)} ({size / 1e6:.1f} MB)")
