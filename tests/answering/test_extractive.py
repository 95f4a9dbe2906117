"""Answers without an LLM: the best sentences of the retrieved passages, quoted verbatim with numbered sources."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from blog_corpus import indexed_corpus, open_engine
from conftest import post_md

from assistant.answering import extractive, quotes, sentence_kinds, thoughts
from assistant.answering.types import Citation
from assistant.chunking import Chunk, Span, chunk_post
from assistant.corpus.loaders import load_post
from assistant.embedding_cache import CachedEmbedding
from assistant.engine import Engine
from assistant.evaluation.gold import GoldCase
from assistant.evaluation.metrics import citation_problems
from assistant.evaluation.records import CaseResult, CitedPassage
from assistant.retrieval import Passage

QUESTIONS = [
    "Wat zijn de bouwstenen van vertrouwen?",
    "Hoe verlaag ik de werkdruk in mijn team?",
    "Wat doet een goede voorzitter van een vergadering?",
    "Waarom komt feedback vaak niet aan?",
    "How do I give feedback to a colleague?",
]


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory, embedder: CachedEmbedding) -> Iterator[Engine]:
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
        ("Hoe verlaag ik de werkdruk in mijn team?", "nl", "Zo pak je het aan, volgens de blog “Werkdruk"),
        ("How do I give feedback to a colleague?", "en", "Here is how to go about it, according to"),
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
    scored = quotes.score_sentences(question, [Passage(chunk, 1.0)], {})
    texts = thoughts.sentence_texts(chunk)
    return [texts[s.index] for s in quotes.select_sentences(scored)]


def _thought(chunk: Chunk, sentence: str) -> list[str]:
    texts = thoughts.sentence_texts(chunk)
    return [texts[i] for i in sorted(thoughts.thought(chunk, texts.index(sentence)))]


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


def test_a_subordinate_clause_standing_alone_brings_the_sentence_it_finishes(tmp_path: Path) -> None:
    chunk = _chunk(
        tmp_path, "Vertrouwen wordt vaak groot gemaakt. Als iets dat er wel of niet is. Het begint klein."
    )

    assert _thought(chunk, "Als iets dat er wel of niet is.") == [
        "Vertrouwen wordt vaak groot gemaakt.",
        "Als iets dat er wel of niet is.",
    ]


def test_a_sentence_opening_with_a_subordinate_clause_and_its_main_clause_stands_alone(
    tmp_path: Path,
) -> None:
    chunk = _chunk(tmp_path, "Vertrouwen groeit langzaam. Als je fouten erkent, groeit het sneller.")

    assert _thought(chunk, "Als je fouten erkent, groeit het sneller.") == [
        "Als je fouten erkent, groeit het sneller.",
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


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [
        ("Maar dat is niet genoeg.", "“Maar dat is niet genoeg.”"),
        ("“Ik zeg maar niets, anders krijg ik gedoe.”", "“Ik zeg maar niets, anders krijg ik gedoe.”"),
        ("„Ik zie dat u zich zorgen maakt.”", "„Ik zie dat u zich zorgen maakt.”"),
        ("“Ja,” zei ze, “dat klopt.”", "““Ja,” zei ze, “dat klopt.””"),
    ],
)
def test_a_quote_is_in_quotation_marks_once_even_when_the_post_quotes_speech(
    sentence: str, shown: str
) -> None:
    assert extractive.quoted(sentence) == shown


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
    assert sentence_kinds.is_boilerplate(sentence)


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
    assert not sentence_kinds.is_boilerplate(sentence)


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
    assert sentence_kinds.asks_how(question) is how


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
    assert sentence_kinds.is_instruction(sentence) is instruction


def test_the_quotes_stay_within_the_word_budget(tmp_path: Path) -> None:
    items = [
        f"Stap {n}: bespreek met het hele team wat er deze week goed ging en wat beter kan." for n in range(6)
    ]
    chunk = _chunk(tmp_path, "Zo houd je de werkdruk in het team laag:", *items)

    quoted = _quoted(chunk, "Hoe houd je de werkdruk in het team laag?")

    assert 0 < sum(len(s.split()) for s in quoted) <= quotes.MAX_QUOTED_WORDS


# ---- the answer text: a lead-in that fits the question, quotes grouped by post, lists as lists -----------------


def _post_chunk(tmp_path: Path, title: str, *paragraphs: str) -> Chunk:
    """The one chunk of a post titled ``title`` whose single section holds ``paragraphs``."""
    path = tmp_path / f"{title.lower().replace(' ', '-')}.md"
    path.write_text(post_md(title, {"Een sectie": list(paragraphs)}))
    (chunk,) = chunk_post(load_post(path, slug=path.stem))
    return chunk


def _cite(n: int, chunk: Chunk, *sentences: str) -> Citation:
    """Citation ``n`` quoting ``sentences`` of ``chunk`` (all of them when none are named)."""
    texts = thoughts.sentence_texts(chunk)
    chosen = [texts.index(s) for s in sentences] if sentences else range(len(texts))
    spans = [chunk.sentences[i] for i in chosen]
    return Citation(n, chunk, tuple(Span(s.start - chunk.start, s.end - chunk.start) for s in spans))


def _citation_problems(text: str, citations: list[Citation]) -> list[str]:
    """What the evaluation's citation check finds wrong with an answer text."""
    case = GoldCase("case", ("vraag",), True, "nl", (), (), "direct", "dev")
    cited = tuple(CitedPassage(c.n, c.chunk.post_slug, c.passage, tuple(c.quotes)) for c in citations)
    return citation_problems(CaseResult(case, text, False, cited, 1.0))


