"""Where to go next: two or three follow-up questions under an answer, which the posts can answer.

Offline they come from the posts' own structure: the sections next to the cited passages, then sections of
related posts, each heading phrased as a question (a heading that is a question already stays as it is). A
refusal gets the headings of the posts closest to what was asked, so the leader sees what Kompas can answer.
With an LLM, one short call rewrites those headings as natural questions; if it fails, the offline ones stay.

    suggest(answer, retriever)             # ["Wat zeggen de blogs over ‘Vertrouwen herstellen na een fout’?", …]
    suggest(answer, retriever, llm=llm)    # written by the LLM, from the same headings
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.llms import LLM

from assistant.answering.types import Answer
from assistant.chunking import Chunk
from assistant.index.records import newest_first
from assistant.language import detect_language
from assistant.retrieval import HybridRetriever

log = logging.getLogger(__name__)

MAX_SUGGESTIONS = 3
# Posts other than the cited ones whose sections may be suggested (the closest by retrieval).
RELATED_POSTS = 2
MAX_SUGGESTION_CHARS = 140
# A post with this many headed sections or more ends with a closing one (see ``sections_of``).
CLOSING_AFTER = 3
TEMPLATE = {
    "nl": "Wat zeggen de blogs over ‘{heading}’?",
    "en": "What do the posts say about ‘{heading}’?",
}


@dataclass(frozen=True)
class Section:
    """A heading of one post: what a suggestion is made from."""

    post_slug: str
    post_title: str
    heading: str
    index: int

    @property
    def key(self) -> tuple[str, int]:
        return (self.post_slug, self.index)


def as_question(heading: str, lang: str) -> str:
    """A heading as a question a leader could ask: a question in the conversation's language already is one;
    otherwise the template's, in that language (an English conversation is not handed a Dutch question)."""
    heading = " ".join(heading.split()).strip()
    lang = "en" if lang == "en" else "nl"
    if heading.endswith("?") and detect_language(heading) == lang:
        return heading
    return TEMPLATE[lang].format(heading=heading.rstrip(".:!?"))


def normalized(text: str) -> str:
    """Lower case, words only: two wordings that differ in punctuation or case count as the same question."""
    return " ".join(re.findall(r"\w+", text.lower()))


def sections_of(chunks: Iterable[Chunk]) -> list[Section]:
    """Each post's headed sections in reading order, once each.

    Left out by structure, not by wording: the untitled opening (no heading to ask about) and the last section
    of a post with at least ``CLOSING_AFTER`` headed sections (a sign-off or summary, not a topic of its own; a
    shorter post's last section may well be one of its few topics).
    """
    headed: dict[tuple[str, int], Chunk] = {}
    for chunk in sorted(chunks, key=lambda c: (c.post_slug, c.position)):
        if chunk.section.strip():
            headed.setdefault((chunk.post_slug, chunk.section_index), chunk)
    counts: dict[str, int] = {}
    last: dict[str, int] = {}
    for slug, index in headed:
        counts[slug] = counts.get(slug, 0) + 1
        last[slug] = max(last.get(slug, 0), index)
    sections: dict[tuple[str, int], Section] = {}
    for (slug, index), chunk in headed.items():
        if not (counts[slug] >= CLOSING_AFTER and index == last[slug]):
            sections[(slug, index)] = Section(slug, chunk.post_title, chunk.section, index)
    return list(sections.values())


def neighbours_first(sections: Sequence[Section], cited: Iterable[tuple[str, int]]) -> list[Section]:
    """The sections of the cited posts, nearest to a cited section first; the cited sections themselves left
    out (the answer already quoted them). Sections of posts not cited follow in their given order."""
    cited = set(cited)
    cited_posts = {slug for slug, _ in cited}

    def distance(section: Section) -> int:
        return min(abs(section.index - index) for slug, index in cited if slug == section.post_slug)

    own = [s for s in sections if s.post_slug in cited_posts and s.key not in cited]
    others = [s for s in sections if s.post_slug not in cited_posts]
    return sorted(own, key=distance) + others


