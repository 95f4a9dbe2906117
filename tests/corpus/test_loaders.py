"""Any file or pasted text becomes a validated Post, or a BadInputError naming the file and the problem."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import post_md

from assistant.corpus.loaders import load_post, load_text
from assistant.errors import BadInputError

WriteFiles = Callable[[dict[str, str | bytes]], Path]
BODY = "Vertrouwen groeit in kleine momenten. Een schoolleider die luistert, bouwt aan verbinding."
POST = post_md("Vertrouwen in het team", {"": [BODY]})


def _rejection(path: Path, **limits: int) -> BadInputError:
    with pytest.raises(BadInputError) as caught:
        load_post(path, **limits)
    assert str(path) in str(caught.value)
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("leeg.md", b"", "the file is empty"),
        ("witruimte.txt", b"  \n\t\r\n  \n", "the file is empty"),
        ("binair.md", b"---\ntitle: x\n---\x00\x00\x01\x02", "binary file"),
        ("verslag.pdf", b"%PDF-1.7\n", "unknown file type '.pdf'"),
        ("latin1.txt", "Titel\ncafé en thee.\n".encode("latin-1"), "not UTF-8 (byte 0xe9"),
    ],
)
def test_bad_file_is_rejected_naming_the_file_and_the_problem(
    write_files: WriteFiles, name: str, content: bytes, problem: str
) -> None:
    path = write_files({name: content}) / name

    assert problem in _rejection(path).problem


def test_file_over_max_bytes_is_rejected(write_files: WriteFiles) -> None:
    path = write_files({"groot.md": POST}) / "groot.md"

    assert "more than the limit of 100" in _rejection(path, max_bytes=100).problem


def test_post_over_max_words_is_rejected(write_files: WriteFiles) -> None:
    path = write_files({"lang.md": POST}) / "lang.md"

    assert "12 words, more than the limit of 10" in _rejection(path, max_words=10).problem


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)],
)
def test_text_with_a_byte_order_mark_decodes(write_files: WriteFiles, encoding: str, bom: bytes) -> None:
    path = write_files({"bom.md": bom + POST.encode(encoding)}) / "bom.md"

    post = load_post(path)

    assert (post.title, post.sections[0].paragraphs) == ("Vertrouwen in het team", (BODY,))


def test_slug_comes_from_the_title(write_files: WriteFiles) -> None:
    path = (
        write_files({"bestand.md": post_md("Wat als vertrouwen beschadigd is?", {"": [BODY]})}) / "bestand.md"
    )

    assert load_post(path).slug == "wat-als-vertrouwen-beschadigd-is"


def test_explicit_slug_wins_over_the_title(write_files: WriteFiles) -> None:
    path = write_files({"bestand.md": POST}) / "bestand.md"

    assert load_post(path, slug="Mijn Eigen Slug").slug == "mijn-eigen-slug"


def test_pasted_text_loads_with_a_title_override() -> None:
    post = load_text(f"{BODY}\n", "txt", overrides={"title": "Geplakt"})

    assert (post.slug, post.title, post.sections[0].paragraphs) == ("geplakt", "Geplakt", (BODY,))


@pytest.mark.parametrize("text", ["", "  \n\t\n"])
def test_empty_pasted_text_is_rejected(text: str) -> None:
    with pytest.raises(BadInputError, match="pasted text: the text is empty"):
        load_text(text, "txt", overrides={"title": "Leeg"})


def test_pasted_text_in_an_unknown_format_is_rejected() -> None:
    with pytest.raises(BadInputError, match="pasted text: unknown format 'pdf'"):
        load_text(BODY, "pdf", overrides={"title": "Onbekend"})
