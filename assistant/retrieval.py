"""Hybrid retrieval: candidates from dense sentence windows (Chroma) and lexical BM25, re-ranked; relevance.

Dense finds chunks by their best-matching sentence windows, which keep one idea in view where a whole chunk's
vector blurs into the post's general theme. Lexical BM25 (stemmed words and character n-grams) adds exact and
compound matches. The union of both is re-ranked by ``ranking.Ranker``: general signals (window, chunk and post
similarity, BM25, headings, position in the post) with weights fitted on the evaluation's ``dev`` split. The
other modes (dense, bm25, rrf) are there to compare with in ``assistant eval``.

The retriever is a llama-index ``BaseRetriever``: ``retrieve`` gives the passages as ``NodeWithScore``s of
``TextNode``s, so it plugs into a ``RetrieverQueryEngine``; ``search`` gives the richer ``Retrieval`` the
answerer reads. The lexical index and the posts' shapes follow the index per post: after a write (in this
process or another) only the posts whose record changed are read and tokenized again.

    retriever = HybridRetriever(index, embedder)
    result = retriever.search("Wat zijn de bouwstenen van vertrouwen?", quoted=3)
    result.passages[0].chunk.section
    nodes = retriever.retrieve("Wat zijn de bouwstenen van vertrouwen?")   # llama-index
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.callbacks import CallbackManager
from llama_index.core.embeddings import BaseEmbedding
from llama_index.core.schema import NodeRelationship, NodeWithScore, QueryBundle, RelatedNodeInfo, TextNode

from assistant.bilingual import (
    Dictionary,
    EnglishQuestion,
    Vocabulary,
    content_words,
    corpus_words,
    embed_words,
    installed_dictionary,
)
from assistant.chunking import Chunk, Span
from assistant.embedding_cache import embed_queries
from assistant.index import ChromaIndex, PostRecord
from assistant.index.records import chunk_metadata
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
# When more than this share of the posts changed since the last look (a reindex), reading all chunks at once is
# quicker than reading them post by post; both give the same index.
FULL_RELOAD_SHARE = 0.25


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
    """Passages best first, with what the relevance decision and the quotes need."""

    query: str
    passages: list[Passage]
    timings_ms: dict[str, float]
    # The question's own embedding, whatever the search went with (the relevance decision compares it with the
    # blog's field), and how many posts the index held (the best of many passages comes closer to any question
    # than the best of a few).
    vector: list[float] = field(default_factory=list, repr=False)
    posts: int = 0
    # The question's similarity to every sentence window of the first ``quoted`` passages (``search``'s
    # argument), by (chunk id, middle sentence): what quotes are chosen by.
    sentence_similarities: dict[tuple[str, Span], float] = field(default_factory=dict, repr=False)
    # An English question's content words with the dictionary's Dutch translations that the posts use (empty for
    # a Dutch question, an empty blog or without the dictionaries): the relevance decision finds its words through
    # them. The posts' nearest words, which retrieval searches too, are left out: with the decision as fitted
    # they let more uncovered questions pass as answered (dev, blogs of every size).
    translations: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    # Hybrid mode: every re-ranked candidate and its signals (one row of ranking.FEATURES each), for fitting.
    candidates: list[str] = field(default_factory=list, repr=False)
    signals: np.ndarray | None = field(default=None, repr=False)

    def signals_of_first(self) -> dict[str, float]:
        """The re-ranker's signals (``ranking.FEATURES``) of the first passage: how close its sentence window, its
        chunk and its post come to the question. The modes kept to compare with compute no signals: the first
        passage's best window stands in for all three similarities there."""
        if not self.passages:
            return {}
        first = self.passages[0]
        if self.signals is not None and first.chunk.id in self.candidates:
            return dict(
                zip(FEATURES, self.signals[self.candidates.index(first.chunk.id)].tolist(), strict=True)
            )
        return {"best_window": first.dense, "chunk": first.dense, "post": first.dense}


