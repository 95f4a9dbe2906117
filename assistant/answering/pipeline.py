"""One question in, one cited answer out: guard, follow-up, retrieval, relevance, then the LLM or quotes.

answerer = Answerer(retriever)                 # no LLM: extractive answers; Answerer(retriever, llm) writes them
stream = answerer.stream("Wat zijn de bouwstenen van vertrouwen?")
for token in stream:
    print(token, end="")
stream.result().citations[0].quote
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator, Iterator, Sequence

from llama_index.core.llms import LLM

from assistant.answering import extractive, quotes
from assistant.answering.citations import check_citations
from assistant.answering.followup import MAX_TURNS, condense_messages, leans_on, resolve_follow_up
from assistant.answering.guard import (
    MAX_QUESTION_CHARS,
    is_manipulation,
    manipulation_text,
    refusal_text,
    too_long_text,
)
from assistant.answering.llm import NO_ANSWER, condense, prompt_question, stream_answer
from assistant.answering.types import Answer, Citation, RefusalReason, Turn
from assistant.config import BLOG_FIELD
from assistant.language import detect_language
from assistant.relevance import BlogField, Outcome, RelevanceGate
from assistant.retrieval import HybridRetriever, Retrieval

log = logging.getLogger(__name__)

# Measured on 60 dev cases with a stand-in model's recorded replies (``assistant eval --llm-passages``): the first
# citation was gold for 33/47 answerable cases with 10 passages, 35/47 with 15, 36/47 with 20. Fifteen keeps most of
# that gain at half the extra prompt of twenty, and its support check removed the fewest markers (9 of 294).
LLM_PASSAGES = 15


class AnswerStream:
    """Iterate for the answer's text as it is produced; ``answer`` holds the checked ``Answer`` afterwards."""

    def __init__(self, generator: Generator[str, None, Answer]):
        self._generator = generator
        self.answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        self.answer = yield from self._generator

    def result(self) -> Answer:
        if self.answer is None:
            for _ in self:
                pass
        return self.answer


