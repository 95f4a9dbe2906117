"""Hybrid retrieval: candidates from dense sentence windows (Chroma) and lexical BM25, re-ranked; relevance.

Dense finds chunks by their best-matching sentence windows, which keep one idea in view where a whole chunk's
vector blurs into the post's general theme. Lexical BM25 (stemmed words and character n-grams) adds exact and
compound matches. The union of both is re-ranked by ``ranking.Ranker``: general signals (window, chunk and post
similarity, BM25, headings, position in the post) with weights fitted on the evaluation's ``dev`` split. The
other modes (dense, bm25, rrf) are there to compare with in ``assistant eval``.

    retriever = HybridRetriever(index, embedder)
    result = retriever.retrieve("Wat zijn de bouwstenen van vertrouwen?")
    result.passages[0].chunk.section
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from llama_index.core.embeddings import BaseEmbedding

from assistant.chunking import Chunk, Span
from assistant.index import ChromaIndex, PostRecord
from assistant.language import content_stems, detect_language
from assistant.lexical import LexicalIndex
from assistant.modes import MODES, Mode
from assistant.ranking import FEATURES, Ranker

WINDOWS_PER_QUERY = 60
# The re-ranker looks wider: the nearest windows name the dense candidates, and the lexical side adds its best.
CANDIDATE_WINDOWS = 200
DENSE_CANDIDATES = 40
LEXICAL_CANDIDATES = 40
RRF_K = 60


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its scores and the dense similarity of each of its sentences that matched."""

    chunk: Chunk
    score: float
    dense: float = 0.0
    lexical: float = 0.0
    sentence_similarity: dict[Span, float] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class Retrieval:
    """Passages best first, with what the relevance decision needs."""

    query: str
    passages: list[Passage]
    top_dense: float
    coverage: float
    timings_ms: dict[str, float]
    query_vector: list[float] = field(default_factory=list, repr=False)
    # Hybrid mode: every re-ranked candidate and its signals (one row of ranking.FEATURES each), for fitting.
    candidates: list[str] = field(default_factory=list, repr=False)
    signals: np.ndarray | None = field(default=None, repr=False)

    @property
    def closeness(self) -> dict[str, float]:
        """How close the corpus comes to the question at all, whatever is ranked first: the relevance gate's input."""
        return {"best_window": self.top_dense, "coverage": self.coverage}