def offline_suggestions(
    sections: Iterable[Section], asked: Iterable[str], lang: str, limit: int = MAX_SUGGESTIONS
) -> list[str]:
    """Up to ``limit`` questions from the sections in order, never one just asked and no heading twice."""
    seen = {normalized(q) for q in asked if q}
    questions: list[str] = []
    for section in sections:
        question = as_question(section.heading, lang)
        if normalized(question) in seen or normalized(section.heading) in seen:
            continue
        seen.add(normalized(question))
        seen.add(normalized(section.heading))
        questions.append(question)
        if len(questions) == limit:
            break
    return questions


# ---- with an LLM ----------------------------------------------------------------------------------------------

LLM_PROMPT = """Een schoolleider vroeg: {question}

Schrijf {count} korte vervolgvragen die deze schoolleider nu zou kunnen stellen. Elke vraag gaat over een van deze \
onderwerpen uit de blogs (en over niets anders):
{topics}

Schrijf in het {language}, in de je-vorm, hooguit 15 woorden per vraag. Geef alleen de vragen, één per regel, \
zonder nummering."""


def llm_messages(question: str, headings: Sequence[str], lang: str, count: int) -> list[ChatMessage]:
    topics = "\n".join(f"- {h}" for h in headings)
    language = "Engels" if lang == "en" else "Nederlands"
    prompt = LLM_PROMPT.format(question=question, count=count, topics=topics, language=language)
    return [ChatMessage(role="user", content=prompt)]


def parse_questions(reply: str, asked: Iterable[str], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The questions in an LLM's reply: one a line, numbering and bullets stripped; only real questions of a
    sensible length, never one just asked."""
    seen = {normalized(q) for q in asked if q}
    questions: list[str] = []
    for line in reply.splitlines():
        question = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip().strip("\"'“”")
        if not question.endswith("?") or len(question) > MAX_SUGGESTION_CHARS or normalized(question) in seen:
            continue
        seen.add(normalized(question))
        questions.append(question)
        if len(questions) == limit:
            break
    return questions


def llm_suggestions(llm: LLM, question: str, headings: Sequence[str], lang: str) -> list[str]:
    """Follow-up questions the LLM wrote about ``headings``; [] when it fails or writes none."""
    if not headings:
        return []
    try:
        response = llm.chat(llm_messages(question, headings, lang, MAX_SUGGESTIONS))
    except Exception as error:  # suggestions are a nicety: the offline ones stand in
        log.warning("writing suggestions failed: %s", type(error).__name__)
        return []
    return parse_questions(response.message.content or "", [question])


# ---- gathering the sections ------------------------------------------------------------------------------------


def candidate_sections(answer: Answer, retriever: HybridRetriever) -> list[Section]:
    """The sections to suggest from, best first: the cited posts' other sections nearest to the cited ones, then
    sections of the closest other posts. A refusal has nothing cited: the closest posts to its question (or,
    for a question not to search with, the newest posts) give their sections."""
    cited = {(c.chunk.post_slug, c.chunk.section_index) for c in answer.citations}
    cited_posts = list(dict.fromkeys(c.chunk.post_slug for c in answer.citations))
    query = answer.standalone_question or answer.question
    searchable = query.strip() and answer.refusal_reason not in ("manipulation", "too_long", "empty")
    closest = []
    if searchable:
        passages = retriever.search(query).passages
        closest = [p.chunk.post_slug for p in passages]
    if not closest and not cited_posts:
        # Any post answers its own headings: the newest ones, as the sidebar lists them.
        closest = [r.slug for r in newest_first(retriever.index.posts().values())]
    related = [slug for slug in dict.fromkeys(closest) if slug not in cited_posts][:RELATED_POSTS]
    chunks = [chunk for slug in [*cited_posts, *related] for chunk in retriever.index.chunks_of(slug)]
    order = {slug: rank for rank, slug in enumerate([*cited_posts, *related])}
    sections = sorted(sections_of(chunks), key=lambda s: order[s.post_slug])
    return neighbours_first(sections, cited)


def suggest(answer: Answer, retriever: HybridRetriever, llm: LLM | None = None) -> list[str]:
    """Two or three questions to ask next (the LLM's when one is given and it answers, else the offline ones)."""
    sections = candidate_sections(answer, retriever)
    asked = [answer.question, answer.standalone_question]
    offline = offline_suggestions(sections, asked, answer.lang)
    if llm is None or not offline:
        return offline
    headings = list(dict.fromkeys(s.heading for s in sections))[: MAX_SUGGESTIONS * 2]
    return llm_suggestions(llm, answer.question, headings, answer.lang) or offline
