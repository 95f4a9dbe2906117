"""Hybrid retrieval: dense sentence windows (Chroma) fused with lexical BM25, and whether anything is relevant.

Dense scores a chunk by its best-matching sentence window, which keeps one idea in view where a whole chunk's
vector blurs into the post's general theme. Lexical BM25 (stemmed words and character n-grams) adds exact and
compound matches. Scores are fused by weighted z-scores by default: unlike reciprocal rank fusion, a confident
dense match is not outvoted by a weak lexical rank (measured in STACK.md and in ``assistant eval``).

    retriever = HybridRetriever(index, embedder)
    result = retriever.retrieve("Wat zijn de bouwstenen van vertrouwen?")
    result.passages[0].chunk.section
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from llama_index.core.embeddings import BaseEmbedding

from assistant.chunking import Chunk, Span
from assistant.glossary import dutch_terms
from assistant.index import ChromaIndex
from assistant.language import content_stems, detect_language
from assistant.lexical import LexicalIndex

Mode = Literal["hybrid", "dense", "bm25", "rrf"]
MODES: tuple[str, ...] = ("hybrid", "dense", "bm25", "rrf")

DENSE_WEIGHT = 0.5
FULL_LEXICAL_COVERAGE = 0.5
WINDOWS_PER_QUERY = 60
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


class HybridRetriever:
    """Dense + lexical retrieval over one ``ChromaIndex``; the lexical index follows the index's generation."""

    def __init__(self, index: ChromaIndex, embedder: BaseEmbedding, *, mode: Mode = "hybrid", top_k: int = 5):
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}: use one of {', '.join(MODES)}")
        self.index = index
        self.embedder = embedder
        self.mode = mode
        self.top_k = top_k
        self._lexical: LexicalIndex | None = None
        self._lexical_generation: str | None = None
        self._chunks: dict[str, Chunk] = {}
        self._topic_lists: tuple[list[str], list[str]] | None = None  # titles, headings (per generation)
        self._lock = threading.Lock()

    def lexical(self) -> LexicalIndex:
        """The lexical index, rebuilt from the indexed chunks whenever the index changed (in any process)."""
        with self._lock:
            self.index.refresh_if_stale()
            generation = self.index.generation()
            if self._lexical is None or generation != self._lexical_generation:
                chunks = self.index.all_chunks()
                self._chunks = {c.id: c for c in chunks}
                self._lexical = LexicalIndex(chunks)
                self._lexical_generation = generation
                self._topic_lists = None
            return self._lexical

    def retrieve(self, query: str, top_k: int | None = None) -> Retrieval:
        top_k = top_k or self.top_k
        timings: dict[str, float] = {}
        started = time.perf_counter()
        lexical = self.lexical()
        chunks = self._chunks
        timings["lexical_index_ms"] = _ms(started)

        started = time.perf_counter()
        vector = self.embedder.get_query_embedding(query)
        timings["embed_ms"] = _ms(started)

        started = time.perf_counter()
        # Dense hits are fetched in every mode: the relevance gate and the quote selection need them.
        hits = self.index.query_windows(vector, WINDOWS_PER_QUERY)
        dense: dict[str, float] = {}
        sentences: dict[str, dict[Span, float]] = {}
        for hit in hits:
            dense[hit.chunk_id] = max(dense.get(hit.chunk_id, -1.0), hit.similarity)
            sentences.setdefault(hit.chunk_id, {})[hit.sentence] = hit.similarity
        words = lexical_query(query)
        stems = question_stems(query)
        coverage = lexical.known_share(stems) if detect_language(query) == "en" else lexical.coverage(stems)
        lexical_scores = lexical.search(words, k=WINDOWS_PER_QUERY) if self.mode != "dense" else {}
        fused = _fuse(dense, lexical_scores, self.mode, coverage)
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
        )

    def topics(self, limit: int = 4) -> list[str]:
        """Topics the posts cover, to suggest when a question is out of scope: titles, then section headings."""
        self.lexical()
        with self._lock:
            if self._topic_lists is None:  # sorting every chunk per refusal cost ~10 ms at 10,000 chunks
                chunks = sorted(self._chunks.values(), key=lambda c: (c.post_slug, c.position))
                titles = list(dict.fromkeys(c.post_title for c in chunks))
                headings = list(
                    dict.fromkeys(c.section for c in chunks if c.section and c.section != "Tot slot")
                )
                self._topic_lists = (titles, headings)
            titles, headings = self._topic_lists
        return (titles + headings)[:limit] if len(titles) < limit else titles[:limit]


