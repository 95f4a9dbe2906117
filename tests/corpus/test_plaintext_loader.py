"""Plain text pasted from a blog: one paragraph per line, headings recognized by their shape."""

from __future__ import annotations

from conftest import SEED_TXT

from assistant.corpus.loaders import load_post, load_text
from assistant.corpus.model import Post, Section

SEED_HEADINGS = [
    "Vertrouwen begint niet met grootse gebaren",
    "Verbinding vraagt meer dan alleen beschikbaar zijn",
    "Waarom vertrouwen de brandstof is van goed leiderschap",
    "Vertrouwen opbouwen: het ritme van dagelijkse keuzes",
    "Wat als vertrouwen beschadigd is?",
    "Misvattingen die vertrouwen ondergraven",
    "Leiderschap = relationeel vakmanschap",
    "Praktisch: hoe versterk je het vertrouwen vandaag al?",
    "Tot slot",
]


def _seed() -> Post:
    return load_post(SEED_TXT)


def _section(post: Post, heading: str) -> Section:
    return next(s for s in post.sections if s.heading == heading)


def test_seed_post_has_an_intro_and_exactly_its_nine_headings_in_order() -> None:
    post = _seed()

    assert post.sections[0].heading == ""
    assert (
        post.sections[0]
        .paragraphs[0]
        .startswith("Een tijd geleden begeleidde ik een startende schoolleider.")
    )
    assert [s.heading for s in post.sections[1:]] == SEED_HEADINGS


def test_short_question_inside_a_section_stays_a_paragraph() -> None:
    section = _section(_seed(), "Wat als vertrouwen beschadigd is?")

    assert "De vraag is dan: hoe ga je ermee om?" in section.paragraphs
    assert section.paragraphs[0].startswith("Natuurlijk gaat er weleens iets mis.")


def test_signature_and_mission_are_the_last_two_paragraphs_of_the_closing_section() -> None:
    post = _seed()
    closing = post.sections[-1]

    assert closing.heading == "Tot slot"
    assert closing.paragraphs[-2] == "René Rensen I De Onderwijskapitein"
    assert closing.paragraphs[-1].startswith("Het is de missie van De Onderwijskapitein")


def test_hard_wrapped_lines_are_joined_into_one_paragraph() -> None:
    text = (
        "Een schoolleider die luistert, bouwt aan\n"
        "vertrouwen in het team en aan\n"
        "verbinding.\n"
        "Daarna begint een nieuwe alinea.\n"
    )

    post = load_text(text, "txt", overrides={"title": "Luisteren"})

    assert post.sections == (
        Section(
            "",
            (
                "Een schoolleider die luistert, bouwt aan vertrouwen in het team en aan verbinding.",
                "Daarna begint een nieuwe alinea.",
            ),
        ),
    )


def test_a_line_after_a_finished_sentence_starts_a_new_paragraph_even_in_lower_case() -> None:
    post = load_text("Dit is af.\nen dit is een nieuwe regel.\n", "txt", overrides={"title": "Regels"})

    assert post.sections[0].paragraphs == ("Dit is af.", "en dit is een nieuwe regel.")


def test_heading_shaped_first_line_followed_by_body_becomes_the_title() -> None:
    text = (
        "Feedback geven in een team\nGoede feedback is concreet. Je noemt wat je zag.\nEn je vraagt door.\n"
    )

    post = load_text(text, "txt")

    assert post.title == "Feedback geven in een team"
    assert post.sections == (
        Section("", ("Goede feedback is concreet. Je noemt wat je zag.", "En je vraagt door.")),
    )


def test_list_markers_are_dropped() -> None:
    text = (
        "Drie stappen helpen:\n- Erken wat er is gebeurd.\n1. Spreek verwachtingen uit.\n2) Houd je eraan.\n"
    )

    post = load_text(text, "txt", overrides={"title": "Herstel"})

    assert post.sections[0].paragraphs == (
        "Drie stappen helpen:",
        "Erken wat er is gebeurd.",
        "Spreek verwachtingen uit.",
        "Houd je eraan.",
    )


def test_text_without_headings_is_one_intro_section() -> None:
    text = "Vertrouwen groeit langzaam.\nHet vraagt geduld van iedereen.\nEn het begint bij jezelf.\n"

    post = load_text(text, "txt", overrides={"title": "Geduld"})

    assert post.sections == (
        Section(
            "",
            ("Vertrouwen groeit langzaam.", "Het vraagt geduld van iedereen.", "En het begint bij jezelf."),
        ),
    )


def test_txt_file_without_a_title_line_is_titled_after_its_file_name() -> None:
    assert _seed().title == "Seed post"
