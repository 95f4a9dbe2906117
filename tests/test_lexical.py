"""The lexical index: bm25s's scores on stems and n-grams, kept up to date per post as if built afresh."""

from __future__ import annotations

from dataclasses import replace

import bm25s
import numpy as np
import pytest
from conftest import post_md

from assistant.chunking import Chunk, chunk_post
from assistant.corpus.loaders import load_text
from assistant.language import char_ngrams, content_stems
from assistant.lexical import MAX_SEGMENTS, LexicalIndex

QUESTIONS = [
    "Hoe geef ik feedback aan een collega?",
    "vergaderstukken op tijd rondsturen",
    "Wat doet de voorzitter van een vergadering?",
    "werkdruk verlagen met het team",
    "How do I give feedback?",
]


def post(slug: str, title: str, sections: dict[str, list[str]]) -> list[Chunk]:
    return chunk_post(load_text(post_md(title, sections), "md", slug=slug))


FEEDBACK = post(
    "feedback",
    "Feedback die aankomt",
    {
        "Waarom feedback niet landt": [
            "Veel feedback komt te laat. Een opmerking als 'dat kan beter' zegt niets."
        ],
        "Zo geef je feedback": [
            "Beschrijf wat je zag. Vraag hoe de collega het zelf ziet. Spreek een stap af."
        ],
    },
)
VERGADEREN = post(
    "vergaderen",
    "Vergaderingen die energie geven",
    {
        "Minder vergaderen": [
            "Stuur de vergaderstukken een week van tevoren rond. Een vergadering kost energie."
        ],
        "De voorzitter": ["De voorzitter bewaakt de tijd. Hij vat aan het eind samen wat er is besloten."],
    },
)
WERKDRUK = post(
    "werkdruk",
    "Werkdruk in het team verlagen",
    {"": ["Werkdruk ontstaat als een school te veel wil. Schrap samen een taak. Het team kiest mee."]},
)
WERKDRUK_HERSCHREVEN = post(
    "werkdruk",
    "Werkdruk verlagen",
    {"": ["Minder werkdruk begint bij keuzes. Vraag het team wat energie kost en schrap het."]},
)


def everything(index: LexicalIndex) -> list[object]:
    """All an index answers for the questions: both rankings, the combined one, and the vocabulary measures."""
    answers: list[object] = []
    for question in QUESTIONS:
        stems = set(content_stems(question))
        answers += [
            index.search_words_and_ngrams(question, k=100),
            index.search(question, k=3),
            {stem: index.frequency(stem) for stem in stems},
        ]
    return [*answers, len(index)]


@pytest.mark.parametrize("tokenize", [content_stems, char_ngrams])
def test_scores_are_those_of_bm25s(tokenize) -> None:
    chunks = FEEDBACK + VERGADEREN + WERKDRUK
    reference = bm25s.BM25()
    reference.index(bm25s.tokenization.Tokenized(*_token_ids(chunks, tokenize)), show_progress=False)
    index = LexicalIndex(chunks)
    side = 0 if tokenize is content_stems else 1

    for question in QUESTIONS:
        tokens = [t for t in tokenize(question) if t in reference.vocab_dict]
        expected = reference.get_scores(tokens) if tokens else np.zeros(len(chunks), dtype=np.float32)
        top = float(expected.max())
        expected_scaled = {c.id: float(s / top) for c, s in zip(chunks, expected, strict=True) if s > 0}
        assert index.search_words_and_ngrams(question, k=100)[side] == expected_scaled


def _token_ids(chunks: list[Chunk], tokenize) -> tuple[list[list[int]], dict[str, int]]:
    vocab: dict[str, int] = {}
    documents = [
        [vocab.setdefault(t, len(vocab)) for t in tokenize(f"{c.section}\n{c.text}")] for c in chunks
    ]
    return documents, vocab


