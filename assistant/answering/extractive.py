"""The answer without an LLM: the few sentences of the retrieved passages that best answer, quoted verbatim.

Sentences are scored by the dense similarity of their window to the question plus the share of the question's
content words they contain; the top passage always contributes, a few more sentences are added for relevance and
variety. Each chosen sentence is quoted as a complete thought: a sentence leaning on the one before it brings
that one along, a sentence ending in ':' or announcing "drie vragen" brings what it announces, and a question
brings its answer. Contact lines, signatures and mission statements are never quoted, and a question asking how
to do something prefers practical sentences (instructions, list items). About ``MAX_QUOTED_WORDS`` words in all.

The answer text opens with a lead-in that fits the question (the steps for "hoe…", the reason for "waarom…", the
explanation for "wat is…"), groups the quotes by post and keeps a quoted list a list (a bullet per item).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from assistant.answering.types import Citation
from assistant.chunking import Chunk, Span
from assistant.language import STOP_WORDS, content_stems
from assistant.retrieval import Passage

MAX_SENTENCES = 3
MAX_LIST_ITEMS = 6
MAX_QUOTED_WORDS = 120
CANDIDATE_PASSAGES = 3
PASSAGE_PRIOR = (0.6, 0.3, 0.0)
PRACTICAL_BONUS = 1.0
LIST_ITEM_SENTENCES = 2  # a paragraph of at most this many sentences can be an item of a list
MAX_ANSWER_SENTENCES = 3  # how far the continuation of a question reaches
COMPLETION_ROUNDS = 3  # a continuation may end in a question or list introduction of its own


@dataclass(frozen=True)
class ScoredSentence:
    passage_rank: int
    chunk: Chunk
    span: Span  # offsets in the post's text
    score: float
    stems: frozenset[str]

    @property
    def index(self) -> int:
        return self.chunk.sentences.index(self.span)


def score_sentences(
    question: str,
    passages: list[Passage],
    similarities: dict[tuple[str, Span], float],
    focus: str = "",
) -> list[ScoredSentence]:
    """Score every sentence of the top passages for how well it answers ``question``.

    ``similarities`` holds the question's cosine similarity to each sentence's window, by (chunk id, sentence).

    ``focus`` is a follow-up's own wording: its words count fully, the earlier turn's only half, so the answer
    to "En hoe laat ik die zien op maandagochtend?" quotes the sentence about Monday morning.

    A question asking how to do something ("Hoe pak ik dat aan?", "Wat kan ik doen?") gives practical sentences
    (instructions, list items) a bonus: the steps answer it better than a general statement.
    """
    question_stems = set(content_stems(question))
    focus_stems = set(content_stems(focus))
    wants_practice = asks_how(focus or question)
    rows = []
    for rank, passage in enumerate(passages[:CANDIDATE_PASSAGES]):
        chunk = passage.chunk
        practical = _practical_sentences(chunk)
        for index, span in enumerate(chunk.sentences):
            dense = similarities.get((chunk.id, span))
            stems = frozenset(content_stems(sentence_texts(chunk)[index]))
            overlap = _share(question_stems, stems)
            if focus_stems:
                overlap = max(overlap / 2, _share(focus_stems, stems))
            bonus = PRACTICAL_BONUS if wants_practice and index in practical else 0.0
            rows.append((rank, chunk, span, dense, overlap + bonus / 1.5, stems))
    dense_values = [r[3] for r in rows if r[3] is not None]
    mean, spread = (
        (float(np.mean(dense_values)), float(np.std(dense_values)) or 1.0) if dense_values else (0.0, 1.0)
    )
    scored = []
    for rank, chunk, span, dense, overlap, stems in rows:
        dense_z = (dense - mean) / spread if dense is not None else -1.0
        score = dense_z + 1.5 * overlap + PASSAGE_PRIOR[rank] - (0.5 if len(stems) < 2 else 0.0)
        scored.append(ScoredSentence(rank, chunk, span, score, stems))
    return scored


def _share(wanted: set[str], present: frozenset[str]) -> float:
    return len(wanted & present) / len(wanted) if wanted else 0.0


# ---- what kind of sentence ------------------------------------------------------------------------------------

_CLOSERS = "\"'”’»)] "
_OPENING = re.compile(r'"[^"\s][^"]*$')  # the last straight quote mark opens a quotation
_TOKEN = re.compile(r"[\w’'-]+")
_COUNT = r"(?:twee|drie|vier|vijf|zes|[2-6]|two|three|four|five|six)"  # how many things a sentence announces
_ANNOUNCES = re.compile(rf"\b({_COUNT})(?:\s+[\w’'-]+)?\s+[\w’'-]+\s*[.:]$", re.IGNORECASE)
_COUNTED = re.compile(rf"\b({_COUNT})\s+[\w’'-]+", re.IGNORECASE)
_NUMBERS = {"twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "two": 2, "three": 3, "four": 4, "five": 5}
_NUMBERS |= {"six": 6} | {str(n): n for n in range(2, 7)}
# Words a sentence starts with when it continues the one before it ("Maar dat is niet genoeg.").
_LEANS_BACK = frozenset(
    "en maar want dus of ook daarom daardoor daarmee daarna dan toch bovendien daarnaast zo dat dit die "
    "deze but and so also then this that these those".split()
)

# Contact data, calls to action addressed to the reader, mission statements and signatures: a blog's sign-off,
# never an answer. Found by their structure (an address, a contact verb with "us/me", "we help…"), not by topic.
_CONTACT_DATA = re.compile(
    r"[\w.+-]+@[\w-]+\.\w|https?://|\bwww\.|\b[\w-]+\.(?:nl|com|org|net|be|eu|io)\b|(?:\+\d{2}|\b0)\d[\d \-]{7,}\d"
)
_CALL_TO_ACTION = re.compile(
    r"\bneem\b.*\bcontact\b|\bcontact\b.*\b(?:met|with) (?:ons|mij|me|us)\b|\bcontact(?:eer|formulier)"
    r"|\b(?:mail|bel|app|stuur|e-mail)\s+(?:ons|mij|me)\b|\bonderstaande knop\b|\bklik (?:hier|op)\b"
    r"|\bmeld je (?:\w+ )?aan\s*[.!]|\bschrijf je (?:\w+ )?in\s*[.!]|\b(?:get in touch|contact (?:us|me)|sign up)\b",
    re.IGNORECASE,
)
_MISSION = re.compile(
    r"\b(?:onze|mijn|our|my) (?:missie|mission)\b|\bmissie van [A-Z]"
    r"|\b(?:wij|we)\s+(?:helpen|ondersteunen|begeleiden|bieden|trainen|coachen|adviseren|help|support|offer)\b"
    r"|^(?:ik|wij|we)\s+(?:help|ondersteun|begeleid|bied|train|coach|adviseer|zorg voor)\b",
    re.IGNORECASE,
)
# Words that name no topic (articles, pronouns, adverbs such as "vaak"), less the verbs among them that open
# instructions ("Doe het binnen een dag.", "Geef erkenning.").
_FUNCTION_WORDS = STOP_WORDS - frozenset("doe maak geef vertel noem ga krijg".split())
# Words that open a Dutch statement rather than an instruction (the function words cover articles and pronouns).
_NOT_VERBS = frozenset(
    """
    elke elk iedere ieder daarom daarna daardoor daarmee daarnaast bovendien eerst soms nooit alleen vooral
    samen hier daar nu straks later vroeger toen meestal ooit pas zelfs juist misschien natuurlijk gelukkig
    helaas inmiddels vervolgens steeds iemand niemand iedereen alles niets veel weinig sommige beide
    twee drie vier vijf zes zeven acht negen tien wie wat welke waar wanneer hoe waarom
    """.split()
)
# Words that follow an instruction's verb directly: its object's article or pronoun ("Erken wat…", "Open het…").
_OBJECT_WORDS = frozenset("de het een wat dat je jezelf jouw hem haar ze hen elkaar alles".split())
# Finite verbs that follow a sentence's subject ("Vertrouwen is…", "Sander gaf…").
_FINITE = frozenset(
    """
    is was zijn waren wordt worden werd werden heeft hebben had hadden kan kunnen kon konden moet moeten moest
    moesten mag mogen mocht wil willen wilde wilden zal zullen zou zouden gaat gaan ging gingen komt komen kwam
    kwamen staat staan stond stonden ligt lag blijft blijven bleef bleven blijkt bleek doet doen deed deden
    zegt zeggen zei zeiden ziet zien zag zagen weet weten wist wisten krijgt krijgen kreeg kregen geeft gaf
    gaven neemt nam namen vraagt vroeg vroegen loopt liep liepen schrijft schreef sprak spraken begint begon
    begonnen houdt hield hielden leest las vindt vond vonden denkt dacht dachten brengt bracht koos kozen won
    keek keken hing schrok
    """.split()
)
_HOW = re.compile(
    r"\bhoe\b(?!\s+(?:komt|kwam|vaak|lang|groot|veel|ver|zit|zat|werkt|is|was|heet)\b)"
    r"|\bhow\b(?!\s+(?:come|often|long|much|many|big|does|is|was|are)\b)"
    r"|\bwat (?:kan|moet|doe|zeg) ik\b|\bwat (?:kun|moet) je (?:doen|zeggen)\b|\bwhat (?:can|should|do) i\b",
    re.IGNORECASE,
)


def asks_how(question: str) -> bool:
    """A question about what to do: "hoe pak ik…", "wat kan ik doen", "how do I…" (not "hoe komt dat"), or a
    situation told without a question ("Mijn team komt met alles bij mij."), which asks what to do about it."""
    return bool(_HOW.search(question)) or not question.rstrip(_CLOSERS).endswith("?")


def is_question(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith("?")


def introduces_list(text: str) -> bool:
    return text.rstrip().endswith(":")


def announced_count(text: str) -> int | None:
    """How many things a sentence announces: counted at its end ("Geen beoordeling, maar drie vragen.") or
    anywhere in a list introduction ("Deze vier stappen helpen je daarbij:"), if any."""
    text = text.rstrip(_CLOSERS)
    match = (_COUNTED if introduces_list(text) else _ANNOUNCES).search(text)
    return _NUMBERS[match.group(1).lower()] if match else None


def opens_quotation(text: str) -> bool:
    """A sentence that opens a quotation it does not close ('"Ik heb vervelend nieuws.')."""
    return text.count("“") > text.count("”") or (text.count('"') % 2 == 1 and bool(_OPENING.search(text)))


def closes_quotation(text: str) -> bool:
    return text.count("”") > text.count("“") or (text.count('"') % 2 == 1 and not _OPENING.search(text))


def leans_back(text: str) -> bool:
    """A sentence that continues the one before it ("Maar dat is niet genoeg.") is no thought on its own."""
    tokens = _TOKEN.findall(text)
    return bool(tokens) and tokens[0].lower() in _LEANS_BACK


def is_boilerplate(text: str) -> bool:
    """Contact data, a call to contact the author, a mission statement, or a signature line."""
    return bool(
        _CONTACT_DATA.search(text) or _CALL_TO_ACTION.search(text) or _MISSION.search(text)
    ) or _is_signature(text)


def _is_signature(text: str) -> bool:
    """A line of names without sentence punctuation: "René Rensen I De Onderwijskapitein"."""
    tokens = _TOKEN.findall(text)
    if len(tokens) < 2 or text.rstrip(_CLOSERS)[-1:] in ".!?:;,…":
        return False
    return sum(t[0].isupper() for t in tokens) / len(tokens) >= 0.6


def is_instruction(text: str, names: frozenset[str] = frozenset()) -> bool:
    """A sentence in the imperative ("Zeg wat je ziet.", "Plan je mails in"): it opens with a verb stem.

    Dutch has no marker for it, so this goes by what an instruction is not: a statement opening with a function
    word, a plural noun or infinitive ("Vertrouwen is…"), an inflected adjective ("Nieuwe collega's…"), a name
    (``names``), or a subject followed by its finite verb.
    """
    tokens = _TOKEN.findall(text)
    if len(tokens) < 2 or is_question(text) or not text[:1].isupper():
        return False
    first, second = tokens[0].lower(), tokens[1].lower()
    if first in _FUNCTION_WORDS or first in _NOT_VERBS or tokens[0] in names:
        return False
    if first.endswith(("'s", "’s")) or (first.endswith("e") and len(first) > 4):
        return False
    # "Vertrouwen groeit…" opens with a noun; "Erken wat je fout deed." with a verb stem ending in -en
    if first.endswith("en") and second not in _OBJECT_WORDS:
        return False
    if text[len(tokens[0]) : len(tokens[0]) + 1] in (",", ":"):
        return False
    if second in _FINITE or second in ("die", "en", "van", "of"):
        return False
    function_word = second in _FUNCTION_WORDS or second in _NOT_VERBS
    return function_word or len(second) <= 3 or not second.endswith(("t", "de", "te", "den", "ten"))


# ---- the structure of a passage -----------------------------------------------------------------------------


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
    inside = itertools.chain.from_iterable(_TOKEN.findall(t)[1:] for t in sentence_texts(chunk))
    return frozenset(w for w in inside if w[:1].isupper())


def _list_items(chunk: Chunk, intro: int) -> list[int]:
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


def _announces(text: str) -> bool:
    return introduces_list(text) or announced_count(text) is not None


def _list_intro(chunk: Chunk, index: int) -> int | None:
    """The introduction of the list ``index`` is an item of, if it is one."""
    for candidate in range(index - 1, -1, -1):
        if _announces(sentence_texts(chunk)[candidate]) and index in _list_items(chunk, candidate):
            return candidate
    return None


def _practical_sentences(chunk: Chunk) -> frozenset[int]:
    """Instructions and list items: the sentences that say what to do."""
    texts, names = sentence_texts(chunk), _names(chunk)
    practical = {i for i, text in enumerate(texts) if is_instruction(text, names)}
    for i, text in enumerate(texts):
        if _announces(text):
            practical.update(_list_items(chunk, i))
    return frozenset(practical - boilerplate_sentences(chunk))


def _adds_a_step(text: str) -> bool:
    """ "En wees bereid om te luisteren.": an instruction joined to the one before it."""
    tokens = _TOKEN.findall(text)
    return (
        len(tokens) > 1
        and tokens[0].lower() in ("en", "and")
        and is_instruction(text[len(tokens[0]) :].strip().capitalize())
    )


def _continuation(chunk: Chunk, index: int) -> list[int]:
    """What completes sentence ``index``: the list it announces, the rest of a quotation it opens, the answer to
    the question it asks, or the further steps of an instruction."""
    texts = sentence_texts(chunk)
    if _announces(texts[index]):
        return _list_items(chunk, index)
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
        steps = itertools.takewhile(lambda i: is_instruction(texts[i], names) or _adds_a_step(texts[i]), rest)
        return list(steps)[:MAX_ANSWER_SENTENCES]
    return []


def thought(chunk: Chunk, index: int, with_context: bool = False) -> list[int]:
    """Sentence ``index`` as a complete thought, most important first: the sentence, the ones it leans on, its
    list's introduction when it is a list item, its neighbours (``with_context``), and what completes the end."""
    texts, paragraphs = sentence_texts(chunk), paragraph_numbers(chunk)
    skip = boilerplate_sentences(chunk)
    order = [index]
    first = index
    while leans_back(texts[first]) and first > 0 and paragraphs[first - 1] == paragraphs[first]:
        first -= 1
        order.append(first)
    intro = _list_intro(chunk, index)
    if intro is not None:
        order.append(intro)
    if with_context and first > 0:
        # the window that matched is the sentence with its neighbours; a neighbour leaning on the sentence
        # before it brings that one too
        order.append(first - 1)
        if leans_back(texts[first - 1]) and first > 1 and paragraphs[first - 2] == paragraphs[first - 1]:
            order.append(first - 2)
    if with_context and index + 1 < len(texts):
        order.append(index + 1)
    for _ in range(COMPLETION_ROUNDS):
        added = [i for quoted in order for i in _continuation(chunk, quoted) if i not in order]
        if not added:
            break
        order += list(dict.fromkeys(added))
    return [i for i in order if i not in skip]


