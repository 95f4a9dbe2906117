"""The answer text without an LLM: the chosen quotes verbatim, introduced to fit the question.

The text opens with a lead-in that fits the question (the steps for "hoe…", the reason for "waarom…", the
explanation for "wat is…"), groups the quotes by post and keeps a quoted list a list (a bullet per item).
Which sentences are quoted is decided in quotes.
"""

from __future__ import annotations

import itertools
import re
from typing import Literal

from assistant.answering.sentence_kinds import announces, asks_how
from assistant.answering.thoughts import list_items, paragraph_numbers, sentence_texts
from assistant.answering.types import Citation
from assistant.chunking import Chunk, Span

QuestionKind = Literal["how", "why", "what", "other"]

_WHY = re.compile(
    r"\bwaarom\b|\bwhy\b|\bhoe (?:komt|kwam) (?:het|dat)\b|\bhow come\b|\b(?:wat is|what is) (?:de|the) reden",
    re.IGNORECASE,
)
# A question asking what something is or means, or how it works: the answer explains.
_WHAT = re.compile(
    r"\bwat (?:is|zijn|betekent|betekenen|houdt|houden|versta|verstaan)\b|\bhoe (?:werkt|zit)\b"
    r"|\bwhat (?:is|are|does|do)\b|\bhow does\b",
    re.IGNORECASE,
)

# The lead-in by language, question kind and number of posts: one post is named in it, several get a heading
# each. English answers say once that the quotes are Dutch.
_LEAD_INS: dict[tuple[str, QuestionKind], tuple[str, str]] = {
    ("nl", "how"): (
        "Zo pak je het aan, volgens de blog “{title}”:",
        "Zo pak je het aan, volgens {count} blogs:",
    ),
    ("nl", "why"): ("De reden, volgens de blog “{title}”:", "De reden, volgens {count} blogs:"),
    ("nl", "what"): ("Zo legt de blog “{title}” het uit:", "Zo leggen {count} blogs het uit:"),
    ("nl", "other"): ("Dit schrijft de blog “{title}” erover:", "Dit schrijven {count} blogs erover:"),
    ("en", "how"): (
        "Here is how to go about it, according to the post “{title}” (quoted in Dutch):",
        "Here is how to go about it, according to {count} posts (quoted in Dutch):",
    ),
    ("en", "why"): (
        "The reason, according to the post “{title}” (quoted in Dutch):",
        "The reason, according to {count} posts (quoted in Dutch):",
    ),
    ("en", "what"): (
        "Here is how the post “{title}” explains it (quoted in Dutch):",
        "Here is how {count} posts explain it (quoted in Dutch):",
    ),
    ("en", "other"): (
        "Here is what the post “{title}” says about this (quoted in Dutch):",
        "Here is what {count} posts say about this (quoted in Dutch):",
    ),
}
_HEADINGS = {"nl": "Uit “{title}”:", "en": "From “{title}”:"}
_COUNT_WORDS = {"nl": {2: "twee", 3: "drie", 4: "vier"}, "en": {2: "two", 3: "three", 4: "four"}}


def question_kind(question: str) -> QuestionKind:
    """What the question asks for: the reason ("waarom…", "hoe komt het dat…"), what to do ("hoe pak ik…",
    "wat kan ik doen", a situation told without a question), an explanation ("wat is…"), or something else."""
    if _WHY.search(question):
        return "why"
    if asks_how(question):
        return "how"
    if _WHAT.search(question):
        return "what"
    return "other"


def compose(lang: str, citations: list[Citation], question: str = "", lead: str = "") -> str:
    """The extractive answer text: a lead-in that fits the question, then the quotes with their [n], grouped by
    post (each post introduced by its title once when there are several); a quoted list stays a list.

    ``lead`` replaces the lead-in (a "related only" answer says what it is); every post is then introduced by its
    title, which the lead-in would otherwise name."""
    language = "en" if lang == "en" else "nl"
    titles = list(dict.fromkeys(c.chunk.post_title for c in citations))
    blocks = [lead or lead_in(language, question_kind(question), titles)]
    for title in titles:
        if len(titles) > 1 or lead:
            blocks.append(_HEADINGS[language].format(title=title))
        for citation in citations:
            if citation.chunk.post_title == title:
                blocks += quote_blocks(citation)
    return "\n\n".join(blocks)


def lead_in(language: str, kind: QuestionKind, titles: list[str]) -> str:
    one_post, several = _LEAD_INS[(language, kind)]
    if len(titles) == 1:
        return one_post.format(title=titles[0])
    return several.format(count=_COUNT_WORDS[language].get(len(titles), str(len(titles))))


def quote_blocks(citation: Citation) -> list[str]:
    """The quotes of one citation, each followed by its [n]: prose as “…” (a gap as " … "), a list introduction
    with at least two of its items quoted as the introduction and a Markdown bullet per item."""
    chunk = citation.chunk
    relative = [Span(s.start - chunk.start, s.end - chunk.start) for s in chunk.sentences]
    quoted = [relative.index(span) for span in citation.spans]
    marker = f" [{citation.n}]"
    blocks: list[str] = []
    prose: list[int] = []
    listed: set[int] = set()
    for index in quoted:
        if index in listed:
            continue
        items = _quoted_items(chunk, index, quoted) if announces(sentence_texts(chunk)[index]) else []
        if len(items) < 2:
            prose.append(index)
            continue
        # the sentences before the introduction lead into the list: one quote with it
        bullets = "\n".join(f"- {_quote_text(chunk, item)}{marker}" for item in items)
        blocks.append(f"{_quote_text(chunk, [*prose, index])}{marker}\n\n{bullets}")
        prose = []
        listed.update(itertools.chain.from_iterable(items))
    if prose:
        blocks.append(f"{_quote_text(chunk, prose)}{marker}")
    return blocks


def _quoted_items(chunk: Chunk, intro: int, quoted: list[int]) -> list[list[int]]:
    """The quoted items of the list ``intro`` announces, each as its sentences: a paragraph after the
    introduction is one item, a sentence in the introduction's own paragraph is one."""
    paragraphs = paragraph_numbers(chunk)
    items: dict[int | tuple[int], list[int]] = {}
    for index in list_items(chunk, intro):
        if index in quoted:
            own_paragraph = paragraphs[index] == paragraphs[intro]
            items.setdefault((index,) if own_paragraph else paragraphs[index], []).append(index)
    return list(items.values())


def _quote_text(chunk: Chunk, indexes: list[int]) -> str:
    """The sentences verbatim on one line, in quotation marks: consecutive ones as one run, a gap between runs as
    an ellipsis."""
    runs: list[list[int]] = []
    for index in indexes:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    spans = chunk.sentences
    texts = [chunk.text[spans[run[0]].start - chunk.start : spans[run[-1]].end - chunk.start] for run in runs]
    return quoted(" … ".join(re.sub(r"\s*\n\s*", " ", text) for text in texts))


def quoted(text: str) -> str:
    """``text`` in quotation marks, unless it is one quotation already (speech the post quotes): “…”, not ““…””."""
    if text[:1] in "“„" and text[-1:] == "”" and not re.search("[“”„]", text[1:-1]):
        return text
    return f"“{text}”"
