"""Answer, *related only*, or refuse: judged from the passages retrieved for a question and from the blog's field,
so that it means the same on a blog of one post as on one of three hundred.

Two scores decide, each a small logistic model over evidence that does not grow or shrink with the corpus:

- the **answer score**: does the first passage treat the question? How close its chunk and post come to the
  question (a passage that merely shares a sentence with it is not about it), the share of the question's words
  it contains (longer words weigh more: they are the rarer, more specific ones; "lesrooster" says more than
  "team") and the length of the longest word it lacks (a question the posts do not treat typically hinges on one
  specific word they never use: "begroting", "salarisschaal"), its language (cross-lingual similarities run
  lower), and the number of posts (the best of many passages comes closer to any question than the best of a few,
  so the bar rises slowly with the blog). An English question's word counts as found when one of its dictionary
  translations is (``Retrieval.translations``). A follow-up joined to the conversation that brings a topic of its
  own is judged on its own words, looked for in the first three passages, since the first answers the earlier
  question. At or above the answer threshold the question is answered.
- the **field score**: does the question belong to the blog's field at all? Its similarity to a short
  description of the field (``Settings.blog_field``: a few phrases in Dutch and English, written once; another
  coach's blog has another field), to the phrases in the question's own language when the description has some,
  and the share of its words the first three passages contain. Below the floor of its language the question is
  refused ("Daar gaan de blogs niet over"); the description needs no corpus, and what the posts add only ever
  keeps a question in.

Between the two, a question in the field that the posts do not treat gets **related only**: the closest
passages, said to be that ("De blogs gaan hier niet precies over. Dit komt het dichtst in de buurt: …").
Nothing reads the vocabulary of the corpus as a whole, which is what made small blogs refuse nearly everything.

Similarities mean different things for different embedders, so models and thresholds are fitted per embedder
(``assistant eval --fit-gate``, ``evaluation/gate_fit.py``) on the evaluation's ``dev`` split, asked of blogs of
1, 2, 4, 8 and 16 posts and of all of them, and stored in ``relevance.json`` beside this module. An embedder
without a calibration never claims a full answer: every question with passages gets *related only*.

    gate = RelevanceGate.load("e5-small")
    field = BlogField(settings.blog_field, embedder)
    gate.decide(retrieval, "nl", field)        # "answer" | "related" | "refuse"
"""

from __future__ import annotations

import json
import logging
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from llama_index.core.embeddings import BaseEmbedding

from assistant.config import field_phrases
from assistant.language import STOP_WORDS, content_stems, detect_language, stem, words
from assistant.retrieval import Passage, Retrieval

log = logging.getLogger(__name__)

Outcome = Literal["answer", "related", "refuse"]
ANSWER_FEATURES = ("chunk", "post", "words_in_first", "longest_missing", "english", "log_posts")
FIELD_FEATURES = ("field", "words_found")
CALIBRATION_FILE = Path(__file__).with_name("relevance.json")
# The passages whose words are looked for: the first few, as the answer quotes them (the field score), and the
# first alone (the answer score: does the passage the answer leads with treat the question?).
WORDS_FROM_PASSAGES = 3
# A follow-up with this many content words of its own brings a topic of its own: its words must be found.
OWN_TOPIC_WORDS = 2


class BlogField:
    """What the blog is about: the phrases of its description and their vectors, embedded on first use."""

    def __init__(self, description: str, embedder: BaseEmbedding):
        self.phrases = field_phrases(description)
        self.languages = [detect_language(phrase) for phrase in self.phrases]
        self._embedder = embedder
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def similarity(self, vector: list[float], lang: str = "") -> float:
        """The question's similarity to the phrase of the description that comes closest (0 without a vector),
        among the phrases in the question's language ``lang`` when the description has any: a question comes
        closer to any text in its own language, so a phrase in the other one says less about its topic."""
        if not vector or not self.phrases:
            return 0.0
        with self._lock:
            if self._vectors is None:
                # Phrases are embedded as passages are: the question is compared with them as with the posts.
                self._vectors = np.asarray(self._embedder.get_text_embedding_batch(self.phrases))
        similarities = self._vectors @ np.asarray(vector)
        own = [i for i, phrase_lang in enumerate(self.languages) if phrase_lang == lang]
        return float(similarities[own].max() if own else similarities.max())


def evidence(
    retrieval: Retrieval,
    field_similarity: float,
    lang: str,
    asked: str = "",
    alone: Retrieval | None = None,
) -> dict[str, float]:
    """Everything both scores read, by name. ``asked``: when ``retrieval`` searched a follow-up joined to the
    conversation, the follow-up as asked, and ``alone`` its own retrieval; when it brings a topic of its own, its
    words are the ones to find."""
    own_topic = _own_topic_words(asked)
    question_words = own_topic or content_words(retrieval.query)
    in_first = _stems_of(retrieval.passages[:1])
    in_quoted = in_first | _stems_of(retrieval.passages[1:WORDS_FROM_PASSAGES])
    missing_in_quoted = _missing(question_words, in_quoted, retrieval.translations)
    # A joined follow-up's first passage answers the earlier question: its own words are looked for in all the
    # passages the answer quotes. When none is there, the joined question's closeness to them is the earlier
    # question's, so the follow-up's own closeness to what it finds counts instead.
    missing_in_first = (
        missing_in_quoted if own_topic else _missing(question_words, in_first, retrieval.translations)
    )
    signals = retrieval.signals_of_first()
    if own_topic and alone is not None and len(missing_in_first) == len(question_words):
        own = alone.signals_of_first()
        signals = {name: min(signals.get(name, 0.0), own.get(name, 0.0)) for name in ("chunk", "post")}
    return {
        "field": field_similarity,
        "chunk": signals.get("chunk", 0.0),
        "post": signals.get("post", 0.0),
        "words_found": _share_found(question_words, missing_in_quoted),
        "words_in_first": _share_found(question_words, missing_in_first),
        "longest_missing": float(max((len(w) for w in missing_in_first), default=0)),
        "english": float(lang == "en"),
        "log_posts": math.log(max(1, retrieval.posts)),
    }


