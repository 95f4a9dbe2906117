"""The coach's page under AppTest: the login, adding, replacing and deleting posts, and what leaders asked."""

from __future__ import annotations

import io

import docx
import pytest
import streamlit as st
from conftest import post_md
from streamlit.testing.v1 import AppTest

from assistant.web import resources
from web.conftest import PASSWORD
from web.steps import APP, ask, cited_titles, last_answer, log_in, start_app, texts, to_chat, to_coach

pytestmark = pytest.mark.timeout(240)

POLDER_QUESTION = "Waarom fiets je elke ochtend door de polder?"
POLDER_TEXT = (
    "Elke ochtend fiets ik door de polder naar school. Tussen de weilanden en de molens ordenen mijn gedachten "
    "zich, zodat ik rustig aan de dag begin."
)


def save_button(at):
    [button] = [b for b in at.button if b.key and b.key.endswith("_save")]
    return button


def test_without_a_password_the_page_only_says_how_to_enable_it(app):
    to_coach(app)

    assert "ASSISTANT_ADMIN_PASSWORD" in texts(app.info)
    assert not app.text_input
    assert not app.file_uploader
    assert not app.tabs


def test_wrong_password_is_refused_and_the_right_one_opens_the_page(site, monkeypatch):
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", PASSWORD)
    at = to_coach(start_app())

    log_in(at, "stuurman")
    assert "klopt niet" in texts(at.error)
    assert not at.file_uploader

    log_in(at, PASSWORD)
    assert not at.exception
    assert not at.error
    assert at.file_uploader
    assert [t.label for t in at.tabs] == ["Toevoegen", "Blogs", "Vragen", "Feedback"]


def test_after_five_attempts_in_a_minute_even_the_right_password_waits(site, monkeypatch):
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", PASSWORD)
    at = to_coach(start_app())
    for _ in range(5):
        log_in(at, "stuurman")

    log_in(at, PASSWORD)

    assert "Te veel pogingen" in texts(at.error)
    assert not at.file_uploader


def test_pasted_text_is_previewed_then_added_and_the_chat_cites_it(coach_app):
    ask(to_chat(coach_app), POLDER_QUESTION)
    assert "Daar gaan de blogs niet over" in last_answer(coach_app)  # not yet known
    to_coach(coach_app)

    coach_app.text_input(key="paste_title").input("Op de fiets door de polder")
    coach_app.text_input(key="paste_url").input("https://www.onderwijskapitein.nl/polder/")
    coach_app.text_input(key="paste_date").input("2024-06-01")
    coach_app.selectbox(key="paste_format").set_value("txt")
    coach_app.text_area(key="paste_text").input(POLDER_TEXT).run()

    assert "Op de fiets door de polder" in texts(coach_app.markdown)  # the preview
    assert "Kompas vond 1 deel" in texts(coach_app.markdown)
    assert save_button(coach_app).label == "Toevoegen"
    save_button(coach_app).click().run()

    assert not coach_app.exception
    assert "is toegevoegd" in texts(coach_app.success)
    assert coach_app.text_area(key="paste_text").value == ""  # the form is empty again
    ask(to_chat(coach_app), POLDER_QUESTION)
    assert "Op de fiets door de polder" in " ".join(cited_titles(coach_app))
    assert "fiets ik door de polder" in last_answer(coach_app)


