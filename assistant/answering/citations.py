"""Check an LLM answer's citations: drop markers that point to no source, renumber, find the quoted sentences."""

from __future__ import annotations

import re

from assistant.answering.types import Citation
from assistant.chunking import Span
from assistant.language import content_stems
from assistant.retrieval import Passage

_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
MAX_QUOTED_PER_SOURCE = 2
MIN_OVERLAP = 0.25


def check_citations(text: str, passages: list[Passage]) -> tuple[str, list[Citation]]:
    """Keep markers that name a source (numbered 1..len(passages)), renumber them by first use, attach quotes."""
    renumbered: dict[int, int] = {}

    def replace(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"\s*[,;]\s*", match.group(1))]
        valid = [n for n in numbers if 1 <= n <= len(passages)]
        for n in valid:
            renumbered.setdefault(n, len(renumbered) + 1)
        return "".join(f"[{renumbered[n]}]" for n in dict.fromkeys(valid))

    cleaned = _MARKER.sub(replace, text)
    cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip()
    citations = []
    for original, n in sorted(renumbered.items(), key=lambda item: item[1]):
        passage = passages[original - 1]
        claims = [s for s in _SENTENCE.findall(cleaned) if f"[{n}]" in s] or [cleaned]
        citations.append(Citation(n, passage.chunk, supporting_spans(passage, claims)))
    return cleaned, citations


def supporting_spans(passage: Passage, claims: list[str]) -> tuple[Span, ...]:
    """The passage sentences that share the most content words with the claims citing it (relative spans)."""
    chunk = passage.chunk
    claim_stems = set(content_stems(" ".join(claims)))
    scored = []
    for span in chunk.sentences:
        relative = Span(span.start - chunk.start, span.end - chunk.start)
        stems = set(content_stems(chunk.text[relative.start : relative.end]))
        overlap = len(stems & claim_stems) / len(stems) if stems else 0.0
        scored.append((overlap + passage.sentence_similarity.get(span, 0.0) / 10, relative, overlap))
    supported = [s for s in sorted(scored, key=lambda row: -row[0]) if s[2] >= MIN_OVERLAP][
        :MAX_QUOTED_PER_SOURCE
    ]
    if not supported:
        supported = sorted(scored, key=lambda row: -row[0])[:1]
    return tuple(sorted((row[1] for row in supported), key=lambda s: s.start))
