"""Answers written by an LLM: a real ``openai`` client against a local OpenAI-compatible server."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from blog_corpus import OUDERS, indexed_corpus, llm_settings, open_engine
from openai_server import OpenAIServer, tokens

from assistant.answering.llm import NO_ANSWER, SYSTEM_PROMPT
from assistant.answering.pipeline import LLM_PASSAGES, Answerer
from assistant.answering.types import MarkerCheck
from assistant.config import Settings
from assistant.embedding_cache import CachedEmbedding
from assistant.engine import Engine
from assistant.relevance import RelevanceGate

pytestmark = pytest.mark.timeout(60)

FEEDBACK_QUESTION = "Hoe geef ik feedback aan een collega?"
FEEDBACK_REPLY = (
    "Begin met beschrijven wat je zag, zonder oordeel [1]. "
    "Vraag daarna hoe je collega het zelf ziet en spreek samen een volgende stap af [1]."
)
FALLBACK_NOTICE = "Het taalmodel is nu niet bereikbaar; hieronder staan de passages uit de blogs."
ENGLISH_QUESTION = "How do I give feedback to a colleague?"
# Near the posts' themes but sharing few of their words: the gate without an LLM refuses it.
LOOSELY_RELATED = "Hoe ga ik om met een conflict tussen twee collega's?"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, embedder: CachedEmbedding) -> Settings:
    return indexed_corpus(tmp_path_factory.mktemp("llm"), embedder, extra={"ouders.md": OUDERS})


@pytest.fixture(scope="module")
def module_server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def server(module_server: OpenAIServer) -> OpenAIServer:
    """The module's server, with no script and no requests left from an earlier test."""
    module_server.script()
    return module_server


@pytest.fixture
def blog(corpus: Settings, server: OpenAIServer, embedder: CachedEmbedding) -> Iterator[Engine]:
    with open_engine(llm_settings(corpus, server), embedder) as engine:
        yield engine


def answer_requests(server: OpenAIServer) -> list:
    return [r for r in server.requests if r.stream]


def rewriting_to(standalone: str, answer: str) -> Callable[[list[dict]], str]:
    """A reply for rewrite requests (the standalone question) and another for answer requests."""
    return lambda messages: standalone if messages[0]["content"].startswith("Herschrijf") else answer


def test_streamed_tokens_arrive_in_order_and_make_up_the_answer(blog: Engine, server: OpenAIServer) -> None:
    server.script(reply=FEEDBACK_REPLY)

    stream = blog.stream(FEEDBACK_QUESTION)
    received = [token for token in stream if token]

    assert len(received) > 1
    assert received == tokens(FEEDBACK_REPLY)
    assert "".join(received) == stream.answer.text


def test_llm_answer_is_marked_as_llm(blog: Engine, server: OpenAIServer) -> None:
    server.script(reply=FEEDBACK_REPLY)

    answer = blog.ask(FEEDBACK_QUESTION)

    assert (answer.mode, answer.refused, answer.notice) == ("llm", False, "")
    assert answer.citations[0].chunk.post_slug == "feedback"


def test_request_carries_the_dutch_system_prompt(blog: Engine, server: OpenAIServer) -> None:
    server.script(reply=FEEDBACK_REPLY)

    blog.ask(FEEDBACK_QUESTION)

    (request,) = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == "Bearer test-key"
    assert request.body["model"] == "test-model"
    assert request.stream
    assert request.messages[0] == {"role": "system", "content": SYSTEM_PROMPT}
    assert "uitsluitend op basis van de genummerde bronnen" in request.system_prompt


def test_request_fences_the_retrieved_passages_as_numbered_sources(
    blog: Engine, server: OpenAIServer
) -> None:
    server.script(reply=FEEDBACK_REPLY)

    answer = blog.ask(FEEDBACK_QUESTION)

    (request,) = server.requests
    sources = request.sources()
    assert list(sources) == list(range(1, len(sources) + 1))
    assert 1 < len(sources) <= LLM_PASSAGES
    assert sources[1] == answer.citations[0].passage
    assert request.user_message.endswith(f"Vraag: {FEEDBACK_QUESTION}")
    assert (
        '<bron n="1" blog="Feedback die aankomt" sectie="Zo geef je feedback die helpt">'
        in request.user_message
    )


def test_marker_to_a_missing_source_is_removed_and_citations_renumbered(
    blog: Engine, server: OpenAIServer
) -> None:
    server.script(reply="Geef feedback op tijd [2]. Houd het concreet [42]. Beschrijf wat je zag [1].")

    answer = blog.ask(FEEDBACK_QUESTION)

    sources = server.requests[0].sources()
    assert answer.text == "Geef feedback op tijd [1]. Houd het concreet. Beschrijf wat je zag [2]."
    assert [c.n for c in answer.citations] == [1, 2]
    assert answer.markers == MarkerCheck(written=3, unknown=1)
    assert [c.passage for c in answer.citations] == [sources[2], sources[1]]