class HybridRetriever(BaseRetriever):
    """Dense + lexical retrieval over one ``ChromaIndex``; the lexical index follows the index's generation."""

    def __init__(
        self,
        index: ChromaIndex,
        embedder: BaseEmbedding,
        *,
        mode: Mode = "hybrid",
        top_k: int = 5,
        ranker: Ranker | None = None,
        dictionary: Dictionary | None = None,
        callback_manager: CallbackManager | None = None,
    ):
        super().__init__(callback_manager=callback_manager)
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}: use one of {', '.join(MODES)}")
        self.index = index
        self.embedder = embedder
        self.mode = mode
        self.top_k = top_k
        self.ranker = ranker or Ranker.load()
        self._dictionary = dictionary
        self._corpus: _Corpus | None = None
        self._lock = threading.Lock()
        # The posts' words with their vectors, for one generation: after a change only the words the previous
        # generation lacked are embedded (or read from the cache).
        self._vocabulary: tuple[str, Vocabulary] = ("", Vocabulary())
        self._vocabulary_lock = threading.Lock()

    def lexical(self) -> LexicalIndex:
        """The lexical index of the index's current generation."""
        return self._current().lexical

    def _current(self) -> _Corpus:
        """The lexical index and the posts' shapes of one generation, taken together (another thread may update)."""
        with self._lock:
            self.index.refresh_if_stale()
            generation = self.index.generation()
            if self._corpus is None or generation != self._corpus.generation:
                self._corpus = self._follow(generation)
            return self._corpus

    def _follow(self, generation: str) -> _Corpus:
        """The corpus after the index moved to ``generation``: only the posts whose record changed are read again.

        The records are read before the chunks, so a write landing in between shows up as a changed record at
        the next look and its post is read again then.
        """
        records = self.index.posts_at(generation)
        known = self._corpus
        changed = [
            slug for slug, record in records.items() if known is None or known.records.get(slug) != record
        ]
        if known is None or len(changed) > FULL_RELOAD_SHARE * max(1, len(known.records)):
            chunks = self.index.all_chunks()
            return _Corpus(generation, records, LexicalIndex(chunks), _PostShapes.of(chunks, records))
        removed = [slug for slug in known.records if slug not in records]
        posts = {slug: self.index.chunks_of(slug) for slug in changed}
        return _Corpus(
            generation,
            records,
            known.lexical.with_posts(posts, removed),
            known.shapes.with_posts(posts, removed, records),
        )

    @property
    def dictionary(self) -> Dictionary:
        """English → Dutch words (read from the system on first use; empty when not installed)."""
        if self._dictionary is None:
            self._dictionary = installed_dictionary(self.index.settings.dictionary_dir)
        return self._dictionary

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        """llama-index's retrieval: the passages as nodes, scored as ranked."""
        return [
            NodeWithScore(node=text_node(p.chunk), score=p.score)
            for p in self.search(query_bundle.query_str).passages
        ]

    def search(self, query: str, top_k: int | None = None, *, quoted: int = 0) -> Retrieval:
        """The ``top_k`` best passages for ``query``, and the similarity of each sentence window of the first
        ``quoted`` of them (what the quotes of an answer are chosen by)."""
        top_k = top_k or self.top_k
        timings: dict[str, float] = {}
        started = time.perf_counter()
        corpus = self._current()
        lexical, shapes = corpus.lexical, corpus.shapes
        chunks = shapes.chunks
        timings["lexical_index_ms"] = _ms(started)

        started = time.perf_counter()
        english, own_vector = self._question(query, corpus)
        dutch = english.dutch_words(lexical.frequency) if english else ""
        vector = self._with_translation(own_vector, dutch)
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
        if self.mode == "hybrid":
            if english:
                by_words, by_ngrams = lexical.search_alternatives(english.groups, k=LEXICAL_CANDIDATES)
                stems = question_stems(dutch)
            else:
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
        started = time.perf_counter()
        sentence_similarities = self.index.window_similarities(vector, [p.chunk for p in passages[:quoted]])
        timings["sentences_ms"] = _ms(started)
        return Retrieval(
            query=query,
            passages=passages,
            timings_ms=timings,
            vector=list(own_vector),
            posts=len(corpus.records),
            sentence_similarities=sentence_similarities,
            translations=english.translated if english else {},
            candidates=candidates,
            signals=signals,
        )

    def vocabulary(self) -> Vocabulary:
        """The posts' Dutch words with their vectors, as of the index's current generation."""
        return self._vocabulary_of(self._current())

    def _vocabulary_of(self, corpus: _Corpus) -> Vocabulary:
        with self._vocabulary_lock:
            generation, vocabulary = self._vocabulary
            if generation != corpus.generation:
                dutch = corpus_words(_chunk_text(c) for c in corpus.shapes.chunks.values())
                known = dict(zip(vocabulary.words, vocabulary.vectors, strict=True))
                new = [w for w in dutch if w not in known]
                known.update(zip(new, embed_words(self.embedder, new), strict=True))
                vectors = [known[w] for w in dutch]
                vocabulary = (
                    Vocabulary.of(dutch, np.array(vectors, dtype=np.float32)) if dutch else Vocabulary()
                )
                self._vocabulary = (corpus.generation, vocabulary)
            return vocabulary

    def _question(self, query: str, corpus: _Corpus) -> tuple[EnglishQuestion | None, list[float]]:
        """The question's own vector and, for an English question when the retrieval is the re-ranked hybrid one
        (the other modes stay as they are, to compare with), its words with their Dutch translations: the
        dictionary's that the posts use, and the posts' words nearest to each. The question and its words are
        embedded in one batch."""
        vocabulary = (
            self._vocabulary_of(corpus)
            if self.mode == "hybrid" and detect_language(query) == "en"
            else Vocabulary()
        )
        if not vocabulary:
            return None, self.embedder.get_query_embedding(query)
        content = content_words(query)
        own, *vectors = embed_queries(self.embedder, [query, *content])
        nearest = dict(zip(content, vocabulary.nearest_many(vectors), strict=True))
        return self.dictionary.question(query, nearest.__getitem__, vocabulary), own

    def _with_translation(self, vector: list[float], dutch: str) -> list[float]:
        """The vector to search with: the question's own; for an English one, the mean of its own and that of
        ``dutch``, its words each followed by its Dutch translation, which the small multilingual embedder places
        nearer the Dutch passages."""
        if not dutch:
            return vector
        translated = self.embedder.get_query_embedding(dutch)
        mean = np.add(vector, translated)
        return (mean / (np.linalg.norm(mean) or 1.0)).tolist()

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
        similarity = self.index.chunk_similarities(vector, posts, sum(len(shapes.posts[p]) for p in posts))
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

    def topics(self, near: Retrieval, limit: int = 4) -> list[str]:
        """Topics to offer when a question is refused or only related: the titles of the posts closest to it (its
        retrieval's passages, best first), then the headings of those passages' sections (not closing ones)."""
        shapes = self._current().shapes
        chunks = [p.chunk for p in near.passages]
        titles = list(dict.fromkeys(c.post_title for c in chunks))
        headings = [
            heading
            for heading in dict.fromkeys(c.section for c in chunks if c.section and not shapes.is_closing(c))
            if heading not in titles
        ]
        return (titles + headings)[:limit]


