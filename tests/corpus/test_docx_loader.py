"""Word .docx files: heading styles make sections, the Title style the title; broken or hostile zips are refused."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from assistant.corpus.loaders import load_post
from assistant.errors import BadInputError


def _blog_document() -> docx.document.Document:
    document = docx.Document()
    document.add_paragraph("Vertrouwen in teams", style="Title")
    document.add_paragraph("Vertrouwen is de basis van elk goed functionerend team.")
    document.add_heading("Waarom vertrouwen ertoe doet", level=1)
    document.add_paragraph("Schoolleiders merken het dagelijks.")
    document.add_paragraph("")  # empty paragraphs are spacing, not text
    document.add_paragraph("Teams die elkaar vertrouwen bespreken problemen open.")
    document.add_heading("Drie stappen", level=2)
    for step in ("Erken wat er is gebeurd.", "Spreek verwachtingen uit.", "Houd je aan je afspraken."):
        document.add_paragraph(step, style="List Bullet")
    return document


def _save(document: docx.document.Document, path: Path) -> Path:
    document.save(str(path))
    return path


def test_docx_title_headings_and_list_become_sections(tmp_path: Path) -> None:
    post = load_post(_save(_blog_document(), tmp_path / "blog.docx"))

    assert post.title == "Vertrouwen in teams"
    assert [(s.heading, s.paragraphs) for s in post.sections] == [
        ("", ("Vertrouwen is de basis van elk goed functionerend team.",)),
        (
            "Waarom vertrouwen ertoe doet",
            ("Schoolleiders merken het dagelijks.", "Teams die elkaar vertrouwen bespreken problemen open."),
        ),
        (
            "Drie stappen",
            ("Erken wat er is gebeurd.", "Spreek verwachtingen uit.", "Houd je aan je afspraken."),
        ),
    ]


def test_docx_author_comes_from_core_properties(tmp_path: Path) -> None:
    document = _blog_document()
    document.core_properties.author = "René Rensen"

    post = load_post(_save(document, tmp_path / "blog.docx"))

    assert post.author == "René Rensen"


def test_docx_default_program_author_is_ignored(tmp_path: Path) -> None:
    # python-docx's own template says the author is "python-docx"; that is not a person.
    post = load_post(_save(_blog_document(), tmp_path / "blog.docx"))

    assert post.author == ""


def test_docx_leading_heading_1_is_the_title_without_a_title_style(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Leiderschap in crisistijd", level=1)
    document.add_paragraph("Een inleiding.")
    document.add_heading("Eerste les", level=1)
    document.add_paragraph("Blijf rustig.")

    post = load_post(_save(document, tmp_path / "crisis.docx"))

    assert post.title == "Leiderschap in crisistijd"
    assert [s.heading for s in post.sections] == ["", "Eerste les"]


def test_docx_core_title_is_used_without_a_title_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Feedback geven"
    document.add_paragraph("Feedback werkt als het op tijd komt.")

    post = load_post(_save(document, tmp_path / "document1.docx"))

    assert post.title == "Feedback geven"


def test_docx_dutch_style_names_are_recognized(tmp_path: Path) -> None:
    document = docx.Document()
    for name in ("Titel", "Kop 1", "Kop 2"):
        document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Samen leren", style="Titel")
    document.add_paragraph("Inleiding.")
    document.add_paragraph("Waarom samen", style="Kop 1")
    document.add_paragraph("Omdat het werkt.")
    document.add_paragraph("Hoe dan", style="Kop 2")
    document.add_paragraph("Door te beginnen.")

    post = load_post(_save(document, tmp_path / "samen.docx"))

    assert post.title == "Samen leren"
    assert [s.heading for s in post.sections] == ["", "Waarom samen", "Hoe dan"]


def test_docx_table_rows_become_paragraphs(tmp_path: Path) -> None:
    document = _blog_document()
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, (("Fase", "Duur"), ("Herstel", "Maanden")), strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text

    post = load_post(_save(document, tmp_path / "blog.docx"))

    assert post.sections[-1].paragraphs[-2:] == ("Fase | Duur", "Herstel | Maanden")


def test_docx_that_is_not_a_zip_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("Dit is gewoon tekst met een verkeerde extensie.", encoding="utf-8")

    with pytest.raises(BadInputError, match="zip"):
        load_post(path)


def test_docx_zip_without_document_xml_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "geen Word-document")

    with pytest.raises(BadInputError, match=r"word/document\.xml"):
        load_post(path)


def test_docx_with_damaged_document_xml_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "damaged.docx"
    with (
        zipfile.ZipFile(_save(_blog_document(), tmp_path / "good.docx")) as good,
        zipfile.ZipFile(path, "w") as bad,
    ):
        for member in good.infolist():
            content = good.read(member)
            bad.writestr(
                member, content[: len(content) // 2] if member.filename == "word/document.xml" else content
            )

    with pytest.raises(BadInputError, match="damaged"):
        load_post(path)


def _zip_of_zeros(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\0" * 1_000_000
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path


def test_docx_zip_bomb_is_rejected_quickly(tmp_path: Path) -> None:
    path = _zip_of_zeros(tmp_path / "bomb.docx", 60_000_000)
    assert path.stat().st_size < 1_000_000

    started = time.perf_counter()
    with pytest.raises(BadInputError, match="zip bomb"):
        load_post(path)
    assert time.perf_counter() - started < 2


def test_docx_member_compressed_too_well_is_rejected(tmp_path: Path) -> None:
    # 20 MB is under the total limit, but 20 MB of zeros in a few kilobytes is no document.
    path = _zip_of_zeros(tmp_path / "small-bomb.docx", 20_000_000)

    with pytest.raises(BadInputError, match="suspiciously well"):
        load_post(path)