class HybridRetriever:
    """Dense + lexical retrieval over one ``ChromaIndex``; the lexical index follows the index's generation."""

    def __init__(
        self,
        index: ChromaIndex,
        embedder: BaseEmbedding,
        *,
        mode: Mode = "hybrid",
        top_k: int = 5,
        ranker: Ranker | None = None,
    ):
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}: use one of {', '.join(MODES)}")
        self.index = index
        self.embedder = embedder
        self.mode = mode
        self.top_k = top_k
        self.ranker = ranker or Ranker.load()
        self._lexical: LexicalIndex | None = None
        self._lexical_generation: str | None = None
        self._shapes = _PostShapes.of([], {})
        self._topic_lists: tuple[list[str], list[str]] | None = None  # titles, headings (per generation)
        self._lock = threading.Lock()

    def lexical(self) -> LexicalIndex:
        """The lexical index, rebuilt from the indexed chunks whenever the index changed (in any process)."""
        return self._current()[0]

    def _current(self) -> tuple[LexicalIndex, _PostShapes]:
        """The lexical index and the chunks of one generation, taken together (another thread may rebuild)."""
        with self._lock:
            self.index.refresh_if_stale()
            generation = self.index.generation()
            if self._lexical is None or generation != self._lexical_generation:
                chunks = self.index.all_chunks()
                self._lexical = LexicalIndex(chunks)
                self._shapes = _PostShapes.of(chunks, self.index.posts())
                self._lexical_generation = generation
                self._topic_lists = None
            return self._lexical, self._shapes

    def retrieve(self, query: str, top_k: int | None = None) -> Retrieval:
        top_k = top_k or self.top_k
        timings: dict[str, float] = {}
        started = time.perf_counter()
        lexical, shapes = self._current()
        chunks = shapes.chunks
        timings["lexical_index_ms"] = _ms(started)

        started = time.perf_counter()
        vector = self.embedder.get_query_embedding(query)
        timings["embed_ms"] = _ms(started)

        started = time.perf_counter()
        # Dense hits are fetched in every mode: the relevance gate and the quote selection need them.
        hits = self.index.query_windows(
            vector, CANDIDATE_WINDOWS if self.mode == "hybrid" else WINDOWS_PER_QUERY
        )
        dense: dict[str, float] = {}
        windows: dict[str, list[float]] = {}
        sentences: dict[str, dict[Span, float]] = {}
        for hit in hits:
            dense[hit.chunk_id] = max(dense.get(hit.chunk_id, -1.0), hit.similarity)
            windows.setdefault(hit.chunk_id, []).append(hit.similarity)
            sentences.setdefault(hit.chunk_id, {})[hit.sentence] = hit.similarity
        stems = question_stems(query)
        coverage = lexical.known_share(stems) if detect_language(query) == "en" else lexical.coverage(stems)
        if self.mode == "hybrid":
            by_words, by_ngrams = lexical.search_words_and_ngrams(query, k=LEXICAL_CANDIDATES)
            lexical_scores = {
                c: (by_words.get(c, 0.0) + by_ngrams.get(c, 0.0)) / 2 for c in {*by_words, *by_ngrams}
            }
            candidates = self._candidates(shapes, dense, by_words, by_ngrams)
            signals = self._signals(shapes, candidates, vector, stems, windows, by_words, by_ngrams)
            fused = dict(zip(candidates, self.ranker.scores(signals), strict=True))
        else:  # the modes kept to compare with
            candidates, signals = [], None
            lexical_scores = lexical.search(query, k=WINDOWS_PER_QUERY) if self.mode != "dense" else {}
            fused = _fuse(dense, lexical_scores, self.mode)
        timings["search_ms"] = _ms(started)

        passages = [
            Passage(
                chunks[cid], score, dense.get(cid, 0.0), lexical_scores.get(cid, 0.0), sentences.get(cid, {})
            )
            for cid, score in sorted(fused.items(), key=lambda item: -item[1])
            if cid in chunks
        ][:top_k]
        return Retrieval(
            query=query,
            passages=passages,
            top_dense=max(dense.values(), default=0.0),
            coverage=coverage,
            timings_ms=timings,
            query_vector=vector,
            candidates=candidates,
            signals=signals,
        )

    @staticmethod
    def _candidates(
        shapes: _PostShapes, dense: dict[str, float], by_words: dict[str, float], by_ngrams: dict[str, float]
    ) -> list[str]:
        """The chunks to re-rank: the best by dense similarity, then the lexical sides' best, once each."""
        nearest = sorted(dense, key=lambda c: -dense[c])[:DENSE_CANDIDATES]
        return [c for c in dict.fromkeys([*nearest, *by_words, *by_ngrams]) if c in shapes.chunks]

    def _signals(
        self,
        shapes: _PostShapes,
        candidates: list[str],
        vector: list[float],
        stems: set[str],
        windows: dict[str, list[float]],
        by_words: dict[str, float],
        by_ngrams: dict[str, float],
    ) -> np.ndarray:
        """One row of ``ranking.FEATURES`` per candidate."""
        posts = sorted({shapes.chunks[c].post_slug for c in candidates})
        similarity = self.index.chunk_similarities(vector, posts, sum(shapes.chunk_count[p] for p in posts))
        post_similarity = shapes.post_similarities(similarity)
        chunk_similarity = [similarity.get(c, 0.0) for c in candidates]
        rows = []
        for cid, chunk_sim in zip(candidates, chunk_similarity, strict=True):
            chunk = shapes.chunks[cid]
            matched = sorted(windows.get(cid, []), reverse=True)
            best = matched[0] if matched else 0.0
            heading = _heading_stems(chunk.section, chunk.post_title)
            rows.append(
                (
                    best,
                    matched[1] if len(matched) > 1 else best,
                    len(matched),
                    chunk_sim,
                    post_similarity.get(chunk.post_slug, 0.0),
                    by_words.get(cid, 0.0),
                    by_ngrams.get(cid, 0.0),
                    len(stems & heading) / len(stems) if stems else 0.0,
                    float(chunk.section_index == 0 and not chunk.section),
                    float(shapes.is_closing(chunk)),
                )
            )
        return np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))

    def topics(self, limit: int = 4) -> list[str]:
        """Topics the posts cover, to suggest when a question is out of scope: titles, then section headings."""
        self.lexical()
        with self._lock:
            if self._topic_lists is None:  # sorting every chunk per refusal cost ~10 ms at 10,000 chunks
                chunks = sorted(self._shapes.chunks.values(), key=lambda c: (c.post_slug, c.position))
                titles = list(dict.fromkeys(c.post_title for c in chunks))
                headings = list(
                    dict.fromkeys(c.section for c in chunks if c.section and c.section != "Tot slot")
                )
                self._topic_lists = (titles, headings)
            titles, headings = self._topic_lists
        return (titles + headings)[:limit] if len(titles) < limit else titles[:limit]


