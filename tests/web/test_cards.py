"""Source cards and answer text: post and model text is escaped, quotes are marked, links point at the quote."""

from __future__ import annotations

import itertools
import re
from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st

from assistant.answering.types import Citation
from assistant.chunking import Chunk, Span
from assistant.web.cards import (
    card_html,
    defanged,
    escape_markdown,
    format_date,
    highlighted_passage,
    linked_markdown,
    safe_markdown,
    source_anchor,
    source_card_html,
    text_fragment_url,
)

PASSAGE = (
    "Vertrouwen begint klein. Dat zijn de bouwstenen van vertrouwen: zichtbaarheid, eerlijkheid en nabijheid."
    "\n\nMensen volgen gedrag, niet woorden."
)


def unescaped(pattern: str, markdown: str) -> bool:
    """Whether ``pattern`` occurs in ``markdown`` with its first sign not escaped by a backslash."""
    return bool(re.search(r"(?<!\\)(?:" + pattern + ")", markdown))


def citation(
    passage: str = PASSAGE,
    spans: tuple[Span, ...] = (Span(25, 104),),
    *,
    title: str = "Vertrouwen: het kompas",
    section: str = "De bouwstenen",
    url: str = "https://www.onderwijskapitein.nl/vertrouwen/",
    date: str = "2024-05-17",
    n: int = 1,
) -> Citation:
    chunk = Chunk(
        id="vertrouwen:0000:abc",
        post_slug="vertrouwen",
        post_title=title,
        section=section,
        section_index=1,
        position=0,
        start=0,
        end=len(passage),
        text=passage,
        sentences=(),
        date=date,
        url=url,
    )
    return Citation(n, chunk, spans)


def test_quoted_spans_are_marked_and_the_rest_is_plain():
    html = highlighted_passage(PASSAGE, (Span(25, 104),))

    assert html == (
        "Vertrouwen begint klein. <mark>Dat zijn de bouwstenen van vertrouwen: zichtbaarheid, eerlijkheid en "
        "nabijheid.</mark>\n\nMensen volgen gedrag, niet woorden."
    )


def test_several_spans_are_marked_in_reading_order():
    html = highlighted_passage("Een. Twee. Drie.", (Span(11, 16), Span(0, 4)))

    assert html == "<mark>Een.</mark> Twee. <mark>Drie.</mark>"


def test_neighbouring_quoted_sentences_are_one_mark():
    html = highlighted_passage("Een. Twee.\n\nDrie. Vier.", (Span(0, 4), Span(5, 10), Span(12, 17)))

    assert html == "<mark>Een. Twee.\n\nDrie.</mark> Vier."


def test_a_passage_with_html_and_markdown_renders_inert():
    evil = 'Lees dit <script>alert("x")</script> en ![x](http://evil.example/p.png) <img src=x onerror=alert(1)>.'
    card = card_html(citation(evil, (Span(0, len(evil)),), title="<b>Titel</b> ![t](http://evil.example/t)"))

    assert "<script" not in card
    assert "<img" not in card
    assert "<b>Titel" not in card
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in card
    assert "&lt;img src=x onerror=alert(1)&gt;" in card
    # The Markdown stays text: st.html does not interpret Markdown, and no tag of ours carries it.
    assert "![x](http://evil.example/p.png)" in card
    assert not re.search(r"<(?!/?(div|blockquote|mark|p|a)\b)", card)


def test_a_cards_label_is_escaped_so_it_cannot_link_or_load_anything():
    card = source_card_html(
        citation(title="<img src=http://evil.example/p.png> *vet*", section='"><script>x</script>'), "ab12"
    )

    summary = re.search(r"<summary[^>]*>(.*?)</summary>", card).group(1)
    assert summary.startswith("[1] &lt;img src=http://evil.example/p.png&gt; *vet*")
    assert "<img" not in card and "<script" not in card


