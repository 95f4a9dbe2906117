"""A sentence of a passage as a complete thought, from the passage's structure (paragraphs, lists).

A sentence leaning on the one before it brings that one along, a sentence ending in ':' or announcing "drie
vragen" brings what it announces, a question brings its answer, an instruction its further steps. The
sentences of sign-off paragraphs (contact data, signatures, mission statements) are never part of a thought.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

from assistant.answering.sentence_kinds import (
    TOKEN,
    adds_a_step,
    announced_count,
    announces,
    closes_quotation,
    is_boilerplate,
    is_instruction,
    is_question,
    leans_back,
    opens_quotation,
)
from assistant.chunking import Chunk

MAX_LIST_ITEMS = 6
LIST_ITEM_SENTENCES = 2  # a paragraph of at most this many sentences can be an item of a list
MAX_ANSWER_SENTENCES = 3  # how far the continuation of a question reaches
COMPLETION_ROUNDS = 3  # a continuation may end in a question or list introduction of its own


@lru_cache(maxsize=1024)
def sentence_texts(chunk: Chunk) -> tuple[str, ...]:
    return tuple(chunk.text[s.start - chunk.start : s.end - chunk.start] for s in chunk.sentences)


@lru_cache(maxsize=1024)
def paragraph_numbers(chunk: Chunk) -> tuple[int, ...]:
    """The paragraph of each sentence: a blank line between two sentences starts a new one."""
    numbers = [0]
    for before, after in itertools.pairwise(chunk.sentences):
        gap = chunk.text[before.end - chunk.start : after.start - chunk.start]
        numbers.append(numbers[-1] + (1 if "\n" in gap else 0))
    return tuple(numbers[: len(chunk.sentences)])


@lru_cache(maxsize=1024)
def boilerplate_sentences(chunk: Chunk) -> frozenset[int]:
    """The sentences of sign-off paragraphs: a paragraph with one boilerplate sentence is boilerplate as a whole
    ("Meer weten? Mail naar …": the teaser goes with the address)."""
    paragraphs = paragraph_numbers(chunk)
    flagged = {paragraphs[i] for i, text in enumerate(sentence_texts(chunk)) if is_boilerplate(text)}
    return frozenset(i for i, p in enumerate(paragraphs) if p in flagged)


def _paragraph_members(chunk: Chunk) -> list[list[int]]:
    members: dict[int, list[int]] = {}
    for index, paragraph in enumerate(paragraph_numbers(chunk)):
        members.setdefault(paragraph, []).append(index)
    return [members[p] for p in sorted(members)]


@lru_cache(maxsize=1024)
def _names(chunk: Chunk) -> frozenset[str]:
    """Capitalized words that occur inside a sentence too: names ("zei Joost"), not sentence openers."""
    inside = itertools.chain.from_iterable(TOKEN.findall(t)[1:] for t in sentence_texts(chunk))
    return frozenset(w for w in inside if w[:1].isupper())


def list_items(chunk: Chunk, intro: int) -> list[int]:
    """The sentences a list introduction announces: the next short paragraphs when it ends its paragraph (as
    many as it counts), else as many following sentences of its own paragraph as it counts."""
    texts, paragraphs = sentence_texts(chunk), paragraph_numbers(chunk)
    count = announced_count(texts[intro])
    members = _paragraph_members(chunk)
    own = members[paragraphs[intro]]
    if intro != own[-1]:
        rest = own[own.index(intro) + 1 :]
        return rest[:count] if count else []
    items: list[int] = []
    for taken, paragraph in enumerate(members[paragraphs[intro] + 1 :]):
        if taken >= (count or MAX_LIST_ITEMS) or (not count and len(paragraph) > LIST_ITEM_SENTENCES):
            break
        items += paragraph
    return items


def _list_intro(chunk: Chunk, index: int) -> int | None:
    """The introduction of the list ``index`` is an item of, if it is one."""
    for candidate in range(index - 1, -1, -1):
        if announces(sentence_texts(chunk)[candidate]) and index in list_items(chunk, candidate):
            return candidate
    return None


def practical_sentences(chunk: Chunk) -> frozenset[int]:
    """Instructions and list items: the sentences that say what to do."""
    texts, names = sentence_texts(chunk), _names(chunk)
    practical = {i for i, text in enumerate(texts) if is_instruction(text, names)}
    for i, text in enumerate(texts):
        if announces(text):
            practical.update(list_items(chunk, i))
    return frozenset(practical - boilerplate_sentences(chunk))


def _continuation(chunk: Chunk, index: int) -> list[int]:
    """What completes sentence ``index``: the list it announces, the rest of a quotation it opens, the answer to
    the question it asks, or the further steps of an instruction."""
    texts = sentence_texts(chunk)
    if announces(texts[index]):
        return list_items(chunk, index)
    members = _paragraph_members(chunk)
    paragraph = paragraph_numbers(chunk)[index]
    own = members[paragraph]
    rest = own[own.index(index) + 1 :]
    if opens_quotation(texts[index]):
        closing = next((n for n, i in enumerate(rest) if closes_quotation(texts[i])), None)
        return rest[: closing + 1] if closing is not None and closing < MAX_ANSWER_SENTENCES else []
    if is_question(texts[index]):
        # a question ending its paragraph (or a list of questions) is answered by the next paragraph
        if not rest and paragraph + 1 < len(members):
            rest = members[paragraph + 1]
        return rest[:MAX_ANSWER_SENTENCES]
    names = _names(chunk)
    if is_instruction(texts[index], names):
        steps = itertools.takewhile(lambda i: is_instruction(texts[i], names) or adds_a_step(texts[i]), rest)
        return list(steps)[:MAX_ANSWER_SENTENCES]
    return []


def _back_to_start(texts: tuple[str, ...], paragraphs: tuple[int, ...], index: int) -> list[int]:
    """Sentence ``index`` and, nearest first, the sentences of its paragraph it leans on."""
    order = [index]
    while (
        leans_back(texts[order[-1]]) and order[-1] > 0 and paragraphs[order[-1] - 1] == paragraphs[order[-1]]
    ):
        order.append(order[-1] - 1)
    return order


def thought(chunk: Chunk, index: int, with_context: bool = False) -> list[int]:
    """Sentence ``index`` as a complete thought, most important first: the sentence, the ones it leans on, its
    list's introduction when it is a list item, its neighbours (``with_context``), and what completes the end."""
    texts, paragraphs = sentence_texts(chunk), paragraph_numbers(chunk)
    skip = boilerplate_sentences(chunk)
    order = _back_to_start(texts, paragraphs, index)
    first = order[-1]
    intro = _list_intro(chunk, index)
    if intro is not None:
        order.append(intro)
    if with_context and first > 0:
        # the window that matched is the sentence with its neighbours; a neighbour leaning on the sentences
        # before it brings them too
        order += _back_to_start(texts, paragraphs, first - 1)
    if with_context and index + 1 < len(texts):
        order.append(index + 1)
    for _ in range(COMPLETION_ROUNDS):
        added = [i for quoted in order for i in _continuation(chunk, quoted) if i not in order]
        if not added:
            break
        order += list(dict.fromkeys(added))
    return [i for i in order if i not in skip]
