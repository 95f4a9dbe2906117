"""The answer without an LLM: the few sentences of the retrieved passages that best answer, quoted verbatim.

Sentences are scored by the dense similarity of their window to the question plus the share of the question's
content words they contain; the top passage always contributes, a few more sentences are added for relevance and
variety, and a sentence that introduces a list (ending in ':') brings its list items along.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from assistant.answering.types import Citation
from assistant.chunking import Chunk, Span
from assistant.language import content_stems
from assistant.retrieval import Passage

MAX_SENTENCES = 3
MAX_LIST_ITEMS = 6
CANDIDATE_PASSAGES = 3
PASSAGE_PRIOR = (0.6, 0.3, 0.0)


@dataclass(frozen=True)
class ScoredSentence:
    passage_rank: int
    chunk: Chunk
    span: Span  # offsets in the post's text
    score: float
    stems: frozenset[str]


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
    """
    question_stems = set(content_stems(question))
    focus_stems = set(content_stems(focus))
    rows = []
    for rank, passage in enumerate(passages[:CANDIDATE_PASSAGES]):
        chunk = passage.chunk
        for span in chunk.sentences:
            dense = similarities.get((chunk.id, span))
            text = chunk.text[span.start - chunk.start : span.end - chunk.start]
            stems = frozenset(content_stems(text))
            overlap = _share(question_stems, stems)
            if focus_stems:
                overlap = max(overlap / 2, _share(focus_stems, stems))
            rows.append((rank, chunk, span, dense, overlap, stems))
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
    scored: list[ScoredSentence], max_sentences: int = MAX_SENTENCES
) -> list[ScoredSentence]:
    """Pick the best sentence of the top passage, then up to ``max_sentences`` in all, relevant and not redundant."""
    if not scored:
        return []
    top_passage = [s for s in scored if s.passage_rank == 0] or scored
    selected = [max(top_passage, key=lambda s: s.score)]
    threshold = selected[0].score - 1.2
    while len(selected) < max_sentences:
        remaining = [s for s in scored if s not in selected and s.score >= threshold]
        if not remaining:
            break
        best = max(remaining, key=lambda s: _mmr(s, selected))
        if _mmr(best, selected) < threshold:
            break
        selected.append(best)
    return _with_list_items(_with_context(selected, scored), scored)


def _with_context(selected: list[ScoredSentence], scored: list[ScoredSentence]) -> list[ScoredSentence]:
    """Quote the best sentence with its neighbours in its passage: the window that matched, not just its middle."""
    by_span = {(s.chunk.id, s.span): s for s in scored}
    result = list(selected)
    for chosen in [s for s in selected if s.passage_rank == 0]:
        spans = chosen.chunk.sentences
        position = spans.index(chosen.span)
        neighbours = [spans[i] for i in (position - 1, position + 1) if 0 <= i < len(spans)]
        result += [
            by_span[(chosen.chunk.id, span)]
            for span in neighbours
            if by_span[(chosen.chunk.id, span)] not in result
        ]
    return result


def _mmr(candidate: ScoredSentence, selected: list[ScoredSentence]) -> float:
    redundancy = max((_jaccard(candidate.stems, s.stems) for s in selected), default=0.0)
    adjacent = any(s.chunk.id == candidate.chunk.id and _adjacent(s, candidate) for s in selected)
    return candidate.score - 1.5 * redundancy + (0.3 if adjacent else 0.0)


def _adjacent(a: ScoredSentence, b: ScoredSentence) -> bool:
    spans = a.chunk.sentences
    return abs(spans.index(a.span) - spans.index(b.span)) == 1


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _with_list_items(selected: list[ScoredSentence], scored: list[ScoredSentence]) -> list[ScoredSentence]:
    """A sentence ending in ':' announces a list; quote the items that follow it in its passage."""
    result = list(selected)
    by_span = {(s.chunk.id, s.span): s for s in scored}
    for sentence in selected:
        text = sentence.chunk.text[
            sentence.span.start - sentence.chunk.start : sentence.span.end - sentence.chunk.start
        ]
        if not text.rstrip().endswith(":"):
            continue
        spans = sentence.chunk.sentences
        following = spans[spans.index(sentence.span) + 1 : spans.index(sentence.span) + 1 + MAX_LIST_ITEMS]
        result += [
            by_span[(sentence.chunk.id, s)]
            for s in following
            if by_span[(sentence.chunk.id, s)] not in result
        ]
    return result


def build_citations(selected: list[ScoredSentence]) -> list[Citation]:
    """One citation per passage, numbered by retrieval rank, with its sentences in reading order."""
    by_chunk: dict[str, list[ScoredSentence]] = {}
    for sentence in selected:
        by_chunk.setdefault(sentence.chunk.id, []).append(sentence)
    ordered = sorted(by_chunk.values(), key=lambda group: group[0].passage_rank)
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
        if b - a == 2:
            filled.add(a + 1)
    return [relative[i] for i in sorted(filled)]


def compose(lang: str, citations: list[Citation]) -> str:
    """The extractive answer text: a short introduction in the question's language and the quotes with [n]."""
    titles = {c.chunk.post_title for c in citations}
    if lang == "en":
        intro = "Here is what the posts say about this (quoted in Dutch):"
    elif len(titles) == 1:
        intro = f"In de blog “{next(iter(titles))}” staat hierover:"
    else:
        intro = "Dit staat er in de blogs over:"
    quotes = [f"“{' … '.join(_quote_runs(c))}” [{c.n}]" for c in citations]
    return "\n\n".join([intro, *quotes])


def _quote_runs(citation: Citation) -> list[str]:
    """Consecutive quoted sentences as one run; a gap between runs becomes an ellipsis."""
    relative = [
        Span(s.start - citation.chunk.start, s.end - citation.chunk.start) for s in citation.chunk.sentences
    ]
    runs: list[list[Span]] = []
    for span in citation.spans:
        if runs and relative.index(span) == relative.index(runs[-1][-1]) + 1:
            runs[-1].append(span)
        else:
            runs.append([span])
    return [citation.chunk.text[run[0].start : run[-1].end].replace("\n\n", " ") for run in runs]