WERKDRUK_PARAGRAPH = "Schrap samen met je team één taak. Bespreek elke maand wat er weg kan."
FEEDBACK_PARAGRAPHS = (
    "Goede feedback geven doe je in drie stappen:",
    "Beschrijf wat je zag.",
    "Vertel wat het effect was.",
    "Vraag hoe de ander het ziet.",
)


def test_a_how_question_is_answered_with_the_steps(tmp_path: Path) -> None:
    chunk = _post_chunk(tmp_path, "Werkdruk verlagen", WERKDRUK_PARAGRAPH)

    text = extractive.compose("nl", [_cite(1, chunk)], "Hoe verlaag ik de werkdruk?")

    assert text.startswith("Zo pak je het aan, volgens de blog “Werkdruk verlagen”:")


def test_a_why_question_is_answered_with_the_reason(tmp_path: Path) -> None:
    chunk = _post_chunk(tmp_path, "Feedback die landt", "Feedback komt niet aan als ze te laat komt.")

    text = extractive.compose("nl", [_cite(1, chunk)], "Waarom komt mijn feedback niet aan?")

    assert text.startswith("De reden, volgens de blog “Feedback die landt”:")


def test_quotes_from_two_posts_are_grouped_under_their_titles(tmp_path: Path) -> None:
    werkdruk = _post_chunk(tmp_path, "Werkdruk verlagen", WERKDRUK_PARAGRAPH)
    feedback = _post_chunk(tmp_path, "Feedback die landt", "Feedback komt niet aan als ze te laat komt.")
    citations = [
        _cite(1, werkdruk, "Schrap samen met je team één taak."),
        _cite(2, werkdruk, "Bespreek elke maand wat er weg kan."),
        _cite(3, feedback),
    ]

    blocks = extractive.compose("nl", citations, "Wat doet een schoolleider aan werkdruk?").split("\n\n")

    assert blocks[1:] == [
        "Uit “Werkdruk verlagen”:",
        "“Schrap samen met je team één taak.” [1]",
        "“Bespreek elke maand wat er weg kan.” [2]",
        "Uit “Feedback die landt”:",
        "“Feedback komt niet aan als ze te laat komt.” [3]",
    ]