def _own_topic_words(asked: str) -> list[str]:
    """A follow-up's content words when they are enough to make a topic of its own; else none."""
    own = content_words(asked)
    return own if len({stem(w) for w in own}) >= OWN_TOPIC_WORDS else []


def content_words(text: str) -> list[str]:
    return list(dict.fromkeys(w for w in words(text) if w not in STOP_WORDS))


def _stems_of(passages: list[Passage]) -> set[str]:
    present: set[str] = set()
    for passage in passages:
        chunk = passage.chunk
        present.update(content_stems(f"{chunk.post_title} {chunk.section} {chunk.text}"))
    return present


def _missing(
    question_words: list[str], present: set[str], translations: dict[str, tuple[str, ...]]
) -> list[str]:
    """The question's words whose stem is not in ``present``, nor that of any of their Dutch translations."""
    return [
        w
        for w in question_words
        if stem(w) not in present and not any(stem(t) in present for t in translations.get(w, ()))
    ]


def _share_found(question_words: list[str], missing: list[str]) -> float:
    """The share of the question's words found, each weighted by its length (1.0 without content words)."""
    if not question_words:
        return 1.0
    return 1 - sum(len(w) for w in missing) / sum(len(w) for w in question_words)


@dataclass(frozen=True)
class Model:
    """A logistic score: the features standardized by ``mean`` and ``scale``, weighted."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]

    def score(self, values: dict[str, float]) -> float:
        row = np.array([values[name] for name in self.features])
        return float(((row - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.weights))

    def to_json(self) -> dict[str, list]:
        return {k: list(getattr(self, k)) for k in ("features", "mean", "scale", "weights")}

    @classmethod
    def of(cls, data: dict) -> Model:
        return cls(*(tuple(data[k]) for k in ("features", "mean", "scale", "weights")))


@dataclass(frozen=True)
class RelevanceGate:
    """The two fitted scores and where they are cut; ``None`` models: not calibrated for this embedder."""

    embedder: str
    answer_model: Model | None = None
    answer_threshold: float = 0.0
    field_model: Model | None = None
    # Per language ("nl", "en"): cross-lingual similarities run lower, so each language gets its own floor.
    field_floors: dict[str, float] = field(default_factory=dict)
    fitted: dict[str, object] = field(default_factory=dict)

    @property
    def calibrated(self) -> bool:
        return self.answer_model is not None and self.field_model is not None

    @classmethod
    def load(cls, embedder: str, path: Path = CALIBRATION_FILE) -> RelevanceGate:
        stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        data = stored.get(embedder)
        current = (
            data is not None
            and data.get("answer", {}).get("features") == list(ANSWER_FEATURES)
            and data.get("field", {}).get("features") == list(FIELD_FEATURES)
        )
        if not current:
            log.warning(
                "%s relevance calibration for the embedder %r: questions get the closest passages, never a full "
                "answer, until `assistant eval --fit-gate` is run",
                "no" if data is None else "an outdated",
                embedder,
            )
            return cls(embedder)
        return cls(
            embedder,
            Model.of(data["answer"]),
            float(data["answer_threshold"]),
            Model.of(data["field"]),
            {lang: float(value) for lang, value in data["field_floors"].items()},
            data.get("fitted", {}),
        )

    def save(self, path: Path = CALIBRATION_FILE) -> None:
        """Store this embedder's calibration beside the others'."""
        if not self.calibrated:
            raise ValueError("only a calibrated gate can be stored")
        stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        stored[self.embedder] = {
            "answer": self.answer_model.to_json(),
            "answer_threshold": self.answer_threshold,
            "field": self.field_model.to_json(),
            "field_floors": self.field_floors,
            "fitted": self.fitted,
        }
        path.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def outcome(self, values: dict[str, float], lang: str) -> Outcome:
        """What the evidence of one question decides: refused when it lies outside the field; answered when the
        passages treat it; related only in between."""
        if not self.calibrated:
            return "related"
        floor = self.field_floors.get(lang, min(self.field_floors.values()))
        if self.field_model.score(values) < floor:
            return "refuse"
        return "answer" if self.answer_model.score(values) >= self.answer_threshold else "related"

    def decide(
        self,
        retrieval: Retrieval,
        lang: str,
        blog_field: BlogField,
        asked: str = "",
        alone: Retrieval | None = None,
    ) -> Outcome:
        """The outcome for a question's retrieval (``asked``, ``alone``: see ``evidence``)."""
        if not retrieval.passages:
            return "refuse"
        if not self.calibrated:
            return "related"
        values = evidence(retrieval, blog_field.similarity(retrieval.vector, lang), lang, asked, alone)
        return self.outcome(values, lang)
