"""What every format parser returns (a ``Draft``) and how a draft becomes a validated ``Post``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.corpus.dates import ACCEPTED_FORMS, ACCEPTED_FORMS_EN, parse_date
from assistant.corpus.model import Post, Section, normalize_whitespace, slugify
from assistant.errors import BadInputError


@dataclass
class Draft:
    """A parsed document before validation: a title if the format carries one, sections, raw metadata."""

    title: str | None
    sections: list[Section]
    metadata: dict[str, object] = field(default_factory=dict)


def group_sections(blocks: Iterable[tuple[bool, str]]) -> list[Section]:
    """Sections from (is heading, text) blocks in document order: each heading opens a section, text before the
    first heading makes an untitled one."""
    sections: list[Section] = []
    heading, paragraphs = "", []
    for is_heading, text in blocks:
        if is_heading:
            if heading or paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = text, []
        else:
            paragraphs.append(text)
    if heading or paragraphs:
        sections.append(Section(heading, tuple(paragraphs)))
    return sections


def clean_sections(sections: list[Section]) -> tuple[Section, ...]:
    """Normalize whitespace, drop empty paragraphs, and fold heading-only sections into the next heading."""
    cleaned: list[Section] = []
    for section in sections:
        paragraphs = tuple(
            p for p in (normalize_whitespace(x.replace("\n", " ")) for x in section.paragraphs) if p
        )
        heading = normalize_whitespace(section.heading.replace("\n", " "))
        if not paragraphs and not heading:
            continue
        cleaned.append(Section(heading, paragraphs))
    # A heading with no body (e.g. two headings in a row) would make an empty, uncitable section.
    merged: list[Section] = []
    for section in cleaned:
        if merged and not merged[-1].paragraphs:
            previous = merged.pop()
            heading = f"{previous.heading}: {section.heading}" if section.heading else previous.heading
            section = Section(heading, section.paragraphs)
        merged.append(section)
    return tuple(s for s in merged if s.paragraphs)


def build_post(
    draft: Draft,
    source: str,
    *,
    slug: str | None = None,
    max_words: int = 30_000,
    overrides: dict[str, object] | None = None,
) -> Post:
    """Validate a draft and turn it into a ``Post``; raise ``BadInputError`` naming ``source`` otherwise."""
    metadata = dict(draft.metadata)
    if draft.title and not metadata.get("title"):
        metadata["title"] = draft.title
    metadata.update({k: v for k, v in (overrides or {}).items() if v not in (None, "", ())})

    title = _text_field(metadata, "title", source)
    if not title:
        raise BadInputError(
            source,
            "the post has no title: add 'title:' front matter, a first heading, or --title",
            "de blog heeft geen titel: vul het veld 'Titel' in, of begin de tekst met de titel op een eigen regel",
        )
    sections = clean_sections(draft.sections)
    if not sections:
        raise BadInputError(source, "the post has no text", "er staat geen tekst in")
    post = Post(
        slug=slugify(slug or title),
        title=title,
        sections=sections,
        author=_text_field(metadata, "author", source),
        date=_date_field(metadata, source),
        url=_url_field(metadata, source),
        tags=_tags_field(metadata, source),
        source=_text_field(metadata, "source", source),
    )
    if not post.slug:
        raise BadInputError(
            source,
            f"cannot make a slug from {slug or title!r}: use letters or digits",
            "de titel moet letters of cijfers bevatten",
        )
    if post.word_count > max_words:
        raise BadInputError(
            source,
            f"the post has {post.word_count} words, more than the limit of {max_words}",
            f"de blog telt {post.word_count} woorden; Kompas neemt blogs tot {max_words} woorden",
        )
    return post


def _text_field(metadata: dict[str, object], name: str, source: str) -> str:
    value = metadata.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadInputError(
            source, f"'{name}' must be text, not {type(value).__name__}", f"'{name}' moet tekst zijn"
        )
    return normalize_whitespace(str(value).replace("\n", " "))


def _date_field(metadata: dict[str, object], source: str) -> str:
    value = metadata.get("date")
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError:
            pass
    raise BadInputError(
        source,
        f"'date' must be a date like {ACCEPTED_FORMS_EN}, not {value!r}",
        f"“{value}” is geen datum die Kompas kan lezen; schrijf hem als {ACCEPTED_FORMS}",
    )


def _url_field(metadata: dict[str, object], source: str) -> str:
    url = _text_field(metadata, "url", source)
    if url and not url.startswith(("https://", "http://")):
        raise BadInputError(
            source,
            f"'url' must start with https:// or http://, not {url!r}",
            "het adres van de blog moet beginnen met https:// of http://",
        )
    return url


def _tags_field(metadata: dict[str, object], source: str) -> tuple[str, ...]:
    value = metadata.get("tags")
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(t, str | int) for t in value):
        raise BadInputError(
            source,
            "'tags' must be a list of words, e.g. [vertrouwen, teamontwikkeling]",
            "'tags' moet een lijst woorden zijn, bijvoorbeeld [vertrouwen, teamontwikkeling]",
        )
    return tuple(t for t in (normalize_whitespace(str(t)) for t in value) if t)
