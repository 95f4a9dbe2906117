"""Cut a ``Post`` into section-bounded ``Chunk``s of whole sentences, with offsets into the post's text.

Chunks are the unit a citation points to, so they stay small (about 40–200 words) and never cross a section.
Each chunk also knows its sentences, from which retrieval builds windows of a few sentences to embed.

    chunks = chunk_post(post)
    assert post.text[chunks[0].start:chunks[0].end] == chunks[0].text
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from assistant.corpus.model import Post

TARGET_WORDS = 80
MAX_WORDS = 160
MIN_WORDS = 40

# Dutch and English abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "bijv",
    "bv",
    "o.a",
    "d.w.z",
    "m.a.w",
    "enz",
    "etc",
    "e.d",
    "i.p.v",
    "t.o.v",
    "m.b.t",
    "n.a.v",
    "z.g.a.n",
    "dhr",
    "mevr",
    "mr",
    "dr",
    "drs",
    "ir",
    "ing",
    "prof",
    "nr",
    "blz",
    "ca",
    "vs",
    "e.g",
    "i.e",
    "mrs",
    "st",
}
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+|$)")


@dataclass(frozen=True)
class Span:
    """A stretch of the post's text, by character offsets."""

    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """A citable passage: whole sentences of one section, with where it lies in the post's text."""

    id: str
    post_slug: str
    post_title: str
    section: str
    section_index: int
    position: int
    start: int
    end: int
    text: str
    sentences: tuple[Span, ...]
    author: str = ""
    date: str = ""
    url: str = ""

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def split_sentences(text: str, offset: int = 0) -> list[Span]:
    """Split one paragraph into sentence spans (offsets shifted by ``offset``), keeping abbreviations whole."""
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        before = text[start : match.start()].split()
        if match.group().startswith(".") and before and before[-1].lower().rstrip(".") in _ABBREVIATIONS:
            continue
        following = text[end:].lstrip()
        if following and not (following[0].isupper() or following[0].isdigit() or following[0] in "\"'“‘«(["):
            continue
        if text[start:end].strip():
            spans.append(_trimmed(text, start, end, offset))
        start = end
    if text[start:].strip():
        spans.append(_trimmed(text, start, len(text), offset))
    return spans


def _trimmed(text: str, start: int, end: int, offset: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start + offset, end + offset)


def chunk_post(post: Post, target_words: int = TARGET_WORDS, max_words: int = MAX_WORDS) -> list[Chunk]:
    """Chunk every section of ``post``; positions count from 0 across the whole post."""
    text = post.text
    chunks: list[Chunk] = []
    for section_index, sentence_groups in _sentences_by_section(post):
        for sentences in _pack(sentence_groups, text, target_words, max_words):
            chunks.append(_make_chunk(post, text, section_index, len(chunks), sentences))
    return chunks


def _sentences_by_section(post: Post) -> Iterator[tuple[int, list[list[Span]]]]:
    """Yield each section's paragraphs as lists of sentence spans."""
    text = post.text
    current, paragraphs = None, []
    for span in post.paragraph_spans():
        if span.section_index != current:
            if paragraphs:
                yield current, paragraphs
            current, paragraphs = span.section_index, []
        paragraphs.append(split_sentences(text[span.start : span.end], span.start))
    if paragraphs:
        yield current, paragraphs


def _pack(paragraphs: list[list[Span]], text: str, target: int, maximum: int) -> list[list[Span]]:
    """Pack sentences into chunks: close at a paragraph end once past ``target`` words, never pass ``maximum``.

    A chunk cut inside a paragraph repeats that paragraph's last sentence at the start of the next chunk, so
    a thought split across the cut can still be quoted whole.
    """
    words = {s: len(text[s.start : s.end].split()) for p in paragraphs for s in p}
    chunks: list[list[Span]] = []
    current: list[Span] = []
    for paragraph in paragraphs:
        for sentence in paragraph:
            size = sum(words[s] for s in current)
            if current and size + words[sentence] > maximum:
                chunks.append(current)
                overlap = (
                    current[-1:] if current[-1] in paragraph and words[current[-1]] < maximum // 4 else []
                )
                current = overlap
            current.append(sentence)
        if sum(words[s] for s in current) >= target:
            chunks.append(current)
            current = []
    if current:
        tail_words = sum(words[s] for s in current)
        if chunks and tail_words < MIN_WORDS and sum(words[s] for s in chunks[-1]) + tail_words <= maximum:
            chunks[-1] = chunks[-1] + [s for s in current if s not in chunks[-1]]
        else:
            chunks.append(current)
    return chunks


def _make_chunk(post: Post, text: str, section_index: int, position: int, sentences: list[Span]) -> Chunk:
    start, end = sentences[0].start, sentences[-1].end
    body = text[start:end]
    digest = hashlib.sha1(body.encode()).hexdigest()[:10]
    return Chunk(
        id=f"{post.slug}:{position:04d}:{digest}",
        post_slug=post.slug,
        post_title=post.title,
        section=post.sections[section_index].heading,
        section_index=section_index,
        position=position,
        start=start,
        end=end,
        text=body,
        sentences=tuple(sentences),
        author=post.author,
        date=post.date,
        url=post.url,
    )


class Window(NamedTuple):
    """A sentence with its neighbours: what gets embedded. ``sentence`` is the middle sentence's span."""

    chunk_id: str
    sentence: Span
    text: str


def sentence_windows(chunks: list[Chunk], text: str, radius: int = 1) -> list[Window]:
    """Return a ``Window`` for every sentence: the sentence with ``radius`` neighbours each side.

    Windows stay inside a section but may reach into the neighbouring chunk; a window belongs to the chunk of
    its middle sentence. Embedding windows keeps one idea with its context, where a whole chunk blurs into the
    post's general theme (see STACK.md).
    """
    windows: list[Window] = []
    for section_chunks in _by_section(chunks):
        owners: dict[Span, str] = {}
        for chunk in section_chunks:
            for sentence in chunk.sentences:
                owners.setdefault(sentence, chunk.id)
        sentences = sorted(owners, key=lambda s: s.start)
        for i, sentence in enumerate(sentences):
            first, last = sentences[max(0, i - radius)], sentences[min(len(sentences) - 1, i + radius)]
            windows.append(Window(owners[sentence], sentence, text[first.start : last.end]))
    return windows


def _by_section(chunks: list[Chunk]) -> Iterator[list[Chunk]]:
    group: list[Chunk] = []
    for chunk in chunks:
        if group and chunk.section_index != group[-1].section_index:
            yield group
            group = []
        group.append(chunk)
    if group:
        yield group