def test_citations_of_one_post_are_numbered_together(tmp_path: Path) -> None:
    path = tmp_path / "werkdruk.md"
    path.write_text(
        post_md(
            "Werkdruk verlagen",
            {"Schrappen": [WERKDRUK_PARAGRAPH], "Samen kiezen": ["Kies samen met je team wat voorgaat."]},
        )
    )
    schrappen, kiezen = chunk_post(load_post(path, slug="werkdruk"))
    feedback = _post_chunk(tmp_path, "Feedback die landt", "Feedback komt niet aan als ze te laat komt.")
    stems: frozenset[str] = frozenset()
    selected = [  # retrieval ranked a werkdruk passage, the feedback passage, then werkdruk's other passage
        quotes.ScoredSentence(0, schrappen, schrappen.sentences[0], 1.0, stems),
        quotes.ScoredSentence(1, feedback, feedback.sentences[0], 0.9, stems),
        quotes.ScoredSentence(2, kiezen, kiezen.sentences[0], 0.8, stems),
    ]

    citations = quotes.build_citations(selected)

    assert [(c.n, c.chunk.section) for c in citations] == [
        (1, "Schrappen"),
        (2, "Samen kiezen"),
        (3, "Een sectie"),
    ]


def test_a_quoted_list_is_rendered_as_bullets_each_with_its_marker(tmp_path: Path) -> None:
    chunk = _post_chunk(tmp_path, "Feedback die landt", *FEEDBACK_PARAGRAPHS)

    text = extractive.compose("nl", [_cite(1, chunk)], "Hoe geef ik feedback?")

    assert text.endswith(
        "“Goede feedback geven doe je in drie stappen:” [1]\n\n"
        "- “Beschrijf wat je zag.” [1]\n"
        "- “Vertel wat het effect was.” [1]\n"
        "- “Vraag hoe de ander het ziet.” [1]"
    )


def test_the_citation_check_reads_the_quotes_in_bullets(tmp_path: Path) -> None:
    chunk = _post_chunk(tmp_path, "Feedback die landt", *FEEDBACK_PARAGRAPHS)
    citations = [_cite(1, chunk)]
    text = extractive.compose("nl", citations, "Hoe geef ik feedback?")

    altered = text.replace("Vertel wat het effect was.", "Vertel wat het effect was op jou.")

    assert _citation_problems(text, citations) == []
    assert _citation_problems(altered, citations) == [
        "quoted text is not in its source: 'Vertel wat het effect was op jou.'"
    ]


def test_an_english_question_gets_an_english_lead_in_saying_once_that_quotes_are_dutch(
    tmp_path: Path,
) -> None:
    werkdruk = _post_chunk(tmp_path, "Werkdruk verlagen", WERKDRUK_PARAGRAPH)
    feedback = _post_chunk(tmp_path, "Feedback die landt", "Feedback komt niet aan als ze te laat komt.")

    text = extractive.compose("en", [_cite(1, werkdruk), _cite(2, feedback)], "Why is workload so high?")

    assert text.startswith("The reason, according to two posts (quoted in Dutch):")
    assert text.count("Dutch") == 1
    assert "From “Feedback die landt”:" in text


def test_every_marker_in_the_answer_names_a_citation_numbered_in_order(tmp_path: Path) -> None:
    werkdruk = _post_chunk(tmp_path, "Werkdruk verlagen", WERKDRUK_PARAGRAPH)
    feedback = _post_chunk(tmp_path, "Feedback die landt", *FEEDBACK_PARAGRAPHS)
    citations = [_cite(1, werkdruk), _cite(2, feedback)]

    text = extractive.compose("nl", citations, "Wat kan ik doen?")

    markers = [int(n) for n in re.findall(r"\[(\d+)\]", text)]
    assert sorted(set(markers)) == [1, 2]
    assert markers == sorted(markers)
    assert _citation_problems(text, citations) == []


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hoe pak ik zo'n gesprek aan?", "how"),
        ("Wat kan ik doen als niemand iets zegt?", "how"),
        ("Waarom komt feedback niet aan?", "why"),
        ("Hoe komt het dat niemand iets zegt?", "why"),
        ("Why does trust matter?", "why"),
        ("Wat is psychologische veiligheid?", "what"),
        ("What are the building blocks of trust?", "what"),
        ("Wat doet een goede voorzitter?", "other"),
    ],
)
def test_questions_are_told_apart_by_the_answer_they_ask_for(question: str, kind: str) -> None:
    assert extractive.question_kind(question) == kind