def test_a_marker_links_to_its_card_and_names_post_and_section_on_hover():
    linked = linked_markdown("Zichtbaar zijn [1], en eerlijk [2].", [citation()], "ab12")

    assert linked == (
        'Zichtbaar zijn [\\[1\\]](#source-ab12-1 "Vertrouwen: het kompas › De bouwstenen · 17 mei 2024"), '
        "en eerlijk \\[2\\]."  # no source 2: the marker stays plain text
    )
    assert f'id="{source_anchor("ab12", 1)}"' in source_card_html(citation(), "ab12")


def test_a_quote_in_a_title_cannot_end_the_hover_text_early():
    linked = linked_markdown("Ja [1].", [citation(title='Het "echte" werk')], "ab12")

    assert '(#source-ab12-1 "Het \\"echte\\" werk › De bouwstenen · 17 mei 2024")' in linked


def test_a_card_starts_open_only_when_asked():
    assert source_card_html(citation(), "ab12", open_=True).startswith('<details class="kompas-source" open>')
    assert source_card_html(citation(), "ab12").startswith('<details class="kompas-source">')


def test_answer_markdown_keeps_emphasis_but_defangs_images_links_and_html():
    text = "**Kort:** vertrouwen [1]. ![x](http://evil.example/a.png) [klik](https://evil.example) <b>x</b> www.evil.example"

    safe = safe_markdown(text)

    assert safe.startswith("**Kort:** vertrouwen \\[1\\].")
    assert not unescaped(r"!\[|\]\(|<|>", safe)
    assert "!\\[x\\](http\\://evil.example/a.png)" in safe
    assert "http\\://evil.example" in safe and "https\\://evil.example" in safe
    assert "www\\.evil.example" in safe


def test_a_reference_definition_cannot_turn_markers_into_links():
    safe = safe_markdown("Zie [1].\n\n[1]: http://evil.example/track")

    assert not unescaped(r"\]:|\[", safe)


@given(st.text(alphabet="ab ![]():/.<>\\$whtpsw", max_size=40), st.lists(st.integers(0, 40), max_size=6))
def test_streamed_pieces_add_up_to_the_safe_text(text, cuts):
    bounds = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]

    assert "".join(defanged(pieces)) == safe_markdown(text)


def test_link_points_at_the_first_words_of_the_quote():
    url = text_fragment_url(
        "https://www.onderwijskapitein.nl/vertrouwen/",
        "Dat zijn de bouwstenen van vertrouwen: zichtbaarheid, eerlijkheid en nabijheid.",
    )

    base, fragment = url.split("#:~:text=")
    assert base == "https://www.onderwijskapitein.nl/vertrouwen/"
    assert unquote(fragment) == "Dat zijn de bouwstenen van vertrouwen: zichtbaarheid, eerlijkheid"
    assert fragment == "Dat%20zijn%20de%20bouwstenen%20van%20vertrouwen%3A%20zichtbaarheid%2C%20eerlijkheid"


def test_fragment_signs_are_percent_encoded():
    url = text_fragment_url("https://blog.example/post#intro", "Eerlijk-zijn & luisteren, altijd")

    assert url == "https://blog.example/post#intro:~:text=Eerlijk%2Dzijn%20%26%20luisteren%2C%20altijd"


def test_only_web_addresses_become_links():
    assert text_fragment_url("javascript:alert(1)", "Dat zijn") == ""
    assert "href" not in card_html(citation(url="javascript:alert(1)"))
    assert "href" not in card_html(citation(url=""))


def test_card_links_to_the_quote_in_the_post_and_escapes_the_address():
    card = card_html(citation(url='https://blog.example/a?x=1&y="2"'))

    assert 'href="https://blog.example/a?x=1&amp;y=&quot;2&quot;#:~:text=Dat%20zijn%20de' in card
    assert 'rel="noopener noreferrer nofollow"' in card


def test_card_names_title_section_and_dutch_date():
    assert "[1] Vertrouwen: het kompas › De bouwstenen · 17 mei 2024</summary>" in source_card_html(
        citation(), "a"
    )
    assert "17 mei 2024 · <a href=" in card_html(citation())
    assert format_date("2024-13-01") == "2024-13-01"
    assert format_date("") == ""


def test_escape_markdown_leaves_plain_words_alone():
    assert escape_markdown("Vertrouwen groeit") == "Vertrouwen groeit"