# ---- choosing the sentences -------------------------------------------------------------------------------------


def select_sentences(
    scored: list[ScoredSentence], max_sentences: int = MAX_SENTENCES, max_words: int = MAX_QUOTED_WORDS
) -> list[ScoredSentence]:
    """Pick the best sentence of the top passage, then up to ``max_sentences`` in all, relevant and not redundant;
    quote each as a complete thought, within about ``max_words`` words."""
    candidates = [s for s in scored if s.index not in boilerplate_sentences(s.chunk)]
    if not candidates:
        return []
    top_passage = [s for s in candidates if s.passage_rank == 0] or candidates
    seeds = [max(top_passage, key=lambda s: s.score)]
    threshold = seeds[0].score - 1.2
    while len(seeds) < max_sentences:
        remaining = [s for s in candidates if s not in seeds and s.score >= threshold]
        if not remaining:
            break
        best = max(remaining, key=lambda s: _mmr(s, seeds))
        if _mmr(best, seeds) < threshold:
            break
        seeds.append(best)
    return _quote_thoughts(seeds, scored, max_words)


def _quote_thoughts(
    seeds: list[ScoredSentence], scored: list[ScoredSentence], max_words: int
) -> list[ScoredSentence]:
    """Each seed with its thought: the first as far as the words allow, the others whole or not at all."""
    by_span = {(s.chunk.id, s.span): s for s in scored}
    result: list[ScoredSentence] = []
    for n, seed in enumerate(seeds):
        indexes = thought(seed.chunk, seed.index, with_context=seed.passage_rank == 0)
        sentences = [by_span[(seed.chunk.id, seed.chunk.sentences[i])] for i in indexes]
        new = [s for s in sentences if s not in result]
        if n == 0:
            for sentence in new:
                if result and _words([*result, sentence]) > max_words:
                    break
                result.append(sentence)
        elif _words(result + new) <= max_words:
            result += new
    return result