class Answerer:
    """Answers questions from one retriever, with an LLM when one is given."""

    def __init__(
        self,
        retriever: HybridRetriever,
        llm: LLM | None = None,
        max_question_chars: int = MAX_QUESTION_CHARS,
        gate: RelevanceGate | None = None,
        blog_field: str = BLOG_FIELD,
        llm_passages: int = LLM_PASSAGES,
    ):
        self.retriever = retriever
        # Calibrated for the embedder the index was built with (see relevance.py).
        self.gate = gate or RelevanceGate.load(retriever.index.embedding_name)
        self.field = BlogField(blog_field, retriever.embedder)
        self.llm = llm
        self.max_question_chars = max_question_chars
        self.llm_passages = llm_passages

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        return self.stream(question, history).result()

    def stream(self, question: str, history: Sequence[Turn] = ()) -> AnswerStream:
        return AnswerStream(self._run(question.strip(), list(history)[-MAX_TURNS:]))

    def _run(self, question: str, history: list[Turn]) -> Generator[str, None, Answer]:
        started = time.perf_counter()
        lang = detect_language(question)
        mode = "llm" if self.llm else "extractive"
        if len(question) > self.max_question_chars:
            text = too_long_text(lang, self.max_question_chars)
            return (yield from self._refuse(question, question, lang, mode, text, started, reason="too_long"))
        if not question:
            text = refusal_text(lang, [])
            return (yield from self._refuse(question, question, lang, mode, text, started, reason="empty"))
        if is_manipulation(question):
            text = manipulation_text(lang)
            return (
                yield from self._refuse(question, question, lang, mode, text, started, reason="manipulation")
            )

        top_k = self.llm_passages if self.llm else None
        # Without an LLM a follow-up is decided from the question's own retrieval, which then serves as the
        # answer's retrieval whenever the question stands alone: one search, not two.
        alone = self._search(question, top_k) if self.llm is None and leans_on(history) else None
        standalone = self._standalone(question, history, alone)
        retrieval = alone if alone is not None and standalone == question else self._search(standalone, top_k)
        outcome = self._outcome(retrieval, lang, question if standalone != question else "", alone)
        if outcome == "refuse":
            text = refusal_text(lang, self.retriever.topics(retrieval))
            return (
                yield from self._refuse(
                    question, standalone, lang, mode, text, started, retrieval, "off_topic"
                )
            )

        quoted = self._extractive(
            standalone, lang, retrieval, focus=question if standalone != question else ""
        )
        if outcome == "related":
            # Only the closest passages, said to be that: neither a full answer nor an LLM's.
            related = _related_only(quoted)
            yield related.text
            return self._finish(related, question, standalone, started, retrieval)
        if self.llm is None:
            yield quoted.text
            return self._finish(quoted, question, standalone, started, retrieval)
        answer = yield from self._llm_answer(question, standalone, lang, retrieval, quoted)
        return self._finish(answer, question, standalone, started, retrieval)

    def _search(self, question: str, top_k: int | None) -> Retrieval:
        """Retrieval with the sentence similarities the quotes are chosen by."""
        return self.retriever.search(question, top_k, quoted=quotes.CANDIDATE_PASSAGES)

    def _outcome(self, retrieval: Retrieval, lang: str, asked: str, alone: Retrieval | None) -> Outcome:
        """The gate's outcome (``asked``: a follow-up joined to the conversation, as asked, and ``alone`` its own
        retrieval). With an LLM anything but a refusal goes on to it: it reads the passages and says itself when
        they hold no answer. It retrieved with its Dutch rewrite, so that language is judged."""
        if self.llm is None:
            return self.gate.decide(retrieval, lang, self.field, asked, alone)
        outcome = self.gate.decide(retrieval, detect_language(retrieval.query), self.field)
        return "refuse" if outcome == "refuse" else "answer"

    def _standalone(self, question: str, history: list[Turn], alone: Retrieval | None) -> str:
        """The question to retrieve with; an LLM rewrites a follow-up or a non-Dutch question as a Dutch one."""
        # Any question after earlier turns goes to the LLM: it tells a follow-up from a new topic better than rules.
        if self.llm is None or not (history or detect_language(question) != "nl"):
            return self._resolve(question, history, alone)
        try:
            return condense(self.llm, condense_messages(question, history)) or self._resolve(
                question, history, alone
            )
        except Exception as error:  # the LLM failing must not stop the answer; the heuristic still works
            log.warning("rewriting the question failed: %s", type(error).__name__)
            return self._resolve(question, history, alone)

    def _resolve(self, question: str, history: list[Turn], alone: Retrieval | None) -> str:
        """The heuristic decision, retrieving the question alone only when there is a topic to follow up on."""
        if not leans_on(history):
            return question
        return resolve_follow_up(question, history, alone or self.retriever.search(question))

    def _extractive(self, question: str, lang: str, retrieval: Retrieval, focus: str = "") -> Answer:
        scored = quotes.score_sentences(question, retrieval.passages, retrieval.sentence_similarities, focus)
        citations = quotes.build_citations(quotes.select_sentences(scored))
        # a follow-up's own words ("En waarom?") say what kind of answer it asks for
        text = extractive.compose(lang, citations, focus or question)
        return Answer(question, text, citations, False, "extractive", lang)

    def _llm_answer(
        self, question: str, standalone: str, lang: str, retrieval: Retrieval, quoted: Answer
    ) -> Generator[str, None, Answer]:
        passages = retrieval.passages[: self.llm_passages]
        produced: list[str] = []
        try:
            # The model sees the standalone question, so a follow-up is answered in context.
            for token in stream_answer(self.llm, prompt_question(question, standalone, lang), passages):
                produced.append(token)
                yield token
        except Exception as error:
            log.warning("the LLM failed, answering with quotes: %s", type(error).__name__)
            notice = (
                "The language model could not be reached; here are the passages from the posts."
                if lang == "en"
                else "Het taalmodel is nu niet bereikbaar; hieronder staan de passages uit de blogs."
            )
            yield "\n\n" + quoted.text if produced else quoted.text
            quoted.notice = notice
            return quoted
        text = "".join(produced).strip()
        if not text or text == NO_ANSWER:
            # stream_answer holds NO_ANSWER back, so nothing was shown yet: the stream must carry the refusal.
            text = refusal_text(lang, self.retriever.topics(retrieval))
            refusal = self._refusal(question, standalone, lang, "llm", text, "off_topic")
            yield refusal.text
            return refusal
        checked, citations, markers = check_citations(text, passages, lang)
        if not citations:
            # An answer that cites nothing cannot be checked against the posts: show the quotes instead.
            quoted.notice = (
                "The language model's answer named no sources; here are the passages themselves."
                if lang == "en"
                else "Het antwoord van het taalmodel noemde geen bronnen; hieronder de passages zelf."
            )
            quoted.markers = markers
            return quoted
        return Answer(question, checked, citations, False, "llm", lang, markers=markers)

    def _refusal(
        self, question: str, standalone: str, lang: str, mode: str, text: str, reason: RefusalReason
    ) -> Answer:
        return Answer(
            question, text, [], True, mode, lang, standalone_question=standalone, refusal_reason=reason
        )

    def _refuse(
        self,
        question: str,
        standalone: str,
        lang: str,
        mode: str,
        text: str,
        started: float,
        retrieval: Retrieval | None = None,
        reason: RefusalReason = "off_topic",
    ) -> Generator[str, None, Answer]:
        yield text
        refusal = self._refusal(question, standalone, lang, mode, text, reason)
        return self._finish(refusal, question, standalone, started, retrieval)

    def _finish(
        self, answer: Answer, question: str, standalone: str, started: float, retrieval: Retrieval | None
    ) -> Answer:
        answer.question = question
        answer.standalone_question = standalone
        answer.timings_ms = {**(retrieval.timings_ms if retrieval else {}), "total_ms": _ms(started)}
        return answer


RELATED_LEAD = {
    "nl": "De blogs gaan hier niet precies over. Dit komt het dichtst in de buurt:",
    "en": "The posts don't cover this exactly. This is the closest they come (quoted in Dutch):",
}


def _related_only(quoted: Answer) -> Answer:
    """The quoted answer, introduced as the closest the posts come rather than as their answer."""
    lead = RELATED_LEAD["en" if quoted.lang == "en" else "nl"]
    quoted.text = extractive.compose(quoted.lang, quoted.citations, lead=lead)
    quoted.related_only = True
    return quoted


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


__all__ = ["Answer", "AnswerStream", "Answerer", "Citation", "Turn"]