@dataclass(frozen=True)
class RelevanceGate:
    """When retrieval counts as having found an answer.

    e5's cosine alone does not separate school topics the posts do not cover (timetables, budgets) from real
    questions, so Dutch questions must also share content words with the corpus. English questions rarely share
    words with Dutch posts and rely on the dense score alone.
    """

    min_dense: float = 0.85
    min_dense_without_words: float = 0.875
    min_coverage: float = 0.6
    min_dense_english: float = 0.78
    min_coverage_english: float = 0.34
    min_follow_up_coverage: float = 0.3


GATE = RelevanceGate()


def is_relevant(
    retrieval: Retrieval, lang: str, follow_up_coverage: float | None = None, gate: RelevanceGate = GATE
) -> bool:
    """Whether the passages found can answer the question (see ``RelevanceGate``).

    ``follow_up_coverage`` is the coverage of a follow-up's own words: a follow-up that changes the topic to
    one the posts do not know ("En het budget voor het teamuitje?") is not answered from the earlier topic.
    """
    if not retrieval.passages:
        return False
    if follow_up_coverage is not None and follow_up_coverage < gate.min_follow_up_coverage:
        return False
    coverage = retrieval.coverage
    if lang == "en":
        return retrieval.top_dense >= gate.min_dense_english and coverage >= gate.min_coverage_english
    if retrieval.top_dense >= gate.min_dense_without_words:
        return True
    return retrieval.top_dense >= gate.min_dense and coverage >= gate.min_coverage


def lexical_query(question: str) -> str:
    """The words to search lexically: the question, plus Dutch terms for an English question's key words."""
    if detect_language(question) != "en":
        return question
    return " ".join([question, *dutch_terms(question)])


def question_stems(question: str) -> set[str]:
    """The content a question asks about, as Dutch stems (an English question's known terms translated)."""
    if detect_language(question) != "en":
        return set(content_stems(question))
    translated = set(content_stems(" ".join(dutch_terms(question))))
    untranslated = {w for w in content_stems(question) if not dutch_terms(w)}
    return translated | untranslated


def _fuse(
    dense: dict[str, float], lexical: dict[str, float], mode: Mode, coverage: float = 1.0
) -> dict[str, float]:
    if mode == "dense":
        return dict(dense)
    if mode == "bm25":
        return dict(lexical)
    candidates = sorted(set(dense) | set(lexical))
    if mode == "rrf":
        return {c: _rrf(c, dense) + _rrf(c, lexical) for c in candidates}
    # The lexical side counts only as far as the question's words occur in the corpus: for a question whose words
    # the posts do not use (a paraphrase, English), BM25 ranks noise and must not outvote the dense match.
    lexical_weight = (1 - DENSE_WEIGHT) * min(1.0, coverage / FULL_LEXICAL_COVERAGE)
    dense_z = _zscores([dense.get(c) for c in candidates])
    lexical_z = _zscores([lexical.get(c) for c in candidates])
    return {
        c: (1 - lexical_weight) * d + lexical_weight * lex
        for c, d, lex in zip(candidates, dense_z, lexical_z, strict=True)
    }


def _rrf(candidate: str, scores: dict[str, float]) -> float:
    if candidate not in scores:
        return 0.0
    rank = sorted(scores, key=lambda c: -scores[c]).index(candidate)
    return 1.0 / (RRF_K + rank + 1)


def _zscores(values: list[float | None]) -> list[float]:
    """Standardize; a candidate the signal did not return gets that signal's lowest value."""
    present = [v for v in values if v is not None]
    if not present:
        return [0.0] * len(values)
    floor = min(present)
    array = np.array([floor if v is None else v for v in values], dtype=np.float64)
    spread = array.std()
    return list((array - array.mean()) / spread) if spread > 0 else [0.0] * len(values)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