def _words(sentences: list[ScoredSentence]) -> int:
    return sum(len(sentence_texts(s.chunk)[s.index].split()) for s in sentences)


def _mmr(candidate: ScoredSentence, selected: list[ScoredSentence]) -> float:
    redundancy = max((_jaccard(candidate.stems, s.stems) for s in selected), default=0.0)
    adjacent = any(s.chunk.id == candidate.chunk.id and abs(s.index - candidate.index) == 1 for s in selected)
    return candidate.score - 1.5 * redundancy + (0.3 if adjacent else 0.0)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def build_citations(selected: list[ScoredSentence]) -> list[Citation]:
    """One citation per passage, with its sentences in reading order, numbered by post: the posts in the order of
    their best passage, and within a post by retrieval rank (so an answer grouped by post reads [1], [2], [3])."""
    by_chunk: dict[str, list[ScoredSentence]] = {}
    for sentence in selected:
        by_chunk.setdefault(sentence.chunk.id, []).append(sentence)
    by_rank = sorted(by_chunk.values(), key=lambda group: group[0].passage_rank)
    post_order = list(dict.fromkeys(group[0].chunk.post_slug for group in by_rank))
    ordered = sorted(by_rank, key=lambda group: post_order.index(group[0].chunk.post_slug))
    citations = []
    for n, group in enumerate(ordered, start=1):
        chunk = group[0].chunk
        spans = sorted(
            {Span(s.span.start - chunk.start, s.span.end - chunk.start) for s in group}, key=lambda s: s.start
        )
        citations.append(Citation(n, chunk, tuple(_fill_gaps(chunk, spans))))
    return citations


