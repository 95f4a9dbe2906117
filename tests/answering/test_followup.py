"""Follow-up questions: resolved against the conversation before retrieval, by how the question retrieves on its
own or by the LLM."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from blog_corpus import indexed_corpus, llm_settings, open_engine
from openai_server import OpenAIServer

from assistant.answering.followup import MODEL, OwnRetrieval, own_retrieval, resolve_follow_up
from assistant.answering.types import Answer, Turn
from assistant.config import Settings
from assistant.embedding_cache import CachedEmbedding
from assistant.engine import Engine

pytestmark = pytest.mark.timeout(60)

FIRST = "Hoe geef ik feedback aan een collega?"
FOLLOW_UP = "En hoe doe ik dat concreet?"
WERKDRUK = "Hoe verlaag ik de werkdruk in mijn team?"
CONDENSED = "Hoe verlaag ik concreet de werkdruk in mijn team?"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, embedder: CachedEmbedding) -> Settings:
    return indexed_corpus(tmp_path_factory.mktemp("followup"), embedder)


@pytest.fixture(scope="module")
def blog(corpus: Settings, embedder: CachedEmbedding) -> Iterator[Engine]:
    with open_engine(corpus, embedder) as engine:
        yield engine


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as server:
        yield server


def turn(answer: Answer) -> Turn:
    """The history entry a front end keeps for an answer."""
    return Turn(answer.question, answer.standalone_question, answer.text)


def test_follow_up_without_llm_is_joined_to_the_previous_question(blog: Engine) -> None:
    first = blog.ask(FIRST)

    answer = blog.ask(FOLLOW_UP, [turn(first)])

    assert answer.question == FOLLOW_UP
    assert answer.standalone_question == f"{FIRST} {FOLLOW_UP}"
    assert "feedback" in answer.standalone_question


def test_follow_up_without_llm_cites_the_same_post(blog: Engine) -> None:
    first = blog.ask(FIRST)

    answer = blog.ask(FOLLOW_UP, [turn(first)])

    assert not answer.refused
    assert answer.citations[0].chunk.post_slug == first.citations[0].chunk.post_slug == "feedback"


def test_question_on_its_own_topic_is_not_joined_to_the_previous_one(blog: Engine) -> None:
    first = blog.ask(FIRST)

    answer = blog.ask("Wat doet een goede voorzitter van een vergadering?", [turn(first)])

    assert answer.standalone_question == "Wat doet een goede voorzitter van een vergadering?"
    assert answer.citations[0].chunk.post_slug == "vergaderen"


def test_follow_up_on_a_school_topic_the_posts_do_not_cover_gets_only_the_closest_passages(
    blog: Engine,
) -> None:
    first = blog.ask(FIRST)

    answer = blog.ask("En hoe regel ik dan de begroting en het lesrooster?", [turn(first)])

    # Its own words (begroting, lesrooster) are nowhere in the passages: not the posts' answer, but in the field.
    assert (answer.refused, answer.related_only) == (False, True)


def test_follow_up_without_an_opening_or_referring_word_is_joined(blog: Engine) -> None:
    first = blog.ask(FIRST)

    answer = blog.ask("Hoe begin ik?", [turn(first)])

    assert answer.standalone_question == f"{FIRST} Hoe begin ik?"
    assert answer.citations[0].chunk.post_slug == "feedback"


def test_new_topic_opening_like_a_follow_up_is_not_joined(blog: Engine) -> None:
    first = blog.ask(FIRST)
    question = "En hoe verlaag ik de werkdruk van de leerkrachten in mijn team?"

    answer = blog.ask(question, [turn(first)])

    assert answer.standalone_question == question
    assert answer.citations[0].chunk.post_slug == "werkdruk"


def test_question_without_history_is_used_as_it_is(blog: Engine) -> None:
    alone = blog.answerer.retriever.search("Hoe begin ik?")

    assert resolve_follow_up("Hoe begin ik?", [], alone) == "Hoe begin ik?"


def test_own_retrieval_counts_content_words_and_the_share_of_the_first_posts(blog: Engine) -> None:
    question = "Hoe geef ik feedback aan een collega?"

    signals = own_retrieval(question, blog.answerer.retriever.search(question))

    assert signals.content_words == 2  # feedback, collega
    assert 0 < signals.focus <= 1
    assert signals.standout > 0


def test_model_reads_few_words_and_a_flat_unfocused_retrieval_as_leaning_on_the_conversation() -> None:
    assert MODEL.leans_on_conversation(OwnRetrieval(content_words=1, standout=0.01, focus=0.4))


def test_model_reads_a_worded_question_with_a_clear_best_passage_as_standing_alone() -> None:
    assert not MODEL.leans_on_conversation(OwnRetrieval(content_words=8, standout=0.06, focus=0.8))


def condensing_reply(messages: list[dict]) -> str:
    """Rewrite requests get the standalone question; answer requests an answer citing source 1."""
    if messages[0]["content"].startswith("Herschrijf"):
        return CONDENSED
    return "Verlaag de werkdruk door bewust te kiezen wat je niet meer doet [1]."


def test_follow_up_with_llm_sends_a_condense_request(
    corpus: Settings, server: OpenAIServer, embedder: CachedEmbedding
) -> None:
    server.script(reply=condensing_reply)
    history = [Turn(WERKDRUK, WERKDRUK, "Kies bewust wat je niet meer doet [1].")]

    with open_engine(llm_settings(corpus, server), embedder) as engine:
        engine.ask(FOLLOW_UP, history)

    condense, answer = server.requests
    assert not condense.stream
    assert condense.system_prompt.startswith("Herschrijf de laatste vraag")
    assert f"Vraag: {WERKDRUK}" in condense.user_message
    assert "Antwoord: Kies bewust wat je niet meer doet [1]." in condense.user_message
    assert condense.user_message.endswith(f"Laatste vraag: {FOLLOW_UP}")
    assert answer.stream


def test_follow_up_with_llm_uses_the_condensed_question(
    corpus: Settings, server: OpenAIServer, embedder: CachedEmbedding
) -> None:
    server.script(reply=condensing_reply)
    history = [Turn(WERKDRUK, WERKDRUK, "Kies bewust wat je niet meer doet [1].")]

    with open_engine(llm_settings(corpus, server), embedder) as engine:
        answer = engine.ask(FOLLOW_UP, history)

    assert answer.standalone_question == CONDENSED
    assert answer.question == FOLLOW_UP
    assert server.requests[-1].user_message.endswith(f"Vraag: {CONDENSED}\n(Vervolgvraag: {FOLLOW_UP})")
    assert answer.citations[0].chunk.post_slug == "werkdruk"
    assert answer.mode == "llm"


def test_failing_condense_request_falls_back_to_the_heuristic(
    corpus: Settings, server: OpenAIServer, embedder: CachedEmbedding
) -> None:
    server.script(status=401)
    history = [Turn(FIRST, FIRST, "Beschrijf wat je zag [1].")]

    with open_engine(llm_settings(corpus, server), embedder) as engine:
        answer = engine.ask(FOLLOW_UP, history)

    assert answer.standalone_question == f"{FIRST} {FOLLOW_UP}"
    assert answer.notice
    assert answer.citations[0].chunk.post_slug == "feedback"
