"""Pasted text's format is detected: Markdown by its # headings, HTML by its tags, plain text otherwise."""

from __future__ import annotations

import pytest

from assistant.corpus.loaders import detect_format, load_text

PLAIN_WITH_HEADINGS = """Vertrouwen in het team

Vertrouwen groeit in kleine momenten. Een schoolleider die luistert, bouwt aan verbinding.
Dat merk je in elke vergadering.

Wat als vertrouwen beschadigd is?

Dan begint herstel met een gesprek. Zeg wat je zag en vraag wat de ander zag.
Herstel kost tijd, en dat mag.

Tot slot

Vertrouwen is geen project met een einddatum.
Het is een houding die je elke dag kiest.
"""


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("# Titel\n\nTekst.", "md"),
        ("Inleiding.\n\n## Sectie\n\nTekst.", "md"),
        ("---\ntitle: Titel\n---\nTekst.", "md"),
        ("<h1>Titel</h1><p>Tekst.</p>", "html"),
        ("<!DOCTYPE html><html><body><p>Tekst.</p></body></html>", "html"),
        (PLAIN_WITH_HEADINGS, "txt"),
        ("Nummer #1 van het jaar.\n#vertrouwen", "txt"),
    ],
)
def test_the_format_is_recognized_by_its_marks(text: str, fmt: str) -> None:
    assert detect_format(text) == fmt


def test_plain_text_pasted_automatically_keeps_its_headings_as_the_txt_loader_finds_them() -> None:
    post = load_text(PLAIN_WITH_HEADINGS, "auto")

    assert post.title == "Vertrouwen in het team"
    assert [s.heading for s in post.sections] == ["", "Wat als vertrouwen beschadigd is?", "Tot slot"]
    assert [len(s.paragraphs) for s in post.sections] == [2, 2, 2]


def test_markdown_pasted_automatically_is_read_as_markdown() -> None:
    post = load_text("# Titel\n\n## Eerste\n\nTekst een.\n\n## Tweede\n\nTekst twee.", "auto")

    assert post.title == "Titel"
    assert [s.heading for s in post.sections] == ["Eerste", "Tweede"]
