"""Markdown with YAML front matter: the corpus's own format, read with markdown-it and written back losslessly."""

from __future__ import annotations

import re

import frontmatter
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from assistant.corpus.loaders.draft import Draft
from assistant.corpus.model import Post, Section
from assistant.errors import BadInputError

_PARSER = MarkdownIt("commonmark", {"html": False})
_YAML = frontmatter.YAMLHandler()


def parse_markdown(text: str, source: str) -> Draft:
    """Parse front matter and body; ``##`` (any level) headings start sections, a leading ``#`` is the title."""
    metadata, content = _front_matter(text, source)
    title, sections = _sections(_PARSER.parse(content))
    return Draft(title=title, sections=sections, metadata=metadata)


def _front_matter(text: str, source: str) -> tuple[dict[str, object], str]:
    # Only YAML between '---' lines: frontmatter.loads would also take a first line "{" for JSON (and crash on
    # it), and silently drop front matter that is not a mapping, losing the text it held.
    text = text.strip()
    if not _YAML.detect(text):
        return {}, text
    try:
        raw, content = _YAML.split(text)
    except ValueError:  # an opening '---' and no closing one: a rule, not front matter
        return {}, text
    try:
        metadata = yaml.safe_load(raw)
    # PyYAML raises ValueError, not YAMLError, for an impossible date such as 2024-13-45.
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
        raise BadInputError(
            source,
            f"the front matter is not valid YAML ({_first_line(error)})",
            "de gegevens tussen de '---'-regels bovenaan kloppen niet "
            f"({_first_line(error)}); schrijf ze als 'naam: waarde', één per regel",
        ) from None
    if metadata is None:
        return {}, content
    if not isinstance(metadata, dict):
        raise BadInputError(
            source,
            "the front matter must be 'key: value' lines",
            "de gegevens tussen de '---'-regels bovenaan moeten regels 'naam: waarde' zijn",
        )
    return metadata, content


def _sections(tokens: list[Token]) -> tuple[str | None, list[Section]]:
    title: str | None = None
    sections: list[Section] = []
    heading, paragraphs = "", []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            text = _inline_text(tokens[index + 1])
            if token.tag == "h1" and title is None and not sections and not paragraphs and not heading:
                title = text
                continue
            if heading or paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = text, []
        elif token.type == "inline" and tokens[index - 1].type == "paragraph_open":
            paragraphs.append(_inline_text(token))
        elif token.type in ("fence", "code_block"):
            paragraphs.append(token.content.strip())
    if heading or paragraphs:
        sections.append(Section(heading, tuple(paragraphs)))
    return title, sections


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]


# Characters that markdown-it would read as markup anywhere in a line, and line openings it would read as blocks.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BLOCK_OPENING = re.compile(r"^(\s*)([-+=~]|\d{1,9}(?=[.)]))")


def escape_markdown(line: str) -> str:
    """Escape a line of plain text so that markdown-it parses it back to exactly the same text."""
    line = _INLINE_SPECIAL.sub(r"\\\1", line)
    line = _ENTITY_LIKE.sub(r"\\&", line)
    match = _BLOCK_OPENING.match(line)
    if match:
        opening = match.group(2)
        if opening.isdigit():
            line = f"{match.group(1)}{opening}\\{line[match.end() :]}"
        else:
            line = f"{match.group(1)}\\{line[match.start(2) :]}"
    return line


def post_to_markdown(post: Post) -> str:
    """Render a post as the corpus's normalized Markdown: front matter, paragraphs, ``##`` headings."""
    metadata = {
        "title": post.title,
        "author": post.author,
        "date": post.date,
        "url": post.url,
        "tags": list(post.tags),
        "source": post.source,
    }
    front = yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False, width=1000).strip()
    blocks = []
    for section in post.sections:
        if section.heading:
            blocks.append("## " + escape_markdown(section.heading))
        blocks.extend(escape_markdown(p) for p in section.paragraphs)
    return f"---\n{front}\n---\n\n" + "\n\n".join(blocks) + "\n"