def test_uploaded_files_are_added_and_the_chat_cites_them(coach_app, tmp_path):
    document = docx.Document()
    document.add_heading("Op de fiets door de polder", level=1)
    document.add_paragraph(POLDER_TEXT)
    buffer = io.BytesIO()
    document.save(buffer)
    markdown = post_md(
        "Stilte in de teamvergadering",
        {"": ["Een stilte in de teamvergadering is geen leegte. Wie de stilte laat bestaan, geeft ruimte."]},
    )

    coach_app.file_uploader[0].set_value(
        [
            ("polder.docx", buffer.getvalue(), "application/octet-stream"),
            ("stilte.md", markdown.encode(), "text/markdown"),
        ]
    ).run()
    assert not coach_app.exception
    assert not coach_app.error, texts(coach_app.error)
    assert [b.label for b in coach_app.button if b.key.endswith("_save")] == ["Toevoegen", "Toevoegen"]
    coach_app.button(key="upload_0_save").click().run()
    assert "is toegevoegd" in texts(coach_app.success)
    coach_app.button(key="upload_1_save").click().run()

    assert not coach_app.exception
    assert "“Stilte in de teamvergadering” is toegevoegd" in texts(coach_app.success)
    assert not [b for b in coach_app.button if b.key.endswith("_save")]  # both done
    ask(to_chat(coach_app), POLDER_QUESTION)
    assert "Op de fiets door de polder" in " ".join(cited_titles(coach_app))


def test_a_file_the_loaders_refuse_shows_their_error_and_offers_no_save(coach_app):
    coach_app.file_uploader[0].set_value(("leeg.md", b"   \n", "text/markdown")).run()

    assert not coach_app.exception
    assert "leeg.md: het bestand is leeg" in texts(coach_app.error).replace("\\", "")
    assert not [b for b in coach_app.button if b.key.endswith("_save")]


def test_a_file_over_the_upload_limit_is_refused(site, monkeypatch):
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("ASSISTANT_MAX_UPLOAD_BYTES", "100")
    at = log_in(to_coach(start_app()), PASSWORD)

    at.file_uploader[0].set_value(
        ("lang.txt", ("Een zin over vertrouwen. " * 10).encode(), "text/plain")
    ).run()

    message = texts(at.error).replace("\\", "")
    assert "lang.txt: dit bestand is te groot (250 bytes); Kompas neemt bestanden tot 100 bytes" in message
    assert not [b for b in at.button if b.key.endswith("_save")]


def test_replacing_a_post_changes_what_the_chat_quotes(coach_app):
    replacement = post_md(
        "Feedback geven zonder te kwetsen",
        {
            "": [
                "Feedback geven begint met luisteren naar de molenaar. Wie luistert, hoort wat de ander nodig heeft."
            ]
        },
    )
    coach_app.file_uploader[0].set_value(("feedback.md", replacement.encode(), "text/markdown")).run()

    assert "Vink ‘Vervangen’ aan om hem te vervangen" in texts(coach_app.warning)
    coach_app.checkbox(key="upload_0_replace").check().run()
    assert save_button(coach_app).label == "Vervangen"
    save_button(coach_app).click().run()

    assert "is vervangen" in texts(coach_app.success)
    ask(to_chat(coach_app), "Waar begint feedback geven mee?")
    assert "luisteren naar de molenaar" in last_answer(coach_app)
    assert "Begin een feedbackgesprek met een vraag" not in last_answer(coach_app)


def test_a_post_is_deleted_only_after_confirmation_and_then_no_longer_cited(coach_app, site):
    coach_app.selectbox(key="delete_slug").set_value("feedback-geven-zonder-te-kwetsen").run()
    coach_app.button(key="delete_post").click().run()
    assert "Weet je zeker" in texts(coach_app.warning)
    assert (site.corpus_dir / "feedback-geven-zonder-te-kwetsen.md").exists()  # nothing happened yet

    coach_app.button(key="delete_confirm").click().run()

    assert not coach_app.exception
    assert "is verwijderd" in texts(coach_app.success)
    assert not (site.corpus_dir / "feedback-geven-zonder-te-kwetsen.md").exists()
    ask(to_chat(coach_app), "Hoe begin ik een feedbackgesprek?")
    assert not any("Feedback geven" in t for t in cited_titles(coach_app))


def test_cancel_keeps_the_post(coach_app, site):
    coach_app.selectbox(key="delete_slug").set_value("feedback-geven-zonder-te-kwetsen").run()
    coach_app.button(key="delete_post").click().run()
    coach_app.button(key="delete_cancel").click().run()

    assert not coach_app.warning
    assert (site.corpus_dir / "feedback-geven-zonder-te-kwetsen.md").exists()