def question_stems(question: str) -> set[str]:
    """The content a question asks about, as stems (an English question's words stay English: the dense side
    carries it across languages)."""
    return set(content_stems(question))


def _fuse(dense: dict[str, float], lexical: dict[str, float], mode: Mode) -> dict[str, float]:
    """The non-hybrid modes, kept to compare with: dense or BM25 alone, or reciprocal rank fusion of both."""
    if mode == "dense":
        return dict(dense)
    if mode == "bm25":
        return dict(lexical)
    return {c: _rrf(c, dense) + _rrf(c, lexical) for c in sorted(set(dense) | set(lexical))}


def _rrf(candidate: str, scores: dict[str, float]) -> float:
    if candidate not in scores:
        return 0.0
    rank = sorted(scores, key=lambda c: -scores[c]).index(candidate)
    return 1.0 / (RRF_K + rank + 1)


@dataclass(frozen=True)
class _PostShapes:
    """One generation's chunks: by id, each post's chunk count, last section and the length of its mean vector."""

    chunks: dict[str, Chunk]
    chunk_count: dict[str, int]
    last_section: dict[str, int]
    mean_vector_norm: dict[str, float]

    @classmethod
    def of(cls, chunks: list[Chunk], records: dict[str, PostRecord]) -> _PostShapes:
        chunk_count: dict[str, int] = {}
        last_section: dict[str, int] = {}
        for chunk in chunks:
            chunk_count[chunk.post_slug] = chunk_count.get(chunk.post_slug, 0) + 1
            last_section[chunk.post_slug] = max(last_section.get(chunk.post_slug, 0), chunk.section_index)
        norms = {slug: record.mean_vector_norm or 1.0 for slug, record in records.items()}
        return cls({c.id: c for c in chunks}, chunk_count, last_section, norms)

    def post_similarities(self, similarity: dict[str, float]) -> dict[str, float]:
        """Each post's similarity from all its chunks' similarities: that of the post's vector, the normalized
        mean of its chunk vectors (the mean similarity divided by the mean vector's length)."""
        totals: dict[str, list[float]] = {}
        for chunk_id, value in similarity.items():
            if chunk_id in self.chunks:
                totals.setdefault(self.chunks[chunk_id].post_slug, []).append(value)
        return {
            post: sum(values) / len(values) / self.mean_vector_norm.get(post, 1.0)
            for post, values in totals.items()
        }

    def is_closing(self, chunk: Chunk) -> bool:
        """The last section of a post that has more than one (a sign-off, a summary, contact details)."""
        return 0 < chunk.section_index == self.last_section.get(chunk.post_slug, 0)


@lru_cache(maxsize=16384)
def _heading_stems(section: str, title: str) -> frozenset[str]:
    """The content stems of a section heading and its post's title (the same few pairs recur on every query)."""
    return frozenset(content_stems(f"{section} {title}"))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