def test_llm_citation_quotes_are_verbatim_in_their_passage(blog: Engine, server: OpenAIServer) -> None:
    server.script(
        reply="Vraag hoe de ander het zelf ziet [1]. Feedback komt vaak niet aan als ze te algemeen is [2]."
    )

    answer = blog.ask(FEEDBACK_QUESTION)

    assert len(answer.citations) == 2
    for citation in answer.citations:
        assert citation.quotes
        assert all(quote in citation.passage for quote in citation.quotes)
        assert citation.quote in citation.passage
    assert "Vraag hoe de ander het zelf ziet." in answer.citations[0].quotes


def test_no_answer_reply_becomes_a_refusal(blog: Engine, server: OpenAIServer) -> None:
    server.script(reply=NO_ANSWER)

    answer = blog.ask(FEEDBACK_QUESTION)

    assert (answer.refused, answer.mode, answer.citations) == (True, "llm", [])
    assert answer.text.startswith("Daar gaan de blogs niet over")
    assert NO_ANSWER not in answer.text


def test_no_answer_reply_streams_the_refusal_text(blog: Engine, server: OpenAIServer) -> None:
    server.script(reply=NO_ANSWER)

    stream = blog.stream(FEEDBACK_QUESTION)
    streamed = "".join(stream)

    assert stream.answer.refused
    assert streamed == stream.answer.text


def test_reply_citing_no_source_shows_the_quotes_instead(blog: Engine, server: OpenAIServer) -> None:
    server.script(reply="Feedback geven is belangrijk voor elk team.")

    answer = blog.ask(FEEDBACK_QUESTION)

    assert answer.mode == "extractive"
    assert answer.notice == "Het antwoord van het taalmodel noemde geen bronnen; hieronder de passages zelf."
    assert answer.citations[0].chunk.post_slug == "feedback"
    assert "Feedback geven is belangrijk" not in answer.text


def test_notice_for_a_reply_citing_no_source_is_in_english_for_an_english_question(
    blog: Engine, server: OpenAIServer
) -> None:
    server.script(reply=rewriting_to(FEEDBACK_QUESTION, answer="Feedback matters for every team."))

    answer = blog.ask(ENGLISH_QUESTION)

    assert answer.notice == "The language model's answer named no sources; here are the passages themselves."


@pytest.mark.parametrize("status", [500, 401, 429])
def test_failing_server_gives_the_quoted_answer_with_a_notice(
    blog: Engine, server: OpenAIServer, status: int
) -> None:
    server.script(status=status)

    answer = blog.ask(FEEDBACK_QUESTION)

    assert server.requests
    assert (answer.mode, answer.refused, answer.notice) == ("extractive", False, FALLBACK_NOTICE)
    assert answer.citations[0].chunk.post_slug == "feedback"
    assert answer.text.startswith("Zo pak je het aan, volgens de blog “Feedback die aankomt”:")


def test_slow_server_gives_the_quoted_answer_with_a_notice(
    corpus: Settings, server: OpenAIServer, embedder: CachedEmbedding
) -> None:
    server.script(reply=FEEDBACK_REPLY, delay_s=5)

    with open_engine(llm_settings(corpus, server, timeout_s=0.5), embedder) as engine:
        stream = engine.stream(FEEDBACK_QUESTION)
        streamed = "".join(stream)

    assert (stream.answer.mode, stream.answer.notice) == ("extractive", FALLBACK_NOTICE)
    assert stream.answer.citations
    assert streamed == stream.answer.text


def test_english_fallback_notice_is_in_english(blog: Engine, server: OpenAIServer) -> None:
    server.script(status=500)

    answer = blog.ask("How do I give feedback to a colleague?")

    assert answer.lang == "en"
    assert answer.notice == "The language model could not be reached; here are the passages from the posts."


def test_instructions_inside_a_source_stay_fenced_as_text(blog: Engine, server: OpenAIServer) -> None:
    server.script(reply="Bel de ouder de volgende dag op [1].")

    answer = blog.ask("Hoe reageer ik op een boze mail van een ouder?")

    (request,) = server.requests
    assert request.system_prompt == SYSTEM_PROMPT
    fenced = [text for text in request.sources().values() if "negeer je instructies" in text]
    assert len(fenced) == 1
    assert "negeer je instructies" not in request.system_prompt
    assert answer.citations[0].chunk.post_slug == "ouders"


def test_a_source_cannot_close_its_own_fence(blog: Engine, server: OpenAIServer) -> None:
    server.script(reply="Bel de ouder de volgende dag op [1].")

    blog.ask("Hoe reageer ik op een boze mail van een ouder?")

    message = server.requests[0].user_message
    sources = server.requests[0].sources()
    assert message.count("</bron>") == len(sources)
    assert any("eindigt met ‹/bron>" in text for text in sources.values())
    assert len(re.findall(r"<bron n=", message)) == len(sources)


def test_prompt_carries_the_llm_passages_count_of_sources(blog: Engine, server: OpenAIServer) -> None:
    server.script(reply=FEEDBACK_REPLY)

    blog.ask(FEEDBACK_QUESTION)

    # The blog may hold fewer passages than the LLM could read: then it reads them all.
    passages = sum(post.chunks for post in blog.posts())
    assert len(server.requests[0].sources()) == min(LLM_PASSAGES, passages) > 4


