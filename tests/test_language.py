"""Words for search: stop words are whole grammatical classes, and words that carry meaning stay."""

from __future__ import annotations

import pytest

from assistant.language import content_stems, detect_language, stem


@pytest.mark.parametrize(
    "question",
    [
        "Waarom zou ik dat doen?",
        "Welke is de tweede, volgens de blog?",
        "How should we do it?",
        "Vertel eens, wanneer kun je dat zeggen?",
    ],
)
def test_question_words_pronouns_auxiliaries_ordinals_and_source_words_name_no_topic(question: str) -> None:
    assert content_stems(question) == []


@pytest.mark.parametrize("word", ["slecht", "mis", "erg", "moeilijk", "belangrijk", "verstandig"])
def test_evaluative_words_carry_meaning(word: str) -> None:
    assert stem(word) in content_stems(f"Hoe breng ik {word} nieuws?")


def test_dutch_content_words_are_stemmed_alike_in_question_and_post() -> None:
    assert content_stems("vergaderingen") == content_stems("vergadering")


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Hoe bouw ik vertrouwen op in mijn team?", "nl"), ("How do I build trust in my team?", "en")],
)
def test_language_is_told_from_common_words(text: str, lang: str) -> None:
    assert detect_language(text) == lang
