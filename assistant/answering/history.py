"""What an earlier turn brings to the next question: words the model can use, never a fragment cut mid-word.

An LLM's answer is remembered as it wrote it, without its ``[n]`` markers (they name sources the next prompt does
not show). An answer of quotes is remembered as what it cited, its posts and sections, not as the quotes: pasted
into the rewrite prompt those were long Dutch passages nobody in the conversation wrote, even in an English
conversation. A refusal is remembered as one line saying there was no answer. ``shorten`` keeps a text whole, or
cuts it after the last sentence that fits, with a marker.

    recalled(answer)            # '(Citaten uit “Feedback die aankomt” (Zo geef je feedback die helpt).)'
    shorten(long_text, 1200)    # whole sentences, then ' […]'
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.answering.types import Answer

# An LLM answer is at most ~150 words (about 1,000 characters): it goes into the rewrite prompt whole.
MAX_RECALLED_CHARS = 1200
SHORTENED = " […]"
_MARKERS = re.compile(r"[ \t]*\[\d+(?:\s*[,;]\s*\d+)*\]")
# Where a sentence ends: its closing punctuation (and quotes or brackets closing with it) before a space or the end,
# or a line break.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s|$)|\n")
REFUSED = {
    "off_topic": "(Hierop gaf Kompas geen antwoord: de blogs gaan er niet over.)",
    "manipulation": "(Deze vraag weigerde Kompas.)",
}
NOT_ANSWERED = "(Hierop gaf Kompas geen antwoord.)"
QUOTED_FROM = "(Citaten uit {sources}.)"
RELATED_FROM = "(Alleen verwante passages, uit {sources}.)"


def recalled(answer: Answer) -> str:
    """The answer as the conversation remembers it for the next question (see the module docstring)."""
    if answer.refused:
        return REFUSED.get(answer.refusal_reason, NOT_ANSWERED)
    if answer.mode == "llm":
        return _MARKERS.sub("", answer.text).strip()
    sections: dict[str, list[str]] = {}
    for citation in answer.citations:
        headings = sections.setdefault(citation.chunk.post_title, [])
        if citation.chunk.section and citation.chunk.section not in headings:
            headings.append(citation.chunk.section)
    if not sections:
        return NOT_ANSWERED
    sources = "; ".join(
        f"“{title}”" + (f" ({' / '.join(headings)})" if headings else "")
        for title, headings in sections.items()
    )
    return (RELATED_FROM if answer.related_only else QUOTED_FROM).format(sources=sources)


def shorten(text: str, limit: int = MAX_RECALLED_CHARS) -> str:
    """``text`` whole if it fits in ``limit`` characters; else its sentences that fit, and a marker.

    A first sentence longer than the limit is cut at the last space before it (never inside a word).
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    room = limit - len(SHORTENED)
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= room]
    if ends:
        return text[: ends[-1]].rstrip() + SHORTENED
    head = text[:room]
    if not text[room].isspace() and re.search(r"\s", head.strip()):
        head = head.rsplit(None, 1)[0]  # the word the limit falls in is left out whole
    return head.rstrip() + SHORTENED
