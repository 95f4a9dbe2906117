"""Plain text pasted from a blog: paragraphs are lines, headings are found by their shape.

A heading is a short line that starts with a capital, does not end in sentence punctuation (a question mark is
allowed), and stands between sections of at least two paragraphs each. That last rule is what tells a heading
such as "Wat als vertrouwen beschadigd is?" from a short question inside a section ("De vraag is dan: hoe ga je
ermee om?", which would leave a one-paragraph section) and from a closing signature ("René Rensen I De
Onderwijskapitein", followed by a single line).
"""

from __future__ import annotations

import re

from assistant.corpus.loaders.draft import Draft
from assistant.corpus.model import Section, normalize_whitespace

MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 90
MIN_SECTION_PARAGRAPHS = 2

_CLOSING_QUOTES = "\"'”’»)]"
_SENTENCE_END = ".!:;,…"
_LIST_MARKER = re.compile(r"^\s*(?:[-*•–]|\d{1,3}[.)])\s+")


def parse_plaintext(text: str, source: str) -> Draft:
    """Split pasted text into paragraphs, take a heading-shaped first line as the title, find the headings."""
    paragraphs = _paragraphs(text)
    title = None
    if len(paragraphs) > 1 and looks_like_heading(paragraphs[0]) and not looks_like_heading(paragraphs[1]):
        title, paragraphs = paragraphs[0], paragraphs[1:]
    return Draft(title=title, sections=split_sections(paragraphs))


def _paragraphs(text: str) -> list[str]:
    """One paragraph per line, except hard-wrapped lines (the next line continues in lower case)."""
    paragraphs: list[str] = []
    previous_blank = True
    for raw in text.splitlines():
        line = normalize_whitespace(raw)
        if not line:
            previous_blank = True
            continue
        line = _LIST_MARKER.sub("", line)
        continues = (
            paragraphs and not previous_blank and line[0].islower() and not _ends_sentence(paragraphs[-1])
        )
        if continues:
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        previous_blank = False
    return paragraphs


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(_CLOSING_QUOTES)
    return bool(stripped) and stripped[-1] in _SENTENCE_END + "?"


def looks_like_heading(line: str) -> bool:
    """Whether a line has a heading's shape: short, capitalized, no closing punctuation but a question mark."""
    if len(line) > MAX_HEADING_CHARS or len(line.split()) > MAX_HEADING_WORDS:
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    if line[-1] in _CLOSING_QUOTES or line[0] in "\"“‘'«":
        return False
    return line[-1] not in _SENTENCE_END


def split_sections(paragraphs: list[str]) -> list[Section]:
    """Group paragraphs into sections under the best set of heading-shaped lines.

    A candidate is a heading-shaped line followed by body text. Of all sets of candidates that leave every section
    with at least two paragraphs, take the largest; between equals, the one whose headings come earliest.
    """
    candidates = [
        i
        for i, p in enumerate(paragraphs[:-1])
        if looks_like_heading(p) and not looks_like_heading(paragraphs[i + 1])
    ]
    return _group(paragraphs, _best_headings(candidates, len(paragraphs)))


def _best_headings(candidates: list[int], total: int) -> list[int]:
    # best[j]: the best heading list that starts with candidates[j] and keeps every later section big enough.
    best: list[list[int] | None] = [None] * len(candidates)
    for j in range(len(candidates) - 1, -1, -1):
        start = candidates[j]
        options = [[start]] if total - start - 1 >= MIN_SECTION_PARAGRAPHS else []
        options += [
            [start, *best[k]]
            for k in range(j + 1, len(candidates))
            if best[k] is not None and candidates[k] - start - 1 >= MIN_SECTION_PARAGRAPHS
        ]
        best[j] = min(options, key=lambda o: (-len(o), o)) if options else None
    options = [b for b in best if b is not None]
    return min(options, key=lambda o: (-len(o), o)) if options else []


def _group(paragraphs: list[str], headings: list[int]) -> list[Section]:
    sections: list[Section] = []
    bounds = [*headings, len(paragraphs)]
    if not headings or headings[0] > 0:
        sections.append(Section("", tuple(paragraphs[: bounds[0]])))
    for start, end in zip(headings, bounds[1:], strict=False):
        sections.append(Section(paragraphs[start], tuple(paragraphs[start + 1 : end])))
    return sections
