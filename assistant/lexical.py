"""The lexical side of retrieval: BM25 (bm25s) over Dutch-stemmed words and over character n-grams.

Stemmed words match inflections (vergaderingen ↔ vergadering); character n-grams match parts of compounds
(vergaderstukken ↔ stukken), which Dutch makes many of.

    lexical = LexicalIndex(chunks)
    scores = lexical.search("Hoe geef ik feedback?", k=20)    # chunk id → score
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import bm25s
import numpy as np

from assistant.chunking import Chunk
from assistant.language import char_ngrams, content_stems


class _Bm25:
    """One bm25s index over token lists produced by ``tokenize``."""

    def __init__(self, texts: list[str], tokenize: Callable[[str], list[str]]):
        self.tokenize = tokenize
        corpus = [tokenize(t) or ["∅"] for t in texts]
        self.model = bm25s.BM25()
        self.model.index(corpus, show_progress=False)
        self.size = len(texts)

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in self.tokenize(query) if t in self.model.vocab_dict]
        if not tokens or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return self.model.get_scores(tokens)


class LexicalIndex:
    """Word and n-gram BM25 over a fixed list of chunks, plus the corpus vocabulary."""

    def __init__(self, chunks: list[Chunk]):
        self.chunk_ids = [c.id for c in chunks]
        texts = [f"{c.section}\n{c.text}" for c in chunks]
        self._words = _Bm25(texts, content_stems)
        self._ngrams = _Bm25(texts, char_ngrams)
        self._document_frequency = Counter(s for t in texts for s in set(content_stems(t)))

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def search(self, query: str, k: int) -> dict[str, float]:
        """The ``k`` best chunks: the mean of word and n-gram BM25, each scaled to its best score."""
        if not self.chunk_ids:
            return {}
        combined = _scaled(self._words.scores(query)) + _scaled(self._ngrams.scores(query))
        best = np.argsort(-combined)[:k]
        return {self.chunk_ids[i]: float(combined[i]) / 2 for i in best if combined[i] > 0}

    def word_scores(self, query: str, k: int) -> dict[str, float]:
        """Plain Dutch BM25 over stemmed words (for comparison with the combined score)."""
        scores = self._words.scores(query)
        best = np.argsort(-scores)[:k]
        return {self.chunk_ids[i]: float(scores[i]) for i in best if scores[i] > 0}

    def known_share(self, stems: set[str]) -> float:
        """The plain share of stems that occur in the corpus (for English, where IDF says little)."""
        return len({s for s in stems if s in self._document_frequency}) / len(stems) if stems else 0.0

    def coverage(self, stems: set[str]) -> float:
        """How much of a question's content the corpus knows: the IDF-weighted share of its stems that occur.

        A stem the corpus lacks weighs most (it is the rarest possible word here), so "begroting" in a question
        about a school's budget outweighs the "school" the corpus does mention. 0 when there are no stems.
        """
        if not stems:
            return 0.0
        documents = len(self.chunk_ids) + 1
        weights = {s: math.log(documents / (self._document_frequency.get(s, 0) + 0.5)) for s in stems}
        known = sum(w for s, w in weights.items() if s in self._document_frequency)
        return known / sum(weights.values()) if sum(weights.values()) > 0 else 0.0


def _scaled(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores
