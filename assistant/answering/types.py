"""``Citation`` and ``Answer``: what every front end renders and ``ask --json`` serializes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from assistant.answering.history import recalled
from assistant.chunking import Chunk, Span


@dataclass(frozen=True)
class Citation:
    """Source ``n`` of an answer: a passage and the sentences of it the answer relies on.

    ``spans`` are offsets into ``chunk.text`` (the passage), in reading order.
    """

    n: int
    chunk: Chunk
    spans: tuple[Span, ...]

    @property
    def passage(self) -> str:
        return self.chunk.text

    @property
    def quotes(self) -> list[str]:
        return [self.chunk.text[s.start : s.end] for s in self.spans]

    @property
    def quote(self) -> str:
        """The quoted stretch of the passage, from the first quoted sentence to the last (verbatim)."""
        if not self.spans:
            return ""
        return self.chunk.text[self.spans[0].start : self.spans[-1].end]

    def to_json(self) -> dict[str, object]:
        return {
            "n": self.n,
            "post": self.chunk.post_slug,
            "title": self.chunk.post_title,
            "section": self.chunk.section,
            "url": self.chunk.url,
            "date": self.chunk.date,
            "passage": self.passage,
            "quote": self.quote,
            "quotes": self.quotes,
        }


@dataclass(frozen=True)
class MarkerCheck:
    """An LLM answer's ``[n]`` markers: how many it wrote, and how many the citation check removed because they
    named no source or a source that does not support their sentence."""

    written: int
    unknown: int = 0
    unsupported: int = 0


RefusalReason = Literal["off_topic", "manipulation", "too_long", "empty"]


@dataclass
class Answer:
    """A grounded answer: text with ``[n]`` markers, the citations they refer to, and how it was made."""

    question: str
    text: str
    citations: list[Citation]
    refused: bool
    mode: Literal["extractive", "llm"]
    lang: str
    standalone_question: str = ""
    notice: str = ""
    # The posts only touch the question: the text says so and cites the closest passages.
    related_only: bool = False
    # Why a refused answer was refused ("" when answered): the coach's page keeps manipulation apart.
    refusal_reason: RefusalReason | Literal[""] = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    # What the citation check did to an LLM's markers (None for answers no LLM wrote): the evaluation counts it.
    markers: MarkerCheck | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "related_only": self.related_only,
            "refusal_reason": self.refusal_reason,
            "mode": self.mode,
            "lang": self.lang,
            "standalone_question": self.standalone_question,
            "notice": self.notice,
            "citations": [c.to_json() for c in self.citations],
            "timings_ms": self.timings_ms,
        }


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation, as the next question needs it.

    ``answer`` is the answer as the conversation remembers it (``history.recalled``): an LLM's own words, what an
    answer of quotes cited, or that there was no answer."""

    question: str
    standalone_question: str
    answer: str
    # A refused turn left no topic to follow up on.
    refused: bool = False

    @classmethod
    def of(cls, answer: Answer) -> Turn:
        """The turn an answer makes (its question as asked, then as retrieved)."""
        return cls(answer.question, answer.standalone_question, recalled(answer), answer.refused)
