"""Markdown with front matter, the corpus's own format: read into a Post, and written back without loss."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from conftest import SEED_MD, SEED_TXT, post_md
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.corpus.loaders import load_post, load_text
from assistant.corpus.loaders.markdown import post_to_markdown
from assistant.corpus.model import Post, Section, normalize_whitespace
from assistant.errors import BadInputError

BODY = "Vertrouwen groeit in kleine momenten. Een schoolleider die luistert, bouwt aan verbinding."


def test_front_matter_title_author_date_url_and_tags_are_read() -> None:
    text = post_md(
        "Vertrouwen in het team",
        {"": [BODY]},
        author="René Rensen",
        date="2024-05-17",
        url="https://deonderwijskapitein.nl/vertrouwen",
        tags="[vertrouwen, teamontwikkeling]",
        source="De Onderwijskapitein",
    )

    post = load_text(text, "md")

    assert (post.title, post.author, post.date, post.url, post.tags, post.source) == (
        "Vertrouwen in het team",
        "René Rensen",
        "2024-05-17",
        "https://deonderwijskapitein.nl/vertrouwen",
        ("vertrouwen", "teamontwikkeling"),
        "De Onderwijskapitein",
    )


@pytest.mark.parametrize(
    "date", ["2024-05-17", "'2024-05-17'", "2024-05-17 09:30:00", "'2024-05-17T09:30:00+02:00'"]
)
def test_date_as_yaml_date_or_string_becomes_iso_day(date: str) -> None:
    post = load_text(post_md("Datum", {"": [BODY]}, date=date), "md")

    assert post.date == "2024-05-17"


@pytest.mark.parametrize(
    "tags", ["[vertrouwen, leiderschap]", "vertrouwen, leiderschap", "'vertrouwen,leiderschap'"]
)
def test_tags_as_list_or_comma_separated_string(tags: str) -> None:
    post = load_text(post_md("Tags", {"": [BODY]}, tags=tags), "md")

    assert post.tags == ("vertrouwen", "leiderschap")


def test_first_level_one_heading_is_the_title_without_front_matter() -> None:
    post = load_text(f"# Luisteren als leider\n\n{BODY}\n\n## Doorvragen\n\nJe vraagt door.\n", "md")

    assert post.title == "Luisteren als leider"
    assert post.sections == (Section("", (BODY,)), Section("Doorvragen", ("Je vraagt door.",)))


def test_front_matter_title_wins_over_a_first_heading() -> None:
    text = f"---\ntitle: Uit de front matter\n---\n\n# Uit de kop\n\n{BODY}\n"

    post = load_text(text, "md")

    assert post.title == "Uit de front matter"


def test_second_and_third_level_headings_start_sections() -> None:
    text = "---\ntitle: Koppen\n---\n\nIntro.\n\n## Eerste deel\n\nEen.\n\n### Onderdeel\n\nTwee.\n"

    post = load_text(text, "md")

    assert post.sections == (
        Section("", ("Intro.",)),
        Section("Eerste deel", ("Een.",)),
        Section("Onderdeel", ("Twee.",)),
    )


def test_inline_markup_is_stripped_links_keep_their_text_and_images_are_dropped() -> None:
    paragraph = (
        "Dit is **vet**, _schuin_ en `code`, met een [link](https://example.nl) en ![logo](logo.png) erbij."
    )

    post = load_text(post_md("Opmaak", {"": [paragraph]}), "md")

    assert post.sections[0].paragraphs == ("Dit is vet, schuin en code, met een link en erbij.",)


def test_missing_title_is_rejected_naming_the_title() -> None:
    with pytest.raises(BadInputError, match="title") as caught:
        load_text(f"{BODY}\n", "md", source="zonder-titel.md")

    assert caught.value.source == "zonder-titel.md"


@pytest.mark.parametrize(
    ("front_matter", "field"),
    [
        ("title: [a, b]", "title"),
        ("title: Goed\ndate: gisteren", "date"),
        ("title: Goed\nurl: ftp://x", "url"),
        ("title: Goed\ntags: {a: 1}", "tags"),
        ("title: Goed\nauthor: {naam: René}", "author"),
    ],
)
def test_front_matter_of_the_wrong_type_is_rejected_naming_the_field(front_matter: str, field: str) -> None:
    with pytest.raises(BadInputError, match=f"'{field}'"):
        load_text(f"---\n{front_matter}\n---\n\n{BODY}\n", "md")


def test_invalid_yaml_front_matter_is_rejected() -> None:
    with pytest.raises(BadInputError, match="not valid YAML"):
        load_text(f"---\ntitle: [niet gesloten\n---\n\n{BODY}\n", "md", source="kapot.md")


def test_front_matter_that_is_not_key_value_lines_is_rejected() -> None:
    with pytest.raises(BadInputError, match="key: value"):
        load_text(f"---\n- een\n- lijst\n---\n\n{BODY}\n", "md")


def test_text_between_two_opening_rules_is_rejected_not_silently_dropped() -> None:
    text = f"---\n\nDe eerste alinea.\n\n---\n\n# Titel\n\n{BODY}\n"

    with pytest.raises(BadInputError, match="key: value"):
        load_text(text, "md")


def test_a_first_line_brace_is_body_text_not_json_front_matter() -> None:
    post = load_text(f"{{\nfoo\n}}\n\n{BODY}\n", "md", overrides={"title": "Accolades"})

    assert post.sections[0].paragraphs == ("{ foo }", BODY)


def test_seed_markdown_and_seed_text_give_the_same_post() -> None:
    from_markdown = load_post(SEED_MD)

    from_text = load_post(
        SEED_TXT,
        overrides={"title": from_markdown.title, "author": "René Rensen", "source": "De Onderwijskapitein"},
        slug=from_markdown.slug,
    )

    assert from_text.sections == from_markdown.sections
    assert from_text == from_markdown


# --- Roundtrip: whatever the coach writes, the corpus file reads back as the same post. ---

# Pieces that mean something to Markdown, YAML or HTML, or that are easy to mangle (emoji, accents, entities).
_TRICKY = [
    *"*_[]#<>&`|\\!()~=+-:'\"{}",
    "**vet**",
    "_schuin_",
    "[link](https://example.nl)",
    "![logo](logo.png)",
    "<b>",
    "<!-- x -->",
    "`code`",
    "&amp;",
    "&#39;",
    "&#x1F600;",
    "&copy",
    "---",
    "***",
    "===",
    "~~~",
    "```",
    "\\*",
    "🧭",
    "🚀",
    "é",
    "ë",
    "ĳ",
    "Ø",
    "—",
    "“",
    "”",
    "’",
]
_OPENINGS = [
    "",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "= ",
    "# ",
    "> ",
    "-",
    "+",
    "=",
    "#",
    "1.",
    "12)",
    "~~~ ",
    "--- ",
]

_characters = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"))
_word = st.lists(
    st.one_of(st.text(_characters, min_size=1, max_size=6), st.sampled_from(_TRICKY)), min_size=1, max_size=3
)
_text = (
    st.tuples(st.sampled_from(_OPENINGS), st.lists(_word.map("".join), min_size=1, max_size=6).map(" ".join))
    .map(lambda parts: unicodedata.normalize("NFC", "".join(parts)))
    .filter(lambda text: text and normalize_whitespace(text) == text)
)
_sections = st.lists(
    st.tuples(_text, st.lists(_text, min_size=1, max_size=3).map(tuple)), min_size=1, max_size=3
).map(lambda sections: tuple(Section(h, p) for h, p in sections))


@st.composite
def posts(draw: st.DrawFn) -> Post:
    """Posts as a loader makes them: normalized, non-empty text, no empty sections."""
    sections = draw(_sections)
    if draw(st.booleans()):
        sections = (Section("", draw(st.lists(_text, min_size=1, max_size=3).map(tuple))), *sections)
    day = draw(
        st.one_of(st.just(""), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(dt.date.isoformat))
    )
    return Post(
        slug="roundtrip",
        title=draw(_text),
        sections=sections,
        author=draw(st.one_of(st.just(""), _text)),
        date=day,
        url=draw(
            st.sampled_from(["", "https://deonderwijskapitein.nl/blog/vertrouwen?p=1&q=#kop", "http://x.nl"])
        ),
        tags=tuple(draw(st.lists(_text, max_size=3))),
        source=draw(st.one_of(st.just(""), _text)),
    )


@pytest.mark.parametrize(
    "line",
    [
        "- geen lijst",
        "1. geen lijst",
        "2) geen lijst",
        "+ geen lijst",
        "* geen lijst",
        "# geen kop",
        "> geen citaat",
        "= geen kop",
        "---",
        "~~~ geen code",
        "``` geen code",
        "**niet vet** en _niet schuin_",
        "[geen link](https://example.nl) en ![geen plaatje](a.png)",
        "<b>geen html</b> <https://example.nl>",
        "&amp; &#39; &copy; & &copy",
        "a\\*b\\ c\\",
        "Leiderschap = relationeel | vakmanschap #1",
        "🧭 Één café, naïef — “ja”",
    ],
)
def test_markdown_special_text_reads_back_unchanged_as_heading_and_paragraph(line: str) -> None:
    post = Post(slug="speciaal", title=line, sections=(Section(line, (line,)),))

    assert load_text(post_to_markdown(post), "md", slug=post.slug) == post


@pytest.mark.slow  # a hundred generated posts
@settings(deadline=None)
@given(posts())
def test_a_post_written_as_markdown_reads_back_as_the_same_post(post: Post) -> None:
    markdown = post_to_markdown(post)

    assert load_text(markdown, "md", slug=post.slug) == post
