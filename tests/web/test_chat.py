"""The chat page under AppTest: answers with numbered source cards, follow-ups, refusals, feedback."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from openai_server import OpenAIServer
from streamlit.testing.v1 import AppTest

from web.steps import ask, cited_titles, last_answer, start_app

pytestmark = pytest.mark.timeout(240)

SEED_TITLE = "Vertrouwen: het kompas van verbindend leiderschap"


def markers(markdown: str) -> set[int]:
    """The [n] markers of an answer as rendered (brackets are escaped in the Markdown)."""
    return {int(n) for n in re.findall(r"\\\[(\d+)\\\]", markdown)}


def card_numbers(at: AppTest) -> list[int]:
    return [int(re.match(r"\[(\d+)\]", label).group(1)) for label in cited_titles(at)]


def test_answer_shows_numbered_source_cards_that_match_its_markers(app):
    ask(app, "Wat zijn de bouwstenen van vertrouwen?")

    answer = last_answer(app)
    assert "zichtbaarheid, eerlijkheid en nabijheid" in answer
    assert markers(answer) and markers(answer) == set(card_numbers(app))
    assert card_numbers(app) == list(range(1, len(card_numbers(app)) + 1))
    assert all(SEED_TITLE in t for t in cited_titles(app))
    card = app.html[0].value
    assert "<mark>Dat zijn de bouwstenen van vertrouwen: zichtbaarheid, eerlijkheid en nabijheid." in card


def test_follow_up_is_answered_in_the_context_of_the_conversation(app, journal):
    ask(app, "Wat zijn de bouwstenen van vertrouwen?")
    ask(app, "En hoe laat ik die zien?")

    assert [m.name for m in app.chat_message] == ["user", "assistant", "user", "assistant"]
    assert markers(last_answer(app)) == set(card_numbers(app))
    follow_up = journal.recent_questions()[0]
    assert follow_up.question == "En hoe laat ik die zien?"
    assert not follow_up.refused
    assert "vertrouwen" in follow_up.standalone_question.lower()  # the history reached the engine


def test_question_outside_the_blogs_is_refused_without_source_cards(app, journal):
    ask(app, "Wat is een goed recept voor appeltaart?")

    assert "Daar gaan de blogs niet over" in last_answer(app)
    assert not app.expander
    assert not app.html
    assert [g.question for g in journal.unanswered()] == ["Wat is een goed recept voor appeltaart?"]


def test_new_conversation_clears_the_chat_and_its_history(app, journal):
    ask(app, "Wat zijn de bouwstenen van vertrouwen?")

    app.button(key="new_conversation").click().run()
    assert not app.exception
    assert not app.chat_message

    ask(app, "En hoe laat ik die zien?")
    assert journal.recent_questions()[0].standalone_question == "En hoe laat ik die zien?"


def test_thumbs_are_stored_in_the_journal_with_question_answer_and_passages(app, journal):
    ask(app, "Wat zijn de bouwstenen van vertrouwen?")

    app.feedback[0].set_value(0).run()
    app.feedback[0].set_value(1).run()  # a change of mind replaces the first verdict

    assert not app.exception
    [feedback] = journal.feedback()
    assert feedback.score == 1
    assert feedback.question == "Wat zijn de bouwstenen van vertrouwen?"
    assert "zichtbaarheid, eerlijkheid en nabijheid" in feedback.answer
    assert feedback.passages[0]["title"] == SEED_TITLE
    assert "zichtbaarheid" in feedback.passages[0]["quote"]
    assert journal.feedback_counts().up == 1


def test_example_question_in_the_sidebar_asks_it(app):
    app.button(key="example_0").click().run()

    assert not app.exception
    assert app.chat_message[0].markdown[0].value == "Wat zijn de bouwstenen van vertrouwen?"
    assert card_numbers(app)


def test_sidebar_tells_what_kompas_knows_and_how_it_answers(app):
    sidebar = " ".join(m.value for m in app.sidebar.markdown) + " ".join(c.value for c in app.sidebar.caption)

    assert "2 blogs" in sidebar
    assert "Feedback geven zonder te kwetsen" in sidebar
    assert "alleen citaten" in sidebar


def test_every_example_question_gets_an_answer_from_the_seed_blog(app):
    for key in ("example_0", "example_1", "example_2", "example_3"):
        app.button(key="new_conversation").click().run()
        app.button(key=key).click().run()
        assert not app.exception
        assert card_numbers(app), f"{key} was refused: {last_answer(app)}"


def test_markdown_image_in_a_model_answer_is_shown_as_text(site, monkeypatch):
    with OpenAIServer() as server:
        server.script(
            reply="Vertrouwen groeit met zichtbaarheid, eerlijkheid en nabijheid [1]. "
            "![logo](http://127.0.0.1:9/lek?q=vertrouwen) [meer](http://127.0.0.1:9/klik)"
        )
        monkeypatch.setenv("ASSISTANT_OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("ASSISTANT_OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("ASSISTANT_LLM_MODEL", "test-model")
        at = start_app()
        ask(at, "Wat zijn de bouwstenen van vertrouwen?")
        st.cache_resource.clear()

    answer = last_answer(at)
    assert "!\\[logo\\](http\\://127.0.0.1:9/lek?q=vertrouwen)" in answer
    assert "](http://" not in answer
    assert markers(answer) == {1} == set(card_numbers(at))
    assert "taalmodel test\\-model" in " ".join(c.value for c in at.sidebar.caption)


def test_when_the_model_fails_the_quotes_are_shown_with_a_notice(site, monkeypatch):
    with OpenAIServer() as server:
        server.script(status=500)
        monkeypatch.setenv("ASSISTANT_OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("ASSISTANT_OPENAI_API_KEY", "test-key")
        at = start_app()
        ask(at, "Wat zijn de bouwstenen van vertrouwen?")
        st.cache_resource.clear()

    assert "taalmodel is nu niet bereikbaar" in " ".join(i.value for i in at.info)
    assert "zichtbaarheid, eerlijkheid en nabijheid" in last_answer(at)
    assert markers(last_answer(at)) == set(card_numbers(at))


def test_each_marker_links_to_its_source_card_and_names_it_on_hover(app):
    ask(app, "Wat zijn de bouwstenen van vertrouwen?")

    links = re.findall(r'\[\\\[(\d+)\\\]\]\(#(source-[0-9a-f]+-\d+) "([^"]*)"\)', last_answer(app))
    cards = [h.value for h in app.html]
    assert links
    for n, anchor, title in links:
        card = next(c for c in cards if f'id="{anchor}"' in c)
        assert f"[{n}] " in card and title.startswith(SEED_TITLE)


def test_only_the_first_source_card_starts_open(app):
    ask(app, "Wat zijn de bouwstenen van vertrouwen?")

    opened = [h.value.startswith('<details class="kompas-source" open>') for h in app.html]
    assert opened[0] and not any(opened[1:])


def test_an_answer_offers_follow_up_questions_that_ask_them(app):
    ask(app, "Wat zijn de bouwstenen van vertrouwen?")
    suggestions = [b for b in app.button if b.key and b.key.startswith("suggestion_")]
    assert 2 <= len(suggestions) <= 3
    asked = suggestions[0].label.replace("\\", "")

    suggestions[0].click().run()

    assert not app.exception
    assert [m.name for m in app.chat_message] == ["user", "assistant", "user", "assistant"]
    assert app.chat_message[2].markdown[0].value.replace("\\", "") == asked


def test_a_refusal_offers_questions_the_posts_do_answer(app):
    ask(app, "Wat is een goed recept voor appeltaart?")

    offered = [b for b in app.button if b.key and b.key.startswith("suggestion_")]
    assert len(offered) >= 2
    assert "Hier kan ik je wel mee helpen" in " ".join(c.value for c in app.caption)
    offered[0].click().run()
    assert not app.exception
    assert card_numbers(app), last_answer(app)  # the offered question is one the posts answer


def test_an_empty_chat_shows_the_example_questions_in_the_main_area(app):
    start = [b for b in app.main.button if b.key and b.key.startswith("start_example_")]
    assert [b.label for b in start][:1] == ["Wat zijn de bouwstenen van vertrouwen?"]

    start[0].click().run()

    assert not app.exception
    assert card_numbers(app)
    assert not [b for b in app.main.button if b.key and b.key.startswith("start_example_")]


def test_a_thumb_is_thanked(app):
    ask(app, "Wat zijn de bouwstenen van vertrouwen?")

    app.feedback[0].set_value(1).run()

    assert "Bedankt" in " ".join(c.value for c in app.caption)
    assert not app.radio  # a thumbs up asks no reason


def test_a_thumbs_down_may_say_why_and_the_reason_is_stored(app, journal):
    ask(app, "Wat zijn de bouwstenen van vertrouwen?")
    app.feedback[0].set_value(0).run()
    assert "Bedankt" in " ".join(c.value for c in app.caption)

    app.radio[0].set_value("de bron klopt niet")
    app.text_input[0].input("Het citaat gaat over iets anders")
    app.button(key=next(b.key for b in app.button if b.label == "Verstuur")).click().run()

    assert not app.exception
    [feedback] = journal.feedback()
    assert (feedback.score, feedback.reason) == (0, "de bron klopt niet: Het citaat gaat over iets anders")
    assert "Bedankt voor je toelichting" in " ".join(c.value for c in app.caption)
    assert not app.radio
