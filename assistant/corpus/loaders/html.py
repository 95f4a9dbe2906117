"""A blog page saved as HTML: trafilatura finds the post among the page's chrome, a tree walk makes it sections.

Trafilatura is good at telling a post from navigation, sidebars and footers on a full page. On short pages it
is not: below about 250 characters it falls back to a flat dump of the whole page that glues headings onto
paragraphs and keeps menu text. There a plain walk of the page with the chrome elements removed does better.
Either way only text is kept; scripts and event handlers are dropped, never run.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import re

import lxml.html
import trafilatura
from lxml import etree

from assistant.corpus.loaders.draft import Draft, group_sections
from assistant.corpus.model import Section, normalize_whitespace
from assistant.errors import BadInputError, NoArticleError

# Below this much text trafilatura's own fallback takes over (its MIN_EXTRACTED_SIZE); ours keeps the structure.
MIN_EXTRACTED_CHARS = 250

# Elements that hold blocks (HTML's and trafilatura's XML's); any other element is read as inline text.
_BLOCKS = frozenset({
    "html", "body", "main", "article", "section", "div", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "figcaption", "address", "details",
    "summary", "fieldset", "center", "hr", "doc", "list", "item", "quote", "row", "cell",
})  # fmt: skip
_HEADINGS = frozenset({"head", "h1", "h2", "h3", "h4", "h5", "h6"})
_BREAKS = frozenset({"br", "lb"})
# What the fallback removes: page chrome, code, and form controls (their labels are not post text).
_CHROME = (
    "head", "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "object", "embed", "svg", "canvas", "button", "select", "textarea", "input", "dialog", "menu",
)  # fmt: skip
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

Block = tuple[int, str]  # (heading level 1-6, or 0 for a paragraph; text)


def parse_html(text: str, source: str, *, require_article: bool = False) -> Draft:
    """Extract the post's title, metadata and sections from a web page.

    ``require_article`` (for pages fetched from the web) refuses a page on which trafilatura finds no main text,
    such as a home page, an overview or a login page, instead of reading whatever text the page holds.
    """
    tree = _parse(text, source)
    metadata = _metadata(tree)
    blocks = _trafilatura_blocks(tree)
    if sum(len(t) for _, t in blocks) < MIN_EXTRACTED_CHARS:
        if require_article:
            raise NoArticleError(
                source,
                "no article text on this page: give the address of one post, not of a home page or an overview",
                "op deze pagina staat geen blogtekst. Geef het adres van één blog, niet van de voorpagina of een "
                "overzicht van blogs",
            )
        blocks = _plain_blocks(tree)
    if not any(level == 0 for level, _ in blocks):
        raise BadInputError(
            source, "no readable text found in the HTML", "er staat geen leesbare tekst in deze webpagina"
        )
    title, sections = _sections(blocks, str(metadata.pop("title", "")) or None)
    return Draft(title=title, sections=sections, metadata=metadata)


def _parse(text: str, source: str) -> lxml.html.HtmlElement:
    # lxml refuses str input that declares an encoding (XHTML's <?xml ...?>); the text is already decoded.
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        return lxml.html.document_fromstring(text)
    except (etree.LxmlError, ValueError) as error:
        raise BadInputError(
            source,
            f"the HTML cannot be read ({_first_line(error)})",
            "deze webpagina kan niet worden gelezen",
        ) from None


def _metadata(tree: lxml.html.HtmlElement) -> dict[str, object]:
    """Title, author, date and canonical URL, only those the page really carries."""
    try:
        # Not the extensive date search: it guesses a date from any year in the text ("in 2021" → 2021-01-01).
        found = trafilatura.extract_metadata(copy.deepcopy(tree), extensive=False)
    except Exception:  # trafilatura's heuristics can trip over odd markup; the post is still readable without
        return {}
    metadata: dict[str, object] = {}
    for name in ("title", "author"):
        value = normalize_whitespace(getattr(found, name) or "")
        if value:
            metadata[name] = value
    with contextlib.suppress(ValueError):  # trafilatura writes YYYY-MM-DD; anything else is dropped
        metadata["date"] = dt.date.fromisoformat((found.date or "")[:10]).isoformat()
    if found.url and found.url.startswith(("https://", "http://")):
        metadata["url"] = found.url
    return metadata


def _trafilatura_blocks(tree: lxml.html.HtmlElement) -> list[Block]:
    try:
        document = trafilatura.bare_extraction(
            copy.deepcopy(tree),
            favor_recall=True,
            include_comments=False,
            include_formatting=False,
            include_links=False,
            include_images=False,
            with_metadata=False,
        )
    except Exception:  # as above: on failure the plain walk still reads the page
        return []
    if document is None or document.body is None:
        return []
    return _walk(document.body)


def _plain_blocks(tree: lxml.html.HtmlElement) -> list[Block]:
    tree = copy.deepcopy(tree)
    for element in list(tree.iter(*_CHROME)):
        element.drop_tree()  # keeps the element's tail, which belongs to its parent
    for element in tree.xpath("//*[@hidden or @aria-hidden='true']"):
        element.drop_tree()
    return _walk(tree)


def _walk(element: etree._Element, blocks: list[Block] | None = None, level: int = 0) -> list[Block]:
    """Headings and paragraphs in document order; loose text between blocks makes a paragraph of its own.

    ``level`` is the element's own heading level: its first text is the heading. Broken HTML can leave blocks
    inside a heading (an unclosed ``<h2>`` swallows the list after it); those become paragraphs after it.
    """
    blocks = [] if blocks is None else blocks
    run = [element.text or ""]
    for child in element:
        tag = _tag(child)
        if _is_block(tag):
            level = _add(blocks, level, "".join(run))
            run = []
            _walk(child, blocks, _heading_level(child, tag))
        elif tag:
            run.append(_text(child))
        run.append(child.tail or "")
    _add(blocks, level, "".join(run))
    return blocks


def _tag(element: etree._Element) -> str:
    """The lower-case tag name; empty for comments and processing instructions."""
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _is_block(tag: str) -> bool:
    return tag in _BLOCKS or tag in _HEADINGS or tag == "p"


def _text(element: etree._Element) -> str:
    if _tag(element) in _BREAKS:
        return " "
    parts = [element.text or ""]
    for child in element:
        tag = _tag(child)
        if tag:
            parts.append(f" {_text(child)} " if _is_block(tag) else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _heading_level(element: etree._Element, tag: str) -> int:
    """1-6 for a heading, 0 for anything else; trafilatura writes ``<head rend="h2">``."""
    if tag not in _HEADINGS:
        return 0
    level = element.get("rend", "h2") if tag == "head" else tag
    return int(level[1]) if re.fullmatch(r"h[1-6]", level) else 2


def _add(blocks: list[Block], level: int, text: str) -> int:
    """Add a block if there is text; return the level still waiting for text (0 once the heading is out)."""
    text = normalize_whitespace(text.replace("\n", " "))
    if not text:
        return level
    blocks.append((level, text))
    return 0


def _sections(blocks: list[Block], title: str | None) -> tuple[str | None, list[Section]]:
    """Group blocks under their headings; the title's own heading (or a leading h1 if no title) is not a section."""
    first_heading = next((i for i, (level, _) in enumerate(blocks) if level), None)
    if first_heading is not None:
        level, text = blocks[first_heading]
        if title is None and first_heading == 0 and level == 1:
            title = text
        if title is not None and text.casefold() == title.casefold():
            blocks = blocks[:first_heading] + blocks[first_heading + 1 :]
    return title, group_sections((bool(level), text) for level, text in blocks)


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:120] if lines else type(error).__name__