def text_node(chunk: Chunk) -> TextNode:
    """A chunk as llama-index's node: its id and text, where it stands in which post, and the post as source."""
    return TextNode(
        id_=chunk.id,
        text=chunk.text,
        start_char_idx=chunk.start,
        end_char_idx=chunk.end,
        # What the index stores beside the chunk, less its sentence spans (JSON only the quotes need).
        metadata={k: v for k, v in chunk_metadata(chunk).items() if k != "sentences"},
        # An LLM reading the node needs where it comes from, not where it lies in the post's text.
        excluded_llm_metadata_keys=["section_index", "position", "start", "end"],
        excluded_embed_metadata_keys=["section_index", "position", "start", "end", "url", "date", "author"],
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=chunk.post_slug)},
    )


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
    """One generation's chunks: by id, each post's chunk ids, last section and the length of its mean vector."""

    chunks: dict[str, Chunk]
    posts: dict[str, tuple[str, ...]]  # post → its chunks' ids
    last_section: dict[str, int]
    mean_vector_norm: dict[str, float]

    @classmethod
    def of(cls, chunks: list[Chunk], records: dict[str, PostRecord]) -> _PostShapes:
        by_post: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            by_post.setdefault(chunk.post_slug, []).append(chunk)
        return cls({}, {}, {}, {}).with_posts(by_post, (), records)

    def with_posts(
        self,
        posts: Mapping[str, list[Chunk]],
        removed: list[str] | tuple[str, ...],
        records: dict[str, PostRecord],
    ) -> _PostShapes:
        """These shapes with ``posts`` (post → all its chunks) added or replaced and the ``removed`` posts gone."""
        chunks, by_post, last_section = dict(self.chunks), dict(self.posts), dict(self.last_section)
        for slug in [*posts, *removed]:
            for chunk_id in by_post.pop(slug, ()):
                del chunks[chunk_id]
            last_section.pop(slug, None)
        for slug, post_chunks in posts.items():
            if not post_chunks:
                continue
            chunks.update((c.id, c) for c in post_chunks)
            by_post[slug] = tuple(c.id for c in post_chunks)
            last_section[slug] = max(c.section_index for c in post_chunks)
        norms = {slug: record.mean_vector_norm or 1.0 for slug, record in records.items()}
        return _PostShapes(chunks, by_post, last_section, norms)

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


@dataclass(frozen=True)
class _Corpus:
    """What retrieval knows of one generation of the index: the post records and what was built from them."""

    generation: str
    records: dict[str, PostRecord]
    lexical: LexicalIndex
    shapes: _PostShapes


def _chunk_text(chunk: Chunk) -> str:
    return f"{chunk.post_title}\n{chunk.section}\n{chunk.text}"


@lru_cache(maxsize=16384)
def _heading_stems(section: str, title: str) -> frozenset[str]:
    """The content stems of a section heading and its post's title (the same few pairs recur on every query)."""
    return frozenset(content_stems(f"{section} {title}"))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
