"""Answers without an LLM: the best sentences of the retrieved passages, quoted verbatim with numbered sources."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from blog_corpus import indexed_corpus, open_engine
from conftest import post_md

from assistant.answering import extractive
from assistant.chunking import Chunk, chunk_post
from assistant.corpus.loaders import load_post
from assistant.embedders import E5SmallEmbedding
from assistant.engine import Engine
from assistant.retrieval import Passage

QUESTIONS = [
    "Wat zijn de bouwstenen van vertrouwen?",
    "Hoe verlaag ik de werkdruk in mijn team?",
    "Wat doet een goede voorzitter van een vergadering?",
    "Waarom komt feedback vaak niet aan?",
    "How do I give feedback to a colleague?",
]


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory, embedder: E5SmallEmbedding) -> Iterator[Engine]:
    settings = indexed_corpus(tmp_path_factory.mktemp("extractive"), embedder)
    with open_engine(settings, embedder) as engine:
        yield engine


@pytest.mark.parametrize(
    ("question", "post", "section"),
    [
        ("Wat zijn de bouwstenen van vertrouwen?", "vertrouwen", "De bouwstenen van vertrouwen"),
        ("Hoe verlaag ik de werkdruk in mijn team?", "werkdruk", "Werkdruk begint bij keuzes"),
        ("Wat doet een goede voorzitter van een vergadering?", "vergaderen", "De rol van de voorzitter"),
        ("Waarom komt feedback vaak niet aan?", "feedback", "Waarom feedback vaak niet landt"),
    ],
)
def test_the_passage_that_answers_is_cited_first(
    blog: Engine, question: str, post: str, section: str
) -> None:
    answer = blog.ask(question)

    assert not answer.refused
    assert answer.mode == "extractive"
    first = answer.citations[0]
    assert (first.n, first.chunk.post_slug, first.chunk.section) == (1, post, section)


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_quote_is_verbatim_in_its_passage(blog: Engine, question: str) -> None:
    answer = blog.ask(question)

    assert answer.citations
    for citation in answer.citations:
        assert citation.quotes
        assert citation.quote in citation.passage
        assert all(quote in citation.passage for quote in citation.quotes)


@pytest.mark.parametrize("question", QUESTIONS)
def test_markers_in_the_text_refer_to_existing_citations(blog: Engine, question: str) -> None:
    answer = blog.ask(question)

    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.n for c in answer.citations}
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_english_question_finds_the_dutch_passage(blog: Engine) -> None:
    # Answered, or shown as the closest passages: e5-small rates English against Dutch lower (README).
    answer = blog.ask("How do I repair trust after a mistake?")

    assert not answer.refused
    assert answer.citations[0].chunk.section == "Vertrouwen herstellen na een fout"


def test_answer_to_a_list_question_quotes_the_list_items(blog: Engine) -> None:
    answer = blog.ask("Wat zijn de stappen om goede feedback te geven?")

    quotes = [q for c in answer.citations for q in c.quotes]
    assert "Goede feedback geven aan een collega doe je in vier stappen:" in quotes
    for item in (
        "Beschrijf wat je zag, zonder oordeel.",
        "Vertel wat het effect was op jou of op de leerlingen.",
        "Vraag hoe de ander het zelf ziet.",
        "Spreek samen een concrete volgende stap af.",
    ):
        assert item in quotes
        assert item in answer.text


@pytest.mark.parametrize(
    ("question", "lang", "intro"),
    [
        ("Hoe verlaag ik de werkdruk in mijn team?", "nl", "In de blog “Werkdruk in het team verlagen”"),
        ("How do I give feedback to a colleague?", "en", "Here is what the posts say"),
    ],
)
def test_answer_is_in_the_language_of_the_question(
    blog: Engine, question: str, lang: str, intro: str
) -> None:
    answer = blog.ask(question)

    assert answer.lang == lang
    assert answer.text.startswith(intro)


def test_stream_yields_the_answer_text(blog: Engine) -> None:
    stream = blog.stream("Wat zijn de bouwstenen van vertrouwen?")

    assert "".join(stream) == stream.answer.text
    assert stream.answer.citations


# ---- complete thoughts: the quoting rules on small posts ------------------------------------------------------


def _chunk(tmp_path: Path, *paragraphs: str) -> Chunk:
    """The one chunk of a post whose single section holds ``paragraphs``."""
    path = tmp_path / "post.md"
    path.write_text(post_md("Een post", {"Een sectie": list(paragraphs)}))
    (chunk,) = chunk_post(load_post(path, slug="post"))
    return chunk


def _quoted(chunk: Chunk, question: str) -> list[str]:
    scored = extractive.score_sentences(question, [Passage(chunk, 1.0)], {})
    texts = extractive.sentence_texts(chunk)
    return [texts[s.index] for s in extractive.select_sentences(scored)]


def _thought(chunk: Chunk, sentence: str) -> list[str]:
    texts = extractive.sentence_texts(chunk)
    return [texts[i] for i in sorted(extractive.thought(chunk, texts.index(sentence)))]


def test_a_question_brings_the_answer_in_the_next_paragraph(tmp_path: Path) -> None:
    chunk = _chunk(
        tmp_path,
        "Natuurlijk gaat er weleens iets mis. Je reageert te kortaf.",
        "De vraag is dan: hoe ga je ermee om?",
        "Vertrouwen kan herstellen. Zeg wat je ziet.",
    )

    assert _thought(chunk, "De vraag is dan: hoe ga je ermee om?") == [
        "De vraag is dan: hoe ga je ermee om?",
        "Vertrouwen kan herstellen.",
        "Zeg wat je ziet.",
    ]


def test_a_sentence_counting_what_follows_brings_that_many_sentences(tmp_path: Path) -> None:
    chunk = _chunk(
        tmp_path,
        "Na een maand voer je het dertigdagengesprek. Geen beoordeling, maar drie vragen. Wat heeft je verrast? "
        "Waar loop je tegenaan? En: wat zie jij wat wij niet meer zien?",
    )

    quoted = _thought(chunk, "Geen beoordeling, maar drie vragen.")

    assert quoted[-3:] == [
        "Wat heeft je verrast?",
        "Waar loop je tegenaan?",
        "En: wat zie jij wat wij niet meer zien?",
    ]


def test_a_list_item_brings_its_introduction_and_the_other_items(tmp_path: Path) -> None:
    chunk = _chunk(
        tmp_path,
        "De brief heeft altijd dezelfde drie kopjes:",
        "Wat komt eraan: de afspraken van de komende weken.",
        "Wat is besloten: wat er is afgesproken, en waarom.",
        "Wie verdient een bedankje: een collega die iets moois deed.",
        "De brief is nooit langer dan één kantje. Lukt dat niet, dan moet je kiezen.",
    )

    assert _thought(chunk, "Wie verdient een bedankje: een collega die iets moois deed.") == [
        "De brief heeft altijd dezelfde drie kopjes:",
        "Wat komt eraan: de afspraken van de komende weken.",
        "Wat is besloten: wat er is afgesproken, en waarom.",
        "Wie verdient een bedankje: een collega die iets moois deed.",
    ]


def test_an_instruction_brings_the_steps_that_follow_it(tmp_path: Path) -> None:
    chunk = _chunk(
        tmp_path,
        "Het kan herstellen. Zeg wat je ziet. Erken wat je fout deed. En wees bereid om te luisteren. "
        "Dat is soms spannend.",
    )

    assert _thought(chunk, "Zeg wat je ziet.") == [
        "Zeg wat je ziet.",
        "Erken wat je fout deed.",
        "En wees bereid om te luisteren.",
    ]


def test_a_sentence_leaning_on_the_one_before_brings_it(tmp_path: Path) -> None:
    chunk = _chunk(tmp_path, "Sommige leiders zeggen dat hun deur openstaat. Maar dat is niet genoeg.")

    assert _thought(chunk, "Maar dat is niet genoeg.") == [
        "Sommige leiders zeggen dat hun deur openstaat.",
        "Maar dat is niet genoeg.",
    ]


def test_a_quotation_is_quoted_to_its_end(tmp_path: Path) -> None:
    chunk = _chunk(
        tmp_path,
        'Noem het nieuws in je eerste zin. "Ik heb vervelend nieuws. Onze school gaat fuseren." '
        "Pas daarna volgt de uitleg.",
    )

    assert _thought(chunk, '"Ik heb vervelend nieuws.') == [
        '"Ik heb vervelend nieuws.',
        'Onze school gaat fuseren."',
    ]


def test_sign_off_lines_are_never_quoted(tmp_path: Path) -> None:
    chunk = _chunk(
        tmp_path,
        "Vertrouwen bouw je samen met je team, elke dag opnieuw.",
        "Meer weten over vertrouwen in je team? Mail naar info@example.org.",
        "Jan Jansen I Het Schoolkompas",
        "Wij helpen scholen om vertrouwen in het team te bouwen.",
    )

    quoted = _quoted(chunk, "Wie helpt scholen met vertrouwen in het team, en hoe bereik ik ze?")

    assert quoted == ["Vertrouwen bouw je samen met je team, elke dag opnieuw."]


@pytest.mark.parametrize(
    "sentence",
    [
        "Neem dan contact met ons op via onderstaande knop.",
        "Meer weten? Mail naar info@example.org.",
        "Bel ons op 030-1234567.",
        "Lees meer op www.example.nl.",
        "Jan Jansen I Het Schoolkompas",
        "Wij helpen scholen om hun leiderschap te versterken.",
        "Het is de missie van Het Schoolkompas om leidinggevenden te helpen.",
    ],
)
def test_contact_data_calls_to_action_and_mission_statements_are_boilerplate(sentence: str) -> None:
    assert extractive.is_boilerplate(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Hoe en wanneer houden we contact?",
        "Wat je in de eerste minuut doet, bepaalt hoe het contact daarna verloopt.",
        "Plan je mails daarom in voor de volgende ochtend.",
        "We spraken een mailpauze af.",
        "Op een school die ik begeleidde, belden de leerkrachten elke week twee ouders.",
    ],
)
def test_sentences_about_contact_in_the_post_itself_are_not_boilerplate(sentence: str) -> None:
    assert not extractive.is_boilerplate(sentence)


def test_a_how_question_prefers_the_practical_sentence(tmp_path: Path) -> None:
    chunk = _chunk(
        tmp_path,
        "Werkdruk is in het onderwijs een groot probleem.",
        "Schrap samen met je team één taak die de werkdruk verhoogt.",
    )

    quoted = _quoted(chunk, "Hoe verlaag ik de werkdruk in mijn team?")

    assert quoted[0] == "Schrap samen met je team één taak die de werkdruk verhoogt."


@pytest.mark.parametrize(
    ("question", "how"),
    [
        ("Hoe pak ik zo'n gesprek aan?", True),
        ("Wat kan ik doen als niemand iets zegt?", True),
        ("How do I rebuild trust?", True),
        ("Mijn team komt met alles bij mij.", True),
        ("Hoe komt dat?", False),
        ("Wat zijn de bouwstenen van vertrouwen?", False),
    ],
)
def test_questions_asking_what_to_do_are_told_apart(question: str, how: bool) -> None:
    assert extractive.asks_how(question) is how


@pytest.mark.parametrize(
    ("sentence", "instruction"),
    [
        ("Zeg wat je ziet.", True),
        ("Plan je mails daarom in voor de volgende ochtend.", True),
        ("Bedank de ander, ook als het ongemakkelijk is.", True),
        ("Vertrouwen is kwetsbaar, maar niet breekbaar.", False),
        ("Nieuwe collega's worstelen met kleine vragen.", False),
        ("Het team merkte het binnen twee weken.", False),
        ("Mag je de ouders zelf bellen?", False),
    ],
)
def test_instructions_are_told_from_statements(sentence: str, instruction: bool) -> None:
    assert extractive.is_instruction(sentence) is instruction


def test_the_quotes_stay_within_the_word_budget(tmp_path: Path) -> None:
    items = [
        f"Stap {n}: bespreek met het hele team wat er deze week goed ging en wat beter kan." for n in range(6)
    ]
    chunk = _chunk(tmp_path, "Zo houd je de werkdruk in het team laag:", *items)

    quoted = _quoted(chunk, "Hoe houd je de werkdruk in het team laag?")

    assert 0 < sum(len(s.split()) for s in quoted) <= extractive.MAX_QUOTED_WORDS
