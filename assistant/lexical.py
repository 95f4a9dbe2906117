"""The lexical side of retrieval: BM25 over Dutch-stemmed words and over character n-grams, updated per post.

Stemmed words match inflections (vergaderingen ↔ vergadering); character n-grams match parts of compounds
(vergaderstukken ↔ stukken), which Dutch makes many of.

An index is a value: ``with_posts`` gives a new one in which some posts' chunks are added, replaced or removed,
tokenizing only those posts (tokenizing is most of the cost of building). Term counts live in segments that are
never changed, one per update, and removed chunks are only marked dead; BM25's collection statistics (number of
documents, mean length, document frequencies) are kept for the live chunks only and applied when a query is
scored, so every score equals that of an index built afresh from the same chunks. The scores are those of
bm25s (Lucene variant, k1 1.5, b 0.75, float32), which the index used before it followed updates.

    lexical = LexicalIndex(chunks)
    scores = lexical.search("Hoe geef ik feedback?", k=20)    # chunk id → score
    by_words, by_ngrams = lexical.search_alternatives([("trust", "vertrouwen", "geloof")], k=20)
    lexical = lexical.with_posts({"nieuw": new_chunks}, removed={"oud"})
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from assistant.chunking import Chunk
from assistant.language import STOP_WORDS, char_ngrams, content_stems, stem, words

K1 = 1.5
B = 0.75
# Segments are merged into one when there are more than this many, or when this share of slots is dead: a query
# walks every segment, so many small ones would slow it down.
MAX_SEGMENTS = 8
MAX_DEAD_SHARE = 0.25


class _Tokens:
    """Stems and character n-grams of many texts, as ids; each distinct word is stemmed and cut only once.

    The same tokens as ``content_stems`` and ``char_ngrams`` give, text for text (a word of ``words`` is
    its own only word). Shared by an index and the indexes derived from it: ids are only ever added.
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


@dataclass(frozen=True)
class _Terms:
    """One document's distinct term ids, their counts, and its length (a document without terms has length 1,
    as bm25s gives it one placeholder token)."""

    ids: np.ndarray
    counts: np.ndarray
    length: int

    @classmethod
    def of(cls, token_ids: list[int]) -> _Terms:
        ids, counts = np.unique(np.asarray(token_ids, dtype=np.int64), return_counts=True)
        return cls(ids.astype(np.int32), counts.astype(np.float32), max(1, len(token_ids)))


@dataclass(frozen=True)
class _Document:
    chunk_id: str
    order: tuple[str, int]  # (post, position): ties in score go in this order, as in a build from all chunks
    stems: _Terms
    grams: _Terms


@dataclass(frozen=True)
class _Segment:
    """Term counts of some documents, by term: the slots and counts of term ``t`` are ``[start[t]:start[t+1]]``."""

    start: np.ndarray
    slots: np.ndarray
    counts: np.ndarray

    @classmethod
    def of(cls, slots: list[int], documents: list[_Terms]) -> _Segment:
        ids = np.concatenate([d.ids for d in documents]) if documents else np.zeros(0, np.int32)
        counts = np.concatenate([d.counts for d in documents]) if documents else np.zeros(0, np.float32)
        owners = np.repeat(np.asarray(slots, dtype=np.int32), [len(d.ids) for d in documents])
        by_term = np.argsort(ids, kind="stable")
        vocabulary = int(ids.max()) + 1 if len(ids) else 0
        start = np.zeros(vocabulary + 1, dtype=np.int64)
        np.cumsum(np.bincount(ids, minlength=vocabulary), out=start[1:])
        return cls(start, owners[by_term], counts[by_term])

    def column(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        if term + 1 >= len(self.start):
            return self.slots[:0], self.counts[:0]
        begin, end = self.start[term], self.start[term + 1]
        return self.slots[begin:end], self.counts[begin:end]


@dataclass(frozen=True)
class _Field:
    """BM25 over one kind of term (stems or n-grams): segments plus the live documents' statistics."""

    segments: tuple[_Segment, ...]
    lengths: np.ndarray  # per slot (dead slots keep theirs; they are masked out)
    frequency: np.ndarray  # per term id: how many live documents contain it
    total_length: int

    def scores(self, terms: list[int], alive: np.ndarray, documents: int) -> np.ndarray:
        """bm25s's scores: per query term (repeats count again) idf × Lucene tf part, summed in float32."""
        scores = np.zeros(len(alive), dtype=np.float32)
        if documents == 0:
            return scores
        mean_length = np.float64(self.total_length) / documents
        # The length part of each document's denominator, once per slot rather than once per term it holds.
        length_part = K1 * ((1 - B) + B * self.lengths / mean_length)
        idfs: list[np.float32] = []
        slots: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        for term in terms:
            frequency = int(self.frequency[term]) if term < len(self.frequency) else 0
            if frequency == 0:
                continue
            idf = np.float32(math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5)))
            for segment in self.segments:
                term_slots, term_counts = segment.column(term)
                idfs.append(idf)
                slots.append(term_slots)
                counts.append(term_counts)
        if not slots:
            return scores
        # All terms' entries at once; np.add.at adds them in order, so each document sums its terms in query
        # order in float32, as bm25s does term by term.
        every_slot, every_count = np.concatenate(slots), np.concatenate(counts)
        every_idf = np.repeat(np.array(idfs, dtype=np.float32), [len(c) for c in counts])
        values = (every_idf * (every_count / (length_part[every_slot] + every_count))).astype(np.float32)
        np.add.at(scores, every_slot, values)
        scores[~alive] = 0.0
        return scores


