"""Blogs of every size, drawn from the evaluation's posts: which posts each corpus holds, and which cases it asks.

A blog starts with one post and grows. To measure (and calibrate) what happens at every size, each size of
``SIZES`` gets corpora of its own. Every post that answerable cases were written for (their first gold entry: the
*anchor*) gets one corpus per draw: the anchor plus ``size - 1`` other posts drawn at random with a fixed seed;
the anchor's answerable cases are asked there. The cases about no post (uncovered, out-of-domain, injections) are
dealt out over the same corpora, a different one in each draw, so each is asked once per draw. A size of one post
has one draw (the anchor alone); the full corpus is one corpus holding every case.

    corpora = draw_corpora(cases, slugs)                     # [DrawnCorpus(size=1, draw=0, ...), ...]
    for corpus, engine in drawn_engines(settings, fixtures_dir, cases, embedder=e5):  # the same draws, indexed
        ...
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from llama_index.core.embeddings import BaseEmbedding

from assistant.config import Settings
from assistant.corpus.model import slugify
from assistant.embedders import make_embedder
from assistant.embedding_cache import CachedEmbedding, EmbeddingCache
from assistant.engine import Engine
from assistant.evaluation import fixture_embeddings
from assistant.evaluation.gold import GoldCase
from assistant.evaluation.runner import EMBEDDINGS, Progress, corpus_files

SIZES: tuple[int | None, ...] = (1, 2, 4, 8, 16, None)  # None: every post
DRAWS = 3
DRAW_SEED = 20261206


@dataclass(frozen=True)
class DrawnCorpus:
    """One corpus of a size: its posts (slugs) and the cases asked of it. ``full``: every post."""

    size: int
    draw: int
    posts: tuple[str, ...]
    cases: tuple[GoldCase, ...]
    full: bool = False

    @property
    def label(self) -> str:
        return "all posts" if self.full else f"{self.size} post{'s' if self.size > 1 else ''}"


def anchor_of(case: GoldCase) -> str | None:
    """The post an answerable case was written for (its first gold entry); ``None`` for a case about no post."""
    return case.gold[0].post if case.answerable and case.gold else None


def draw_corpora(
    cases: Sequence[GoldCase],
    posts: Sequence[str],
    sizes: Sequence[int | None] = SIZES,
    draws: int = DRAWS,
    seed: int = DRAW_SEED,
) -> list[DrawnCorpus]:
    """The corpora of every size in ``sizes`` (``None`` or a size of every post: the full corpus, once)."""
    pool = sorted(set(posts))
    anchored: dict[str, list[GoldCase]] = {}
    loose: list[GoldCase] = []
    for case in cases:
        anchor = anchor_of(case)
        if anchor in pool:
            anchored.setdefault(anchor, []).append(case)
        elif anchor is None:
            loose.append(case)
    anchors = sorted(anchored)
    corpora: list[DrawnCorpus] = []
    for size in dict.fromkeys(len(pool) if s is None else min(s, len(pool)) for s in sizes):
        if size == len(pool):
            corpora.append(
                DrawnCorpus(size, 0, tuple(pool), tuple(anchored_first(anchored, loose)), full=True)
            )
            continue
        for draw in range(1 if size == 1 else draws):
            rng = random.Random(f"{seed}:{size}:{draw}")
            if not anchors:  # nothing to anchor on: one corpus drawn at random holds the loose cases
                corpora.append(DrawnCorpus(size, draw, tuple(sorted(rng.sample(pool, size))), tuple(loose)))
                continue
            offset = rng.randrange(len(anchors))
            dealt = {
                a: [c for i, c in enumerate(loose) if anchors[(i + offset) % len(anchors)] == a]
                for a in anchors
            }
            for anchor in anchors:
                others = rng.sample([p for p in pool if p != anchor], size - 1)
                chosen = tuple(sorted([anchor, *others]))
                corpora.append(DrawnCorpus(size, draw, chosen, tuple(anchored[anchor] + dealt[anchor])))
    return corpora


def anchored_first(anchored: dict[str, list[GoldCase]], loose: list[GoldCase]) -> list[GoldCase]:
    return [c for anchor in sorted(anchored) for c in anchored[anchor]] + loose


def drawn_engines(
    settings: Settings,
    fixtures_dir: Path,
    cases: Sequence[GoldCase],
    sizes: Sequence[int | None] = SIZES,
    draws: int = DRAWS,
    *,
    embedder: BaseEmbedding | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> Iterator[tuple[DrawnCorpus, Engine]]:
    """An engine over each corpus drawn from the evaluation's posts for ``cases``, in turn, indexed in
    ``cache_dir/draws`` from cached vectors (the committed ones first) and thrown away after use (indexing is
    Chroma writes only: a few seconds for every post, well under one for a few)."""
    files = corpus_files(settings, fixtures_dir)
    by_slug = {slugify(p.stem): p for p in files}
    corpora = draw_corpora(cases, list(by_slug), sizes, draws)
    cache_root = cache_dir or settings.data_dir / "eval-cache"
    cache = EmbeddingCache(cache_root / EMBEDDINGS)
    fixture_embeddings.seed(cache, fixture_embeddings.beside(fixtures_dir))
    cached = CachedEmbedding(embedder or make_embedder(settings), cache, settings.embedder)
    try:
        for done, corpus in enumerate(corpora, start=1):
            with _indexed(
                settings, [by_slug[slug] for slug in corpus.posts], cache_root / "draws" / str(done), cached
            ) as engine:
                yield corpus, engine
            if progress:
                progress("corpora", done, len(corpora))
    finally:
        cache.close()
        shutil.rmtree(cache_root / "draws", ignore_errors=True)


@contextmanager
def _indexed(
    settings: Settings, files: Sequence[Path], workdir: Path, embedder: BaseEmbedding
) -> Iterator[Engine]:
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "corpus").mkdir(parents=True)
    for path in files:
        shutil.copy2(path, workdir / "corpus" / path.name)
    update = {"corpus_dir": workdir / "corpus", "data_dir": workdir / "data", "chroma_host": None}
    engine = Engine(settings.model_copy(update=update), embedder=embedder)
    try:
        report = engine.ingest(prune=True)
        if report.errors:
            raise report.errors[0]
        yield engine
    finally:
        engine.close()
        shutil.rmtree(workdir, ignore_errors=True)
