"""Check an LLM answer's citations: drop markers that point to no source or to one that does not support their
sentence, renumber, find the quoted sentences."""

from __future__ import annotations

import re

from assistant.answering.types import Citation, MarkerCheck
from assistant.chunking import Span
from assistant.language import content_stems
from assistant.retrieval import Passage

_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
# A sentence with the markers that follow its full stop ("… zag. [1]"), so each marker is judged with its claim.
_CLAIM = re.compile(r"[^.!?\n]+(?:[.!?]+(?:[ \t]*\[\d[\d\s,;]*\])*|$)", re.MULTILINE)
MAX_QUOTED_PER_SOURCE = 2
MIN_OVERLAP = 0.25
# A cited passage supports a sentence when it holds more than a third of the sentence's content stems. On dev,
# a sentence of a gold passage shares a median third of its stems with the best-ranked passage of another post
# (the ranker picked that one for shared words: the hardest wrong citation); a sentence written from its source
# restates its content words, so one that reworded up to two thirds of them keeps its marker.
MIN_SUPPORT = 0.34
# Fewer content stems than this ("Begin klein [1].") say too little to judge: such a marker is kept.
MIN_JUDGED_STEMS = 3


def support(claim: str, passage: str) -> float | None:
    """The share of the claim's content stems the passage holds; None when the claim has too few to judge."""
    claim_stems = set(content_stems(claim))
    if len(claim_stems) < MIN_JUDGED_STEMS:
        return None
    return len(claim_stems & set(content_stems(passage))) / len(claim_stems)


def supports(claim: str, passage: Passage, lang: str) -> bool:
    """Whether the passage can stand behind the claim. Dutch stems say nothing about an English sentence, so
    the claims of an English answer are not judged (their markers only have to name a source)."""
    if lang == "en":
        return True
    share = support(claim, passage.chunk.text)
    return share is None or share >= MIN_SUPPORT


def check_citations(
    text: str, passages: list[Passage], lang: str = "nl"
) -> tuple[str, list[Citation], MarkerCheck]:
    """Keep markers that name a source (numbered 1..len(passages)) supporting their sentence, renumber them by
    first use, attach quotes; also say how many markers were written and removed."""
    renumbered: dict[int, int] = {}
    written = unknown = unsupported = 0

    def check_claim(sentence: re.Match[str]) -> str:
        claim = _MARKER.sub("", sentence.group(0))

        def replace(match: re.Match[str]) -> str:
            nonlocal written, unknown, unsupported
            numbers = [int(n) for n in re.split(r"\s*[,;]\s*", match.group(1).strip())]
            valid = []
            for n in numbers:
                written += 1
                if not 1 <= n <= len(passages):
                    unknown += 1
                elif not supports(claim, passages[n - 1], lang):
                    unsupported += 1
                else:
                    valid.append(n)
            for n in valid:
                renumbered.setdefault(n, len(renumbered) + 1)
            return "".join(f"[{renumbered[n]}]" for n in dict.fromkeys(valid))

        return _MARKER.sub(replace, sentence.group(0))

    cleaned = _CLAIM.sub(check_claim, text)
    cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip()
    citations = []
    for original, n in sorted(renumbered.items(), key=lambda item: item[1]):
        passage = passages[original - 1]
        claims = [s for s in _SENTENCE.findall(cleaned) if f"[{n}]" in s] or [cleaned]
        citations.append(Citation(n, passage.chunk, supporting_spans(passage, claims)))
    return cleaned, citations, MarkerCheck(written, unknown, unsupported)


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
