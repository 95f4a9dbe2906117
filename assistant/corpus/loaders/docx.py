"""A Word .docx file: heading styles start sections, the Title style (or a leading Heading 1) is the title.

A .docx is a zip archive, so it is checked before python-docx opens it: a small upload must not unpack into
gigabytes. The sizes checked are the ones the archive declares; Python's zipfile never inflates a member past
its declared size, so the check holds for what python-docx reads.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.corpus.loaders.draft import Draft, group_sections
from assistant.corpus.model import Section, normalize_whitespace
from assistant.errors import BadInputError

MAX_UNPACKED_BYTES = 50_000_000
MAX_RATIO = 100  # a member this many times its compressed size ...
MAX_RATIO_BYTES = 10_000_000  # ... and bigger than this is a zip bomb, not text
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .doc files and password-protected .docx files

# Word stores built-in styles under English names with localized ids ("heading 1" / "Kop1"), but other
# programs write the localized name itself, so both name and id are checked, in English and Dutch.
_HEADING_STYLE = re.compile(r"(?:heading|kop)\s*([1-9])")
_TITLE_STYLES = frozenset({"title", "titel"})
# Authors that name a program or a default account, not a person.
_PLACEHOLDER_AUTHORS = frozenset(
    {"python-docx", "microsoft office user", "microsoft office-gebruiker", "windows user", "windows-gebruiker",
     "gebruiker", "user", "auteur", "author"}
)  # fmt: skip


def parse_docx(data: bytes, source: str) -> Draft:
    """Read the paragraphs and tables of a .docx into a title, sections and author."""
    names = _check_archive(data, source)
    try:
        document = docx.Document(io.BytesIO(data))
        title, sections = _sections(document.iter_inner_content())
        properties = document.core_properties
        core_title, author = properties.title or "", properties.author or ""
    except Exception as error:  # python-docx raises anything from KeyError to lxml errors on a damaged file
        if "word/document.xml" not in names:
            raise BadInputError(
                source,
                "this zip archive is not a Word document (it has no word/document.xml)",
                "dit is geen Word-document",
            ) from None
        raise BadInputError(
            source,
            f"the Word document is damaged and cannot be read ({_reason(error)})",
            "dit Word-document is beschadigd en kan niet worden gelezen; sla het opnieuw op in Word",
        ) from None
    metadata: dict[str, object] = {}
    author = normalize_whitespace(author)
    if author and author.casefold() not in _PLACEHOLDER_AUTHORS:
        metadata["author"] = author
    return Draft(
        title=title or normalize_whitespace(core_title) or None, sections=sections, metadata=metadata
    )


def _check_archive(data: bytes, source: str) -> set[str]:
    """Refuse what is not a zip archive or would unpack to far more than any blog post; return member names."""
    if data.startswith(_OLE_MAGIC):
        raise BadInputError(
            source,
            "this is an old .doc file or a password-protected document: save it as .docx without a password",
            "dit is een oud .doc-bestand of een document met een wachtwoord: sla het in Word op als .docx, "
            "zonder wachtwoord",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise BadInputError(
            source, "not a Word .docx file (it is not a zip archive)", "dit is geen Word-bestand (.docx)"
        ) from None
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES:
        raise BadInputError(
            source,
            f"the file would unpack to {total:,} bytes, more than {MAX_UNPACKED_BYTES:,}: it looks like a zip bomb",
            "dit bestand is uitgepakt veel te groot voor een blog; Kompas leest het niet",
        )
    for member in members:
        if member.file_size > MAX_RATIO_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise BadInputError(
                source,
                f"{member.filename!r} in the archive is compressed suspiciously well: it looks like a zip bomb",
                "dit bestand is uitgepakt veel te groot voor een blog; Kompas leest het niet",
            )
    return {member.filename for member in members}


def _sections(blocks: Iterable[Paragraph | Table]) -> tuple[str | None, list[Section]]:
    items = list(_items(blocks))
    # The Title style is the title; without one, so is a Heading 1 that opens the document.
    kinds = [kind for kind, _ in items]
    title_at = kinds.index("title") if "title" in kinds else 0 if kinds[:1] == ["heading1"] else None
    sections = group_sections(
        (bool(kind), text) for index, (kind, text) in enumerate(items) if index != title_at
    )
    return (items[title_at][1] if title_at is not None else None), sections


def _items(blocks: Iterable[Paragraph | Table]) -> Iterator[tuple[str, str]]:
    """(style kind, text) for every non-empty paragraph, and ("", row) for every table row."""
    for block in blocks:
        if isinstance(block, Table):
            yield from (("", row) for row in _table_rows(block))
        else:
            text = _clean(block.text)
            if text:
                yield _style_kind(block), text


def _style_kind(paragraph: Paragraph) -> str:
    """'title', 'heading1' .. 'heading9', or '' for body text (lists included)."""
    style = paragraph.style
    if style is None:
        return ""
    for name in (style.name or "", style.style_id or ""):
        key = name.strip().casefold()
        if key in _TITLE_STYLES:
            return "title"
        match = _HEADING_STYLE.fullmatch(key)
        if match:
            return f"heading{match.group(1)}"
    return ""


def _table_rows(table: Table) -> list[str]:
    """One paragraph per row, cells joined; merged cells repeat in python-docx, so each is taken once."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = _clean(cell.text)
            if text and text not in cells:
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


def _clean(text: str) -> str:
    return normalize_whitespace(text.replace("\n", " ").replace("\t", " "))


def _reason(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:120] if lines else type(error).__name__
