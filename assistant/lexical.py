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
from assistant.language import STOP_WORDS, char_ngrams, content_stems, stem, words


class _Bm25:
    """One bm25s index over documents given as token ids; queries are tokenized with ``tokenize``.

    Handing bm25s ids (not strings) skips its own vocabulary pass and keeps no per-document copies of the
    tokens: at 10,000 chunks the n-gram side has about 18 million tokens.
    """

    def __init__(
        self, documents: list[list[int]], vocab: dict[str, int], tokenize: Callable[[str], list[str]]
    ):
        self.tokenize = tokenize
        if not all(documents):
            empty = vocab.setdefault("∅", len(vocab))  # bm25s needs a token in every document
            documents = [ids or [empty] for ids in documents]
        self.model = bm25s.BM25()
        self.model.index((documents, vocab), show_progress=False)
        self.size = len(documents)

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in self.tokenize(query) if t in self.model.vocab_dict]
        if not tokens or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return self.model.get_scores(tokens)


class _Tokens:
    """Stems and character n-grams of many texts, as ids; each distinct word is stemmed and cut only once.

    The same tokens as ``content_stems`` and ``char_ngrams`` give, text for text (a word of ``words`` is
    its own only word).
    """

    def __init__(self) -> None:
        self.stem_vocab: dict[str, int] = {}
        self.gram_vocab: dict[str, int] = {}
        self._words: dict[str, tuple[int, tuple[int, ...]]] = {}

    def add(self, text: str) -> tuple[list[int], list[int]]:
        stem_ids: list[int] = []
        gram_ids: list[int] = []
        for word in words(text):
            if word in STOP_WORDS:
                continue
            known = self._words.get(word)
            if known is None:
                stem_id = self.stem_vocab.setdefault(stem(word), len(self.stem_vocab))
                grams = tuple(self.gram_vocab.setdefault(g, len(self.gram_vocab)) for g in char_ngrams(word))
                known = self._words[word] = (stem_id, grams)
            stem_ids.append(known[0])
            gram_ids.extend(known[1])
        return stem_ids, gram_ids


class LexicalIndex:
    """Word and n-gram BM25 over a fixed list of chunks, plus the corpus vocabulary."""

    def __init__(self, chunks: list[Chunk]):
        self.chunk_ids = [c.id for c in chunks]
        tokens = _Tokens()
        stem_docs, gram_docs = [], []
        for chunk in chunks:
            stem_ids, gram_ids = tokens.add(f"{chunk.section}\n{chunk.text}")
            stem_docs.append(stem_ids)
            gram_docs.append(gram_ids)
        names = {i: s for s, i in tokens.stem_vocab.items()}
        self._document_frequency = Counter(names[i] for ids in stem_docs for i in set(ids))
        self._words = _Bm25(stem_docs, tokens.stem_vocab, content_stems)
        self._ngrams = _Bm25(gram_docs, tokens.gram_vocab, char_ngrams)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def search(self, query: str, k: int) -> dict[str, float]:
        """The ``k`` best chunks: the mean of word and n-gram BM25, each scaled to its best score."""
        if not self.chunk_ids:
            return {}
        combined = _scaled(self._words.scores(query)) + _scaled(self._ngrams.scores(query))
        return self._best(combined / 2, k)

    def search_words_and_ngrams(self, query: str, k: int) -> tuple[dict[str, float], dict[str, float]]:
        """The ``k`` best chunks by word BM25 and, separately, by n-gram BM25, each scaled to its best score."""
        if not self.chunk_ids:
            return {}, {}
        return (
            self._best(_scaled(self._words.scores(query)), k),
            self._best(_scaled(self._ngrams.scores(query)), k),
        )

    def _best(self, scores: np.ndarray, k: int) -> dict[str, float]:
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