def _fill_gaps(chunk: Chunk, spans: list[Span]) -> list[Span]:
    """Quote a single skipped sentence between two quoted ones too, so the quote reads as one passage."""
    relative = [Span(s.start - chunk.start, s.end - chunk.start) for s in chunk.sentences]
    indexes = sorted(relative.index(s) for s in spans)
    filled = set(indexes)
    for a, b in itertools.pairwise(indexes):
        if b - a == 2 and a + 1 not in boilerplate_sentences(chunk):
            filled.add(a + 1)
    return [relative[i] for i in sorted(filled)]


# ---- the answer text ----------------------------------------------------------------------------------------

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
        items = _quoted_items(chunk, index, quoted) if _announces(sentence_texts(chunk)[index]) else []
        if len(items) < 2:
            prose.append(index)
            continue
        # the sentences before the introduction lead into the list: one quote with it
        bullets = "\n".join(f"- “{_quote_text(chunk, item)}”{marker}" for item in items)
        blocks.append(f"“{_quote_text(chunk, [*prose, index])}”{marker}\n\n{bullets}")
        prose = []
        listed.update(itertools.chain.from_iterable(items))
    if prose:
        blocks.append(f"“{_quote_text(chunk, prose)}”{marker}")
    return blocks


def _quoted_items(chunk: Chunk, intro: int, quoted: list[int]) -> list[list[int]]:
    """The quoted items of the list ``intro`` announces, each as its sentences: a paragraph after the
    introduction is one item, a sentence in the introduction's own paragraph is one."""
    paragraphs = paragraph_numbers(chunk)
    items: dict[int | tuple[int], list[int]] = {}
    for index in _list_items(chunk, intro):
        if index in quoted:
            own_paragraph = paragraphs[index] == paragraphs[intro]
            items.setdefault((index,) if own_paragraph else paragraphs[index], []).append(index)
    return list(items.values())


def _quote_text(chunk: Chunk, indexes: list[int]) -> str:
    """The sentences verbatim on one line: consecutive ones as one run, a gap between runs as an ellipsis."""
    runs: list[list[int]] = []
    for index in indexes:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    spans = chunk.sentences
    texts = [chunk.text[spans[run[0]].start - chunk.start : spans[run[-1]].end - chunk.start] for run in runs]
    return " … ".join(re.sub(r"\s*\n\s*", " ", text) for text in texts)
