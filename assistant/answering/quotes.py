"""Which sentences of the retrieved passages to quote, and the citations that quote them.

Sentences are scored by the dense similarity of their window to the question plus the share of the question's
content words they contain; the top passage always contributes, a few more sentences are added for relevance and
variety. Each chosen sentence is quoted as a complete thought (see thoughts). Boilerplate is never quoted, and a
question asking how to do something prefers practical sentences (instructions, list items). About
``MAX_QUOTED_WORDS`` words in all.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from assistant.answering.sentence_kinds import asks_how
from assistant.answering.thoughts import boilerplate_sentences, practical_sentences, sentence_texts, thought
from assistant.answering.types import Citation
from assistant.chunking import Chunk, Span
from assistant.language import content_stems
from assistant.retrieval import Passage

MAX_SENTENCES = 3
MAX_QUOTED_WORDS = 120
CANDIDATE_PASSAGES = 3
PASSAGE_PRIOR = (0.6, 0.3, 0.0)
PRACTICAL_BONUS = 1.0


@dataclass(frozen=True)
class ScoredSentence:
    passage_rank: int
    chunk: Chunk
    span: Span  # offsets in the post's text
    score: float
    stems: frozenset[str]

    @property
    def index(self) -> int:
        return self.chunk.sentences.index(self.span)


def score_sentences(
    question: str,
    passages: list[Passage],
    similarities: dict[tuple[str, Span], float],
    focus: str = "",
) -> list[ScoredSentence]:
    """Score every sentence of the top passages for how well it answers ``question``.

    ``similarities`` holds the question's cosine similarity to each sentence's window, by (chunk id, sentence).

    ``focus`` is a follow-up's own wording: its words count fully, the earlier turn's only half, so the answer
    to "En hoe laat ik die zien op maandagochtend?" quotes the sentence about Monday morning.

    A question asking how to do something ("Hoe pak ik dat aan?", "Wat kan ik doen?") gives practical sentences
    (instructions, list items) a bonus: the steps answer it better than a general statement.
    """
    question_stems = set(content_stems(question))
    focus_stems = set(content_stems(focus))
    wants_practice = asks_how(focus or question)
    rows = []
    for rank, passage in enumerate(passages[:CANDIDATE_PASSAGES]):
        chunk = passage.chunk
        practical = practical_sentences(chunk)
        for index, span in enumerate(chunk.sentences):
            dense = similarities.get((chunk.id, span))
            stems = frozenset(content_stems(sentence_texts(chunk)[index]))
            overlap = _share(question_stems, stems)
            if focus_stems:
                overlap = max(overlap / 2, _share(focus_stems, stems))
            bonus = PRACTICAL_BONUS if wants_practice and index in practical else 0.0
            rows.append((rank, chunk, span, dense, overlap + bonus / 1.5, stems))
    dense_values = [r[3] for r in rows if r[3] is not None]
    mean, spread = (
        (float(np.mean(dense_values)), float(np.std(dense_values)) or 1.0) if dense_values else (0.0, 1.0)
    )
    scored = []
    for rank, chunk, span, dense, overlap, stems in rows:
        dense_z = (dense - mean) / spread if dense is not None else -1.0
        score = dense_z + 1.5 * overlap + PASSAGE_PRIOR[rank] - (0.5 if len(stems) < 2 else 0.0)
        scored.append(ScoredSentence(rank, chunk, span, score, stems))
    return scored


def _share(wanted: set[str], present: frozenset[str]) -> float:
    return len(wanted & present) / len(wanted) if wanted else 0.0


def select_sentences(
    scored: list[ScoredSentence], max_sentences: int = MAX_SENTENCES, max_words: int = MAX_QUOTED_WORDS
) -> list[ScoredSentence]:
    """Pick the best sentence of the top passage, then up to ``max_sentences`` in all, relevant and not redundant;
    quote each as a complete thought, within about ``max_words`` words."""
    candidates = [s for s in scored if s.index not in boilerplate_sentences(s.chunk)]
    if not candidates:
        return []
    top_passage = [s for s in candidates if s.passage_rank == 0] or candidates
    seeds = [max(top_passage, key=lambda s: s.score)]
    threshold = seeds[0].score - 1.2
    while len(seeds) < max_sentences:
        remaining = [s for s in candidates if s not in seeds and s.score >= threshold]
        if not remaining:
            break
        best = max(remaining, key=lambda s: _mmr(s, seeds))
        if _mmr(best, seeds) < threshold:
            break
        seeds.append(best)
    return _quote_thoughts(seeds, scored, max_words)


def _quote_thoughts(
    seeds: list[ScoredSentence], scored: list[ScoredSentence], max_words: int
) -> list[ScoredSentence]:
    """Each seed with its thought: the first as far as the words allow, the others whole or not at all."""
    by_span = {(s.chunk.id, s.span): s for s in scored}
    result: list[ScoredSentence] = []
    for n, seed in enumerate(seeds):
        indexes = thought(seed.chunk, seed.index, with_context=seed.passage_rank == 0)
        sentences = [by_span[(seed.chunk.id, seed.chunk.sentences[i])] for i in indexes]
        new = [s for s in sentences if s not in result]
        if n == 0:
            for sentence in new:
                if result and _words([*result, sentence]) > max_words:
                    break
                result.append(sentence)
        elif _words(result + new) <= max_words:
            result += new
    return result


def _words(sentences: list[ScoredSentence]) -> int:
    return sum(len(sentence_texts(s.chunk)[s.index].split()) for s in sentences)


def _mmr(candidate: ScoredSentence, selected: list[ScoredSentence]) -> float:
    redundancy = max((_jaccard(candidate.stems, s.stems) for s in selected), default=0.0)
    adjacent = any(s.chunk.id == candidate.chunk.id and abs(s.index - candidate.index) == 1 for s in selected)
    return candidate.score - 1.5 * redundancy + (0.3 if adjacent else 0.0)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def build_citations(selected: list[ScoredSentence]) -> list[Citation]:
    """One citation per passage, with its sentences in reading order, numbered by post: the posts in the order of
    their best passage, and within a post by retrieval rank (so an answer grouped by post reads [1], [2], [3])."""
    by_chunk: dict[str, list[ScoredSentence]] = {}
    for sentence in selected:
        by_chunk.setdefault(sentence.chunk.id, []).append(sentence)
    by_rank = sorted(by_chunk.values(), key=lambda group: group[0].passage_rank)
    post_order = list(dict.fromkeys(group[0].chunk.post_slug for group in by_rank))
    ordered = sorted(by_rank, key=lambda group: post_order.index(group[0].chunk.post_slug))
    citations = []
    for n, group in enumerate(ordered, start=1):
        chunk = group[0].chunk
        spans = sorted(
            {Span(s.span.start - chunk.start, s.span.end - chunk.start) for s in group}, key=lambda s: s.start
        )
        citations.append(Citation(n, chunk, tuple(_fill_gaps(chunk, spans))))
    return citations


def _fill_gaps(chunk: Chunk, spans: list[Span]) -> list[Span]:
    """Quote a single skipped sentence between two quoted ones too, so the quote reads as one passage."""
    relative = [Span(s.start - chunk.start, s.end - chunk.start) for s in chunk.sentences]
    indexes = sorted(relative.index(s) for s in spans)
    filled = set(indexes)
    for a, b in itertools.pairwise(indexes):
        if b - a == 2 and a + 1 not in boilerplate_sentences(chunk):
            filled.add(a + 1)
    return [relative[i] for i in sorted(filled)]
