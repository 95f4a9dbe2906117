"""Render answers and their sources as safe text: source cards in HTML, answer text in defanged Markdown.

Everything that comes from a post or a model is escaped before any tag of ours is added, so a passage holding
``<script>`` or ``![x](https://elders)`` shows as text and makes the browser fetch nothing. Pure functions,
no Streamlit, so the tests can check every string.

    st.html(source_card_html(citation, answer_id, open_=True))
    st.markdown(linked_markdown(answer.text, answer.citations, answer_id))
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from assistant.answering.types import Citation
from assistant.chunking import Span
from assistant.corpus.dates import dutch_date

FRAGMENT_WORDS = 8

# Markdown (and Streamlit's extensions: :color[..], $math$) a label or answer must not interpret.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
# What can make a link or an image, or fetch: brackets (links, images, references), angle brackets (autolinks),
# and bare addresses that GitHub-flavoured Markdown turns into links.
_LINK_SYNTAX = re.compile(r"([\\\[\]<>$])")
_BARE_URL = re.compile(r"(?i)\b(https?|ftp|mailto|www)(:|\.)")
# A citation marker as ``safe_markdown`` leaves it: ``\[3\]``.
_ESCAPED_MARKER = re.compile(r"\\\[(\d+)\\\]")


def escape_markdown(text: str) -> str:
    """Make text render literally in a Streamlit label or ``st.markdown``: every Markdown sign is escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def safe_markdown(text: str) -> str:
    """Keep an answer's emphasis and lists, but defang images, links, autolinks, HTML and math.

    Escaping every bracket leaves no ``![..](..)``, ``[..](..)`` or ``[1]: https://..`` reference to follow, so
    the ``[n]`` markers stay plain text; breaking ``https:`` and ``www.`` stops bare addresses becoming links.
    """
    text = _LINK_SYNTAX.sub(r"\\\1", text)
    return _BARE_URL.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)


def defanged(tokens: Iterable[str]) -> Iterator[str]:
    """Stream ``safe_markdown`` of the text so far, as increments: joined, they equal ``safe_markdown(text)``.

    Escaping only ever inserts a backslash before the character that completes a pattern, so what was sent
    stays a prefix of the escaped longer text.
    """
    raw, sent = "", 0
    for token in tokens:
        raw += token
        safe = safe_markdown(raw)
        yield safe[sent:]
        sent = len(safe)


def highlighted_passage(passage: str, spans: tuple[Span, ...] | list[Span]) -> str:
    """The passage as HTML, each quoted span in ``<mark>``; spans are offsets into ``passage``.

    Quoted sentences separated only by a space become one mark, so a quote reads as one highlighted stretch.
    """
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if merged and not passage[merged[-1].end : span.start].strip():
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    parts: list[str] = []
    position = 0
    for span in merged:
        start, end = max(span.start, position), min(span.end, len(passage))
        if start >= end:
            continue
        parts.append(html.escape(passage[position:start]))
        parts.append(f"<mark>{html.escape(passage[start:end])}</mark>")
        position = end
    parts.append(html.escape(passage[position:]))
    return "".join(parts)


def text_fragment_url(url: str, quote_text: str, words: int = FRAGMENT_WORDS) -> str:
    """The post's address with a ``#:~:text=`` fragment, so the browser scrolls to the quote's first words.

    Only http(s) addresses get one; anything else (``javascript:``…) gives "" and no link is shown.
    """
    if not url.lower().startswith(("https://", "http://")):
        return ""
    start = " ".join(quote_text.split()[:words])
    if not start:
        return url
    # '-', '&' and ',' mean something inside a text directive, so they are percent-encoded too.
    encoded = quote(start, safe="").replace("-", "%2D")
    return f"{url}{':~:' if '#' in url else '#:~:'}text={encoded}"


def format_date(date: str) -> str:
    """ISO date → Dutch: ``2024-05-17`` → ``17 mei 2024``; anything else unchanged."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return date
    year, month, day = (int(part) for part in match.groups())
    try:
        return dutch_date(dt.date(year, month, day))
    except ValueError:
        return date


def source_line(citation: Citation) -> str:
    """Plain text: ``Titel › Sectie · 17 mei 2024``."""
    chunk = citation.chunk
    where = " › ".join(part for part in (chunk.post_title, chunk.section) if part)
    return " · ".join(part for part in (where, format_date(chunk.date)) if part)


def card_html(citation: Citation) -> str:
    """The body of source card ``n`` (its label names post and section): the passage with its quotes marked,
    then the date and a link to the quote in the post."""
    link = text_fragment_url(citation.chunk.url, citation.quotes[0] if citation.quotes else "")
    footer = [html.escape(format_date(citation.chunk.date))] if citation.chunk.date else []
    if link:
        footer.append(
            f'<a href="{html.escape(link, quote=True)}" target="_blank" rel="noopener noreferrer nofollow">'
            "Lees het in de blog ↗</a>"
        )
    parts = [
        f'<div class="kompas-card" data-source="{citation.n}" '
        f'title="{html.escape(source_line(citation), quote=True)}">',
        '<blockquote style="white-space:pre-wrap;margin:0;padding:0.2rem 0 0.2rem 0.8rem;'
        'border-left:3px solid #c9a227;line-height:1.55">'
        f"{highlighted_passage(citation.passage, citation.spans)}</blockquote>",
    ]
    if footer:
        parts.append(f'<p style="margin:0.5rem 0 0;font-size:0.85rem">{" · ".join(footer)}</p>')
    parts.append("</div>")
    return "".join(parts)


def source_anchor(answer_id: str, n: int) -> str:
    """The page-wide id of source card ``n`` of one answer (answer ids are hex, so the id is a plain name)."""
    return f"source-{re.sub(r'[^0-9A-Za-z_-]', '', answer_id)}-{n}"


def _markdown_title(text: str) -> str:
    """Text for a Markdown link title in double quotes (shown on hover)."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def linked_markdown(text: str, citations: Iterable[Citation], answer_id: str) -> str:
    """``safe_markdown`` of an answer, each ``[n]`` of a cited source a link to its card (hover: post and section).

    The links are ours and only ever in-page (``#source-…``); the answer's own brackets stay escaped.
    """
    lines = {c.n: source_line(c) for c in citations}

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in lines:
            return match.group(0)
        return f'[\\[{n}\\]](#{source_anchor(answer_id, n)} "{_markdown_title(lines[n])}")'

    return _ESCAPED_MARKER.sub(link, safe_markdown(text))


def source_card_html(citation: Citation, answer_id: str, open_: bool = False) -> str:
    """Source card ``n`` as a ``<details>``: its summary names post, section and date, its body is ``card_html``.

    The body carries the anchor the answer's ``[n]`` links to: the browser opens a closed ``<details>`` when it
    navigates to something inside it, so a click both opens the card and scrolls to it, without any script.
    """
    label = f"[{citation.n}] {source_line(citation)}"
    return (
        f'<details class="kompas-source"{" open" if open_ else ""}>'
        '<summary style="cursor:pointer;padding:0.35rem 0;font-size:0.95rem">'
        f"{html.escape(label)}</summary>"
        f'<div id="{source_anchor(answer_id, citation.n)}" style="scroll-margin-top:5rem;padding:0.2rem 0 0.6rem">'
        f"{card_html(citation)}</div></details>"
    )
