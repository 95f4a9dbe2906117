"""Chunks are whole sentences of one section, with offsets that slice the post's text back exactly."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

import pytest
from conftest import SEED_MD
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.chunking import (
    MAX_WORDS,
    MIN_WORDS,
    Chunk,
    Span,
    chunk_post,
    sentence_windows,
    split_sentences,
)
from assistant.corpus.loaders import load_post
from assistant.corpus.model import Post, Section


def _sentences(count: int, words: int, topic: str) -> str:
    """``count`` sentences of exactly ``words`` words each."""
    filler = " ".join(["woord"] * (words - 2))
    return " ".join(f"{topic.capitalize()} {filler} {i}." for i in range(count))


SYNTHETIC = Post(
    slug="synthetisch",
    title="Een synthetische post",
    sections=(
        Section("", (_sentences(3, 10, "intro"), _sentences(4, 10, "vervolg"), _sentences(3, 10, "slot"))),
        Section("Kort", ("Een korte sectie van acht woorden lang.",)),
        Section("Lang", (_sentences(20, 10, "lang"), _sentences(2, 10, "staart"))),
        Section(
            "Gemiddeld",
            (_sentences(5, 12, "eerste"), _sentences(5, 12, "tweede"), _sentences(1, 6, "laatste")),
        ),
    ),
)


def _seed() -> Post:
    return load_post(SEED_MD)


@pytest.fixture(params=["seed", "synthetic"])
def post(request: pytest.FixtureRequest) -> Post:
    return _seed() if request.param == "seed" else SYNTHETIC


def _section_ranges(post: Post) -> dict[int, list[Span]]:
    """Each section's paragraphs, as spans of the post's text."""
    ranges: dict[int, list[Span]] = {}
    for span in post.paragraph_spans():
        ranges.setdefault(span.section_index, []).append(Span(span.start, span.end))
    return ranges


def _inside_its_section(post: Post, chunk: Chunk) -> bool:
    paragraphs = _section_ranges(post)[chunk.section_index]
    return all(any(p.start <= s.start <= s.end <= p.end for p in paragraphs) for s in chunk.sentences)


def test_chunks_never_cross_a_section(post: Post) -> None:
    chunks = chunk_post(post)

    assert {c.section_index for c in chunks} == set(range(len(post.sections)))
    for chunk in chunks:
        assert _inside_its_section(post, chunk), chunk
        assert chunk.section == post.sections[chunk.section_index].heading


def test_chunk_offsets_slice_the_post_text_back(post: Post) -> None:
    text = post.text

    for chunk in chunk_post(post):
        assert text[chunk.start : chunk.end] == chunk.text
        assert (chunk.start, chunk.end) == (chunk.sentences[0].start, chunk.sentences[-1].end)


def test_every_chunk_ends_on_a_sentence_boundary(post: Post) -> None:
    paragraph_ends = {span.end for span in post.paragraph_spans()}

    for chunk in chunk_post(post):
        assert re.search(r"[.!?…][\"'”’»)\]]*$", chunk.text) or chunk.end in paragraph_ends, chunk.text


def test_chunk_sizes_stay_between_min_and_max_words_except_a_short_section(post: Post) -> None:
    chunks = chunk_post(post)

    for chunk in chunks:
        section_words = sum(len(p.split()) for p in post.sections[chunk.section_index].paragraphs)
        if section_words < MIN_WORDS:
            assert [c.section_index for c in chunks].count(chunk.section_index) == 1
            assert chunk.word_count == section_words
        else:
            assert MIN_WORDS <= chunk.word_count <= MAX_WORDS, (chunk.word_count, chunk.text)


def test_synthetic_post_has_a_section_shorter_than_min_words_and_one_longer_than_max() -> None:
    # Guards the two tests above against a synthetic post that no longer exercises their edge cases.
    words = [sum(len(p.split()) for p in s.paragraphs) for s in SYNTHETIC.sections]

    assert min(words) < MIN_WORDS
    assert max(words) > MAX_WORDS


def test_chunk_ids_are_deterministic(post: Post) -> None:
    assert [c.id for c in chunk_post(post)] == [c.id for c in chunk_post(post)]


def test_chunk_id_changes_when_its_text_changes_and_others_stay() -> None:
    before = chunk_post(SYNTHETIC)
    intro = SYNTHETIC.sections[0]
    edited = replace(
        SYNTHETIC,
        sections=(
            Section("", (intro.paragraphs[0].replace("woord", "zin", 1), *intro.paragraphs[1:])),
            *SYNTHETIC.sections[1:],
        ),
    )

    after = chunk_post(edited)

    assert len(after) == len(before)
    assert after[0].id != before[0].id
    assert [c.id for c in after[1:]] == [c.id for c in before[1:]]


def test_chunk_ids_name_the_post_and_are_unique(post: Post) -> None:
    ids = [c.id for c in chunk_post(post)]

    assert len(set(ids)) == len(ids)
    assert all(i.startswith(f"{post.slug}:") for i in ids)


def test_positions_count_from_zero_across_the_post(post: Post) -> None:
    chunks = chunk_post(post)

    assert [c.position for c in chunks] == list(range(len(chunks)))


def test_chunks_overlap_only_inside_a_section(post: Post) -> None:
    chunks = chunk_post(post)

    for a, b in pairwise(chunks):
        assert a.start <= b.start
        if b.start < a.end:
            assert a.section_index == b.section_index
            assert set(a.sentences) & set(b.sentences)


def test_a_paragraph_longer_than_max_words_is_cut_with_one_sentence_of_overlap() -> None:
    long_section = [c for c in chunk_post(SYNTHETIC) if c.section == "Lang"]

    assert len(long_section) == 2
    assert long_section[0].sentences[-1] == long_section[1].sentences[0]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Kijk naar bijv. Google als voorbeeld. Teams o.a. op scholen, d.w.z. Bij ons, groeien. Klaar.",
            [
                "Kijk naar bijv. Google als voorbeeld.",
                "Teams o.a. op scholen, d.w.z. Bij ons, groeien.",
                "Klaar.",
            ],
        ),
        (
            "“Ik snap het niet,” zei ze. “Ik ben open.” Het blijft afstandelijk.",
            ["“Ik snap het niet,” zei ze.", "“Ik ben open.”", "Het blijft afstandelijk."],
        ),
        ("Ik twijfel... Toch ga ik door… En jij?", ["Ik twijfel...", "Toch ga ik door…", "En jij?"]),
        (
            "Het gevolg? Stilstand! Onuitgesproken spanningen.",
            ["Het gevolg?", "Stilstand!", "Onuitgesproken spanningen."],
        ),
        ("Het kost 2.5 uur. en daarna nog wat", ["Het kost 2.5 uur. en daarna nog wat"]),
        ("Een zin zonder punt aan het eind", ["Een zin zonder punt aan het eind"]),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert [text[s.start : s.end] for s in split_sentences(text)] == sentences


def test_split_sentences_shifts_spans_by_the_offset() -> None:
    assert split_sentences("Een. Twee.", offset=100) == [Span(100, 104), Span(105, 110)]


def test_sentence_windows_give_one_window_per_distinct_sentence_inside_its_section(post: Post) -> None:
    chunks = chunk_post(post)
    text = post.text
    owner = {c.id: c for c in chunks}
    sections = {i: text[spans[0].start : spans[-1].end] for i, spans in _section_ranges(post).items()}

    windows = sentence_windows(chunks, text)

    assert [w.sentence for w in windows] == sorted(
        {s for c in chunks for s in c.sentences}, key=lambda s: s.start
    )
    for window in windows:
        assert text[window.sentence.start : window.sentence.end] in window.text
        assert window.text in sections[owner[window.chunk_id].section_index], window


# --- Properties over random posts ---

_word = st.one_of(
    st.sampled_from(
        ["vertrouwen", "Team", "école", "één", "2024", "bijv.", "o.a.", "d.w.z.", "dhr.", "Nee?", "Ja!"]
    ),
    st.sampled_from(["“Ja,”", "‘zo’", "«non»", "3.5", "...", "…", "—", "(zie)", "[1]", "!?", "e.g.", "Ok."]),
    st.text(st.characters(categories=("L", "N", "P")), min_size=1, max_size=8),
)
_sentence = st.builds(
    lambda first, rest, end: " ".join([first.capitalize(), *rest]) + end,
    st.text(st.characters(categories=("L",)), min_size=1, max_size=8),
    st.lists(_word, max_size=20),
    st.sampled_from([".", "!", "?", "…", "...", ".”", "?’", ".)", ""]),
)
_paragraph = st.lists(_sentence, min_size=1, max_size=6).map(" ".join)
_heading = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=20)
random_posts = st.builds(
    lambda sections: Post(slug="willekeurig", title="Willekeurig", sections=tuple(sections)),
    st.lists(
        st.builds(Section, _heading, st.lists(_paragraph, min_size=1, max_size=8).map(tuple)),
        min_size=1,
        max_size=4,
    ),
)


@pytest.mark.slow  # a hundred generated posts
@settings(deadline=None)
@given(random_posts)
def test_chunks_of_random_posts_slice_back_and_stay_inside_one_section(post: Post) -> None:
    text = post.text

    for chunk in chunk_post(post):
        assert text[chunk.start : chunk.end] == chunk.text
        assert _inside_its_section(post, chunk)