def test_reindex_rebuilds_the_index_with_a_progress_bar(coach_app):
    coach_app.button(key="reindex").click().run()

    assert not coach_app.exception
    assert "Alle blogs zijn opnieuw ingelezen: 2 blogs" in texts(coach_app.success)
    ask(to_chat(coach_app), "Wat zijn de bouwstenen van vertrouwen?")
    assert cited_titles(coach_app)


def test_the_page_shows_recent_questions_gaps_and_feedback(coach_app):
    to_chat(coach_app)
    ask(coach_app, "Hoe maak ik een lesrooster?")
    ask(coach_app, "Hoe maak ik een lesrooster")
    ask(coach_app, "Wat zijn de bouwstenen van vertrouwen?")
    coach_app.feedback[-1].set_value(1).run()

    to_coach(coach_app)

    questions, feedback = coach_app.tabs[2], coach_app.tabs[3]
    gaps, recent = (t.value for t in questions.table)
    assert gaps["Vraag"].tolist() == ["Hoe maak ik een lesrooster"]
    assert gaps["Keer gesteld"].tolist() == [2]
    assert recent["Vraag"].tolist()[0] == "Wat zijn de bouwstenen van vertrouwen?"
    assert recent["Beantwoord"].tolist() == ["ja", "nee", "nee"]
    assert [m.value for m in feedback.metric] == ["1", "0"]
    assert feedback.table[0].value["Oordeel"].tolist() == ["👍"]


def test_the_client_limit_counts_attempts_from_all_sessions_of_one_client(site, monkeypatch):
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("ASSISTANT_LOGIN_ATTEMPTS_PER_MINUTE", "3")
    first = to_coach(start_app())
    log_in(first, "stuurman")
    log_in(first, "bootsman")
    second = to_coach(AppTest.from_file(str(APP), default_timeout=120).run())  # same process, same client
    log_in(second, "matroos")
    assert "klopt niet" in texts(second.error)

    log_in(second, PASSWORD)  # this session's own limit (5) is far off, the client's (3) is reached

    assert "Te veel pogingen" in texts(second.error)
    assert not second.file_uploader
    [key] = resources.login_limiter().clients()
    assert key != "local" and len(key) == 64  # a salted hash, not the address
    st.cache_resource.clear()


def test_the_question_log_is_cleared_only_after_confirmation(coach_app, journal):
    to_chat(coach_app)
    ask(coach_app, "Wat zijn de bouwstenen van vertrouwen?")
    ask(coach_app, "Hoe maak ik een lesrooster?")
    coach_app.feedback[0].set_value(1).run()
    to_coach(coach_app)
    assert "90 dagen bewaard" in texts(coach_app.caption)

    coach_app.button(key="clear_journal").click().run()
    assert "2 vragen en 1 beoordeling verdwijnen" in texts(coach_app.warning)
    coach_app.button(key="clear_journal_cancel").click().run()
    assert not coach_app.warning
    assert len(journal.recent_questions()) == 2  # nothing happened yet

    coach_app.button(key="clear_journal").click().run()
    coach_app.button(key="clear_journal_confirm").click().run()

    assert not coach_app.exception
    assert "Het vragenlog is gewist: 2 vragen en 1 beoordeling." in texts(coach_app.success)
    assert journal.recent_questions() == [] and journal.feedback() == []
    assert "Nog geen vragen gesteld." in texts(coach_app.caption)
    assert not coach_app.warning


def test_with_retention_zero_the_page_says_the_log_is_off_and_nothing_is_kept(site, monkeypatch, journal):
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("ASSISTANT_LOG_RETENTION_DAYS", "0")
    at = start_app()
    ask(at, "Wat zijn de bouwstenen van vertrouwen?")
    at.feedback[0].set_value(1).run()

    log_in(to_coach(at), PASSWORD)

    assert "Het vragenlog staat uit" in texts(at.caption)
    assert journal.recent_questions() == [] and journal.feedback() == []