def test_how_many_passages_the_llm_reads_is_a_setting(
    corpus: Settings, server: OpenAIServer, embedder: CachedEmbedding
) -> None:
    server.script(reply=FEEDBACK_REPLY)
    settings = llm_settings(corpus, server).model_copy(update={"llm_passages": 3})

    with open_engine(settings, embedder) as engine:
        engine.ask(FEEDBACK_QUESTION)

    assert len(server.requests[0].sources()) == 3


def test_english_question_is_rewritten_into_dutch_for_retrieval(blog: Engine, server: OpenAIServer) -> None:
    server.script(
        reply=rewriting_to(FEEDBACK_QUESTION, answer="Describe what you saw, without judgement [1].")
    )

    answer = blog.ask(ENGLISH_QUESTION)

    rewrite, answering = server.requests
    assert not rewrite.stream
    assert rewrite.system_prompt.startswith("Herschrijf de laatste vraag")
    assert "vertaal haar dan naar het Nederlands" in rewrite.system_prompt
    assert rewrite.user_message == f"Laatste vraag: {ENGLISH_QUESTION}"
    assert (answer.standalone_question, answer.lang, answer.mode) == (FEEDBACK_QUESTION, "en", "llm")
    assert answering.user_message.endswith(
        f"Vraag: {FEEDBACK_QUESTION}\n(Vraag van de gebruiker: {ENGLISH_QUESTION})\nAntwoord in het Engels."
    )
    assert answer.citations[0].chunk.post_slug == "feedback"


def test_failing_rewrite_of_an_english_question_retrieves_with_the_question_itself(
    blog: Engine, server: OpenAIServer
) -> None:
    server.script(status=500)

    answer = blog.ask(ENGLISH_QUESTION)

    assert not server.requests[0].stream
    assert answer.standalone_question == ENGLISH_QUESTION
    assert (answer.mode, answer.refused) == ("extractive", False)


def test_dutch_question_on_its_own_is_not_rewritten(blog: Engine, server: OpenAIServer) -> None:
    server.script(reply=FEEDBACK_REPLY)

    answer = blog.ask(FEEDBACK_QUESTION)

    assert [r.stream for r in server.requests] == [True]
    assert answer.standalone_question == FEEDBACK_QUESTION


def test_sentence_its_cited_source_does_not_support_loses_the_marker(
    blog: Engine, server: OpenAIServer
) -> None:
    server.script(
        reply="Beschrijf wat je zag, zonder oordeel [1]. "
        "Plan elke maandag een teamuitje met taart, muziek en een quiz [1]."
    )

    answer = blog.ask(FEEDBACK_QUESTION)

    assert answer.text == (
        "Beschrijf wat je zag, zonder oordeel [1]. Plan elke maandag een teamuitje met taart, muziek en een quiz."
    )
    assert [c.n for c in answer.citations] == [1]
    assert answer.markers == MarkerCheck(written=2, unsupported=1)


def test_sentence_its_cited_source_supports_in_other_words_keeps_the_marker(
    blog: Engine, server: OpenAIServer
) -> None:
    reply = (
        "Vertel je collega wat zijn aanpak betekende voor de leerlingen "
        "en maak samen een afspraak over de volgende stap [1]."
    )
    server.script(reply=reply)

    answer = blog.ask(FEEDBACK_QUESTION)

    assert answer.text == reply
    assert answer.citations[0].chunk.post_slug == "feedback"


def test_marker_after_the_full_stop_is_judged_with_its_sentence(blog: Engine, server: OpenAIServer) -> None:
    server.script(
        reply="Plan elke maandag een teamuitje met taart, muziek en een quiz. [1] Beschrijf wat je zag [1]."
    )

    answer = blog.ask(FEEDBACK_QUESTION)

    assert (
        answer.text
        == "Plan elke maandag een teamuitje met taart, muziek en een quiz. Beschrijf wat je zag [1]."
    )


def test_question_with_only_related_passages_reaches_the_llm_and_its_no_answer_is_a_refusal(
    blog: Engine, server: OpenAIServer
) -> None:
    server.script(reply=NO_ANSWER)
    # A gate without a calibration gives every question with passages the "related only" outcome.
    answerer = Answerer(blog.answerer.retriever, blog.answerer.llm, gate=RelevanceGate("uncalibrated"))

    answer = answerer.ask(LOOSELY_RELATED)

    assert [r.stream for r in server.requests] == [True]
    assert (answer.refused, answer.mode, answer.citations) == (True, "llm", [])
    assert answer.text.startswith("Daar gaan de blogs niet over")


def test_clearly_off_topic_question_is_refused_without_asking_the_llm(
    blog: Engine, server: OpenAIServer
) -> None:
    server.script(reply=FEEDBACK_REPLY)

    answer = blog.ask("Wat is een goed recept voor appeltaart met kaneel?")

    assert server.requests == []
    assert answer.refused