def test_adding_a_post_gives_the_same_results_as_a_rebuild() -> None:
    updated = LexicalIndex(FEEDBACK + WERKDRUK).with_posts({"vergaderen": VERGADEREN})

    assert everything(updated) == everything(LexicalIndex(FEEDBACK + VERGADEREN + WERKDRUK))


def test_replacing_a_post_gives_the_same_results_as_a_rebuild() -> None:
    updated = LexicalIndex(FEEDBACK + VERGADEREN + WERKDRUK).with_posts({"werkdruk": WERKDRUK_HERSCHREVEN})

    assert everything(updated) == everything(LexicalIndex(FEEDBACK + VERGADEREN + WERKDRUK_HERSCHREVEN))


def test_removing_a_post_gives_the_same_results_as_a_rebuild() -> None:
    updated = LexicalIndex(FEEDBACK + VERGADEREN + WERKDRUK).with_posts({}, removed=["vergaderen"])

    assert everything(updated) == everything(LexicalIndex(FEEDBACK + WERKDRUK))
    assert updated.posts() == {"feedback", "werkdruk"}


def test_many_updates_in_a_row_give_the_same_results_as_a_rebuild() -> None:
    index = LexicalIndex(FEEDBACK)
    for round_ in range(MAX_SEGMENTS + 2):  # past the point where segments are merged
        werkdruk = WERKDRUK if round_ % 2 else WERKDRUK_HERSCHREVEN
        index = index.with_posts({"werkdruk": werkdruk, "vergaderen": VERGADEREN})
    index = index.with_posts({}, removed=["feedback"])

    assert everything(index) == everything(LexicalIndex(VERGADEREN + WERKDRUK))


def test_an_update_leaves_the_index_it_came_from_as_it_was() -> None:
    original = LexicalIndex(FEEDBACK + VERGADEREN)
    before = everything(original)

    original.with_posts({"werkdruk": WERKDRUK}, removed=["feedback"])

    assert everything(original) == before


def test_equal_scores_rank_in_post_and_position_order_however_the_posts_came_in() -> None:
    twin = [replace(c, id=c.id.replace("feedback", "tweeling"), post_slug="tweeling") for c in FEEDBACK]
    built = LexicalIndex(twin + FEEDBACK)
    added = LexicalIndex(twin).with_posts({"feedback": FEEDBACK})

    ranked = list(added.search("feedback collega", k=10))
    assert ranked == list(built.search("feedback collega", k=10))
    assert ranked[0].startswith("feedback:")


def test_a_group_of_one_word_scores_as_that_word_does() -> None:
    index = LexicalIndex(FEEDBACK + VERGADEREN + WERKDRUK)

    assert index.search_alternatives([("voorzitter",)], k=10) == index.search_words_and_ngrams(
        "voorzitter", k=10
    )


def test_a_group_scores_a_chunk_by_its_best_alternative() -> None:
    index = LexicalIndex(FEEDBACK + VERGADEREN + WERKDRUK)

    by_words, _ = index.search_alternatives([("chairman", "zetel", "voorzitter")], k=10)

    assert by_words == index.search_words_and_ngrams("voorzitter", k=10)[0]


def test_a_word_with_many_translations_weighs_as_much_as_a_word_with_one() -> None:
    index = LexicalIndex(FEEDBACK + VERGADEREN + WERKDRUK)
    once = [("chairman", "voorzitter"), ("papers", "vergaderstukken")]
    many = [("chairman", "voorzitter", "voorzitter", "voorzitter"), ("papers", "vergaderstukken")]

    assert index.search_alternatives(many, k=10) == index.search_alternatives(once, k=10)


def test_frequency_counts_the_chunks_holding_a_word_in_any_form() -> None:
    index = LexicalIndex(FEEDBACK + VERGADEREN + WERKDRUK)

    assert index.frequency("werkdruk") == 1
    assert index.frequency("voorzitters") == 1
    assert index.frequency("begroting") == 0