def _frequency_change(documents: Iterable[_Terms], vocabulary: int, sign: int) -> np.ndarray:
    change = np.zeros(vocabulary, dtype=np.int64)
    for document in documents:
        change[document.ids] += sign
    return change


class LexicalIndex:
    """Word and n-gram BM25 over the chunks of some posts, plus the corpus vocabulary."""

    def __init__(self, chunks: list[Chunk]):
        self._tokens = _Tokens()
        self._posts: dict[str, tuple[int, ...]] = {}  # post → its chunks' slots
        self._documents: list[_Document | None] = []  # by slot; None: dead
        self._alive = np.zeros(0, dtype=bool)
        self._live = 0
        self._canonical: np.ndarray | None = None
        empty = _Field((), np.zeros(0, np.int64), np.zeros(0, np.int64), 0)
        self._stems, self._grams = empty, empty
        by_post: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            by_post.setdefault(chunk.post_slug, []).append(chunk)
        self._add(by_post)

    def __len__(self) -> int:
        return self._live

    @property
    def chunk_ids(self) -> list[str]:
        return [d.chunk_id for d in self._documents if d is not None]

    def with_posts(self, posts: Mapping[str, list[Chunk]], removed: Iterable[str] = ()) -> LexicalIndex:
        """A new index with ``posts`` (post → all its chunks) added or replacing their old chunks, and the posts
        ``removed`` gone. This index stays as it was (another thread may be searching it)."""
        updated = object.__new__(LexicalIndex)
        updated.__dict__.update(self.__dict__)
        updated._posts = dict(self._posts)
        updated._documents = list(self._documents)
        updated._alive = self._alive.copy()
        updated._canonical = None
        updated._remove([*posts, *removed])
        updated._add({slug: chunks for slug, chunks in posts.items() if chunks})
        if len(updated._stems.segments) > MAX_SEGMENTS or (
            len(updated._documents) and 1 - updated._live / len(updated._documents) > MAX_DEAD_SHARE
        ):
            updated._compact()
        return updated

    def posts(self) -> set[str]:
        return set(self._posts)

    def _remove(self, slugs: Iterable[str]) -> None:
        gone = [slot for slug in slugs for slot in self._posts.pop(slug, ())]
        if not gone:
            return
        documents = [self._documents[slot] for slot in gone]
        for slot in gone:
            self._documents[slot] = None
        self._alive[gone] = False
        self._live -= len(gone)
        self._stems = self._changed(self._stems, [d.stems for d in documents], -1)
        self._grams = self._changed(self._grams, [d.grams for d in documents], -1)

    def _add(self, posts: Mapping[str, list[Chunk]]) -> None:
        first = len(self._documents)
        added: list[_Document] = []
        for slug, chunks in posts.items():
            for chunk in sorted(chunks, key=lambda c: c.position):
                stem_ids, gram_ids = self._tokens.add(f"{chunk.section}\n{chunk.text}")
                added.append(
                    _Document(chunk.id, (slug, chunk.position), _Terms.of(stem_ids), _Terms.of(gram_ids))
                )
            self._posts[slug] = tuple(range(first + len(added) - len(chunks), first + len(added)))
        if not added:
            return
        slots = list(range(first, first + len(added)))
        self._documents += added
        self._alive = np.concatenate([self._alive, np.ones(len(added), dtype=bool)])
        self._live += len(added)
        self._stems = self._grown(self._stems, slots, [d.stems for d in added])
        self._grams = self._grown(self._grams, slots, [d.grams for d in added])

    def _grown(self, field: _Field, slots: list[int], documents: list[_Terms]) -> _Field:
        lengths = np.concatenate([field.lengths, np.array([d.length for d in documents], dtype=np.int64)])
        changed = self._changed(field, documents, +1)
        return _Field(
            (*field.segments, _Segment.of(slots, documents)), lengths, changed.frequency, changed.total_length
        )

    @staticmethod
    def _changed(field: _Field, documents: list[_Terms], sign: int) -> _Field:
        vocabulary = max([len(field.frequency), *(int(d.ids.max()) + 1 for d in documents if len(d.ids))])
        frequency = np.zeros(vocabulary, dtype=np.int64)
        frequency[: len(field.frequency)] = field.frequency
        frequency += _frequency_change(documents, vocabulary, sign)
        total = field.total_length + sign * sum(d.length for d in documents)
        return replace(field, frequency=frequency, total_length=total)

    def _compact(self) -> None:
        """Rebuild as one segment from the documents already tokenized, dropping the dead slots."""
        documents = [d for d in self._documents if d is not None]
        slot_of = {}
        for slot, document in enumerate(documents):
            slot_of[document.chunk_id] = slot
        self._posts = {
            slug: tuple(slot_of[self._documents[s].chunk_id] for s in slots)
            for slug, slots in self._posts.items()
        }
        self._documents = list(documents)
        self._alive = np.ones(len(documents), dtype=bool)
        slots = list(range(len(documents)))
        for name in ("_stems", "_grams"):
            terms = [getattr(d, name[1:]) for d in documents]
            field: _Field = getattr(self, name)
            lengths = np.array([t.length for t in terms], dtype=np.int64)
            setattr(
                self, name, _Field((_Segment.of(slots, terms),), lengths, field.frequency, field.total_length)
            )

    # ---- search ---------------------------------------------------------------------------------------------------

    def _scores(self, field: _Field, vocab: dict[str, int], tokenize: Callable[[str], list[str]], query: str):
        terms = [vocab[t] for t in tokenize(query) if t in vocab]
        return field.scores(terms, self._alive, self._live)

    def search(self, query: str, k: int) -> dict[str, float]:
        """The ``k`` best chunks: the mean of word and n-gram BM25, each scaled to its best score."""
        if not self._live:
            return {}
        combined = _scaled(self._word_scores(query)) + _scaled(self._gram_scores(query))
        return self._best(combined / 2, k)

    def search_words_and_ngrams(self, query: str, k: int) -> tuple[dict[str, float], dict[str, float]]:
        """The ``k`` best chunks by word BM25 and, separately, by n-gram BM25, each scaled to its best score."""
        if not self._live:
            return {}, {}
        return (
            self._best(_scaled(self._word_scores(query)), k),
            self._best(_scaled(self._gram_scores(query)), k),
        )

    def search_alternatives(
        self, groups: Sequence[Sequence[str]], k: int
    ) -> tuple[dict[str, float], dict[str, float]]:
        """``search_words_and_ngrams`` for a question given as groups of alternative words (an English word and
        its Dutch translations): each group adds the score of its best alternative in the chunk, so a word with
        many translations counts once, as a word of a Dutch question does."""
        if not self._live:
            return {}, {}
        # Summed in float32, as bm25s sums a query's terms: a group of one word scores as that word does.
        nothing = np.zeros(len(self._alive), dtype=np.float32)
        by_words = sum((self._best_of(group, self._word_scores) for group in groups), nothing)
        by_ngrams = sum((self._best_of(group, self._gram_scores) for group in groups), nothing)
        return self._best(_scaled(by_words), k), self._best(_scaled(by_ngrams), k)

    @staticmethod
    def _best_of(alternatives: Sequence[str], scores: Callable[[str], np.ndarray]) -> np.ndarray:
        return np.max([scores(word) for word in alternatives], axis=0)

    def _word_scores(self, query: str) -> np.ndarray:
        return self._scores(self._stems, self._tokens.stem_vocab, content_stems, query)

    def _gram_scores(self, query: str) -> np.ndarray:
        return self._scores(self._grams, self._tokens.gram_vocab, char_ngrams, query)

    def _best(self, scores: np.ndarray, k: int) -> dict[str, float]:
        """The ``k`` best positive scores, ranked as in an index built from all chunks in post and position
        order, however the posts came in (equal scores are common in a corpus that repeats itself)."""
        order = self._canonical_order()
        ordered = scores[order]
        best = np.argsort(-ordered)[:k]
        return {self._documents[order[i]].chunk_id: float(ordered[i]) for i in best if ordered[i] > 0}

    def _canonical_order(self) -> np.ndarray:
        """The live slots in post and position order (computed once per index: updates give a new index)."""
        if self._canonical is None:
            live = [s for s, d in enumerate(self._documents) if d is not None]
            self._canonical = np.array(sorted(live, key=lambda s: self._documents[s].order), dtype=np.int64)
        return self._canonical

    # ---- vocabulary -----------------------------------------------------------------------------------------------

    def frequency(self, word: str) -> int:
        """In how many chunks a word occurs (by its stem)."""
        return self._frequency(stem(word))

    def _frequency(self, stem_: str) -> int:
        term = self._tokens.stem_vocab.get(stem_)
        frequency = self._stems.frequency
        return int(frequency[term]) if term is not None and term < len(frequency) else 0


def _scaled(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores
