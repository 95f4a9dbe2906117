"""What one system answered for one gold case, as plain data: the input of every metric and of the reports.

Our engine's ``Answer`` and the baseline's retrieved nodes are both turned into a ``CaseResult``, so the same
metric functions score both.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from assistant.answering.types import MarkerCheck
from assistant.evaluation.gold import GoldCase


@dataclass(frozen=True)
class CitedPassage:
    """Source ``n`` of an answer: the passage's post and text, and the sentences quoted from it (verbatim)."""

    n: int
    post: str
    passage: str
    quotes: tuple[str, ...] = ()
    section: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "n": self.n,
            "post": self.post,
            "section": self.section,
            "passage": self.passage,
            "quotes": list(self.quotes),
        }


@dataclass(frozen=True)
class CaseResult:
    """A system's answer to the scored (last) turn of a case, with its sources and how long it took."""

    case: GoldCase
    answer: str
    refused: bool
    citations: tuple[CitedPassage, ...]
    latency_ms: float
    standalone_question: str = ""
    judge: dict[str, float] = field(default_factory=dict)  # "faithfulness", "relevance" when judged
    # What retrieval ranked for the (standalone) question, best first, whatever the answer then cited:
    # recall@k reads it to tell "never found" from "found but ranked badly".
    retrieved: tuple[CitedPassage, ...] = ()
    # Our engine's middle ground: the closest passages, said not to answer the question exactly.
    related_only: bool = False
    # Who wrote the answer ("llm" or "extractive"; "" for the baseline), and an LLM's markers and what the
    # citation check removed (None when no LLM answered).
    mode: str = ""
    markers: MarkerCheck | None = None

    @property
    def id(self) -> str:
        return self.case.id

    @property
    def declined(self) -> bool:
        """Refused, or answered only with related passages: either way not presented as the posts' answer."""
        return self.refused or self.related_only

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.case.id,
            "kind": self.case.kind,
            "split": self.case.split,
            "turns": list(self.case.turns),
            "answerable": self.case.answerable,
            "lang": self.case.lang,
            "gold": [g.to_json() for g in self.case.gold],
            "answer": self.answer,
            "refused": self.refused,
            "related_only": self.related_only,
            "standalone_question": self.standalone_question,
            "citations": [c.to_json() for c in self.citations],
            "latency_ms": self.latency_ms,
            "judge": dict(self.judge),
            "retrieved": [{"post": r.post, "section": r.section} for r in self.retrieved],
            "mode": self.mode,
            "markers": dataclasses.asdict(self.markers) if self.markers else None,
        }
