"""The retriever: llama-index's BaseRetriever over our chunks, what it hands the answerer, and how it follows
writes to the index post by post."""

from __future__ import annotations

from pathlib import Path

import pytest
from answering.blog_corpus import FEEDBACK, VERGADEREN, VERTROUWEN, WERKDRUK, clean_settings, open_engine
from dictd import write_dictd
from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.schema import NodeRelationship, TextNode

from assistant.bilingual import ENGLISH_DUTCH, Dictionary
from assistant.embedding_cache import CachedEmbedding, EmbeddingCache
from assistant.engine import Engine
from assistant.language import content_stems
from assistant.retrieval import HybridRetriever

QUESTIONS = [
    "Hoe geef ik feedback aan een collega?",
    "Wat doet de voorzitter?",
    "Hoe verlaag ik de werkdruk?",
]


@pytest.fixture
def corpus(tmp_path: Path, embedder) -> Engine:
    settings = clean_settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus")
    settings.corpus_dir.mkdir(parents=True)
    for name, text in {
        "vertrouwen.md": VERTROUWEN,
        "feedback.md": FEEDBACK,
        "vergaderen.md": VERGADEREN,
    }.items():
        (settings.corpus_dir / name).write_text(text, encoding="utf-8")
    with open_engine(settings, embedder) as engine:
        engine.ingest()
        yield engine


def everything(retriever: HybridRetriever) -> list[object]:
    """What retrieval answers for the questions: ranked passages with their scores, and the corpus's vocabulary."""
    answers: list[object] = []
    for question in QUESTIONS:
        found = retriever.search(question, top_k=10)
        answers.append([(p.chunk.id, p.score, p.lexical) for p in found.passages])
        answers.append({stem: retriever.lexical().frequency(stem) for stem in content_stems(question)})
    return answers


def test_retrieve_gives_llama_index_nodes_of_our_chunks_with_their_post(corpus: Engine) -> None:
    retriever = HybridRetriever(corpus.index, corpus.embedder)

    nodes = retriever.retrieve("Wat zijn de bouwstenen van vertrouwen?")

    best = retriever.search("Wat zijn de bouwstenen van vertrouwen?").passages[0]
    node = nodes[0].node
    assert isinstance(node, TextNode)
    assert (node.node_id, node.text, nodes[0].score) == (best.chunk.id, best.chunk.text, best.score)
    assert node.metadata["post"] == "vertrouwen"
    assert node.metadata["title"] == "Vertrouwen groeit in kleine momenten"
    assert node.metadata["url"] == "https://example.org/vertrouwen"
    assert (node.start_char_idx, node.end_char_idx) == (best.chunk.start, best.chunk.end)
    assert node.relationships[NodeRelationship.SOURCE].node_id == "vertrouwen"


def test_retriever_plugs_into_a_llama_index_query_engine(corpus: Engine) -> None:
    retriever = HybridRetriever(corpus.index, corpus.embedder, top_k=2)
    engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM())

    response = engine.query("Wat zijn de bouwstenen van vertrouwen?")

    chunks = corpus.index.get_chunks([n.node.node_id for n in response.source_nodes])
    assert len(response.source_nodes) == 2
    assert {c.post_slug for c in chunks.values()} == {"vertrouwen"}
    # The mock LLM echoes its prompt: the passages reached it as the context.
    assert all(c.text in str(response) for c in chunks.values())


def test_search_hands_over_the_similarity_of_every_sentence_of_the_quoted_passages(corpus: Engine) -> None:
    retriever = HybridRetriever(corpus.index, corpus.embedder)

    found = retriever.search("Hoe geef ik goede feedback?", quoted=2)

    sentences = {(p.chunk.id, span) for p in found.passages[:2] for span in p.chunk.sentences}
    assert set(found.sentence_similarities) == sentences
    assert all(-1 <= s <= 1 for s in found.sentence_similarities.values())
    assert retriever.search("Hoe geef ik goede feedback?").sentence_similarities == {}


def test_a_post_added_after_searching_is_found_as_after_a_rebuild(corpus: Engine) -> None:
    retriever = HybridRetriever(corpus.index, corpus.embedder)
    everything(retriever)

    (corpus.settings.corpus_dir / "werkdruk.md").write_text(WERKDRUK, encoding="utf-8")
    corpus.ingest()

    assert retriever.search("Hoe verlaag ik de werkdruk?").passages[0].chunk.post_slug == "werkdruk"
    assert everything(retriever) == everything(HybridRetriever(corpus.index, corpus.embedder))


def test_a_post_changed_or_removed_after_searching_is_followed_as_after_a_rebuild(corpus: Engine) -> None:
    retriever = HybridRetriever(corpus.index, corpus.embedder)
    everything(retriever)

    changed = FEEDBACK.replace("in vier stappen", "in vier stappen, ook bij de werkdruk")
    (corpus.settings.corpus_dir / "feedback.md").write_text(changed, encoding="utf-8")
    (corpus.settings.corpus_dir / "vergaderen.md").unlink()
    corpus.ingest(prune=True)

    assert "vergaderen" not in {p.chunk.post_slug for q in QUESTIONS for p in retriever.search(q).passages}
    assert everything(retriever) == everything(HybridRetriever(corpus.index, corpus.embedder))


def test_a_write_through_another_index_is_followed_by_its_generation(corpus: Engine, embedder) -> None:
    retriever = HybridRetriever(corpus.index, corpus.embedder)
    everything(retriever)

    with open_engine(corpus.settings, embedder) as writer:  # another writer on the same index
        (corpus.settings.corpus_dir / "werkdruk.md").write_text(WERKDRUK, encoding="utf-8")
        writer.ingest()

    assert retriever.search("Hoe verlaag ik de werkdruk?").passages[0].chunk.post_slug == "werkdruk"
    with open_engine(corpus.settings, embedder) as fresh:
        assert everything(retriever) == everything(HybridRetriever(fresh.index, fresh.embedder))


def test_the_post_records_of_a_generation_are_read_once_for_everything_that_follows_it(
    corpus: Engine, embedder
) -> None:
    before = corpus.index.generation()
    records = corpus.index.posts_at(before)
    assert corpus.index.posts_at(before) is records

    with open_engine(corpus.settings, embedder) as writer:
        (corpus.settings.corpus_dir / "werkdruk.md").write_text(WERKDRUK, encoding="utf-8")
        writer.ingest()

    after = corpus.index.generation()
    assert after != before
    assert set(corpus.index.posts_at(after)) == set(records) | {"werkdruk"}


def test_topics_offered_are_the_posts_and_sections_closest_to_the_question(corpus: Engine) -> None:
    retriever = HybridRetriever(corpus.index, corpus.embedder)

    near_meetings = retriever.topics(
        retriever.search("Wat doet de voorzitter van een vergadering?"), limit=10
    )
    near_feedback = retriever.topics(retriever.search("Hoe geef ik feedback die aankomt?"), limit=10)

    assert near_meetings[0] == "Vergaderingen die energie geven"
    assert near_feedback[0] == "Feedback die aankomt"
    # Each post's last section (of more than one) closes it; the others are offered.
    assert "Waarom feedback vaak niet landt" in near_feedback
    assert "Zo geef je feedback die helpt" not in near_feedback


def _chair_lexical(retriever: HybridRetriever, question: str) -> float:
    """The lexical score of the passage on the chair of a meeting (0 when it is not among the passages)."""
    found = retriever.search(question, top_k=50).passages
    return next((p.lexical for p in found if "De voorzitter bewaakt" in p.chunk.text), 0.0)


def test_an_english_question_meets_the_dutch_words_of_its_translations(
    corpus: Engine, tmp_path: Path
) -> None:
    folder = write_dictd(tmp_path / "dictd", ENGLISH_DUTCH, {"chairman": ["voorzitter, president"]})
    translated = HybridRetriever(corpus.index, corpus.embedder, dictionary=Dictionary.load(folder))
    untranslated = HybridRetriever(corpus.index, corpus.embedder, dictionary=Dictionary())

    assert _chair_lexical(translated, "What does the chairman do?") > 0
    assert _chair_lexical(untranslated, "What does the chairman do?") == 0
    assert (
        translated.search("What does the chairman do?").passages[0].chunk.section
        == "De rol van de voorzitter"
    )


def test_a_dutch_question_is_searched_as_it_is_whatever_the_dictionary(
    corpus: Engine, tmp_path: Path
) -> None:
    folder = write_dictd(
        tmp_path / "dictd", ENGLISH_DUTCH, {"voorzitter": ["chairman"], "chairman": ["feedback"]}
    )
    with_dictionary = HybridRetriever(corpus.index, corpus.embedder, dictionary=Dictionary.load(folder))

    assert everything(with_dictionary) == everything(
        HybridRetriever(corpus.index, corpus.embedder, dictionary=Dictionary())
    )


def test_the_dictionary_is_read_from_the_configured_folder_and_may_be_missing(
    corpus: Engine, tmp_path: Path
) -> None:
    folder = write_dictd(tmp_path / "dictd", ENGLISH_DUTCH, {"chairman": ["voorzitter"]})
    configured = corpus.settings.model_copy(update={"dictionary_dir": folder})
    missing = corpus.settings.model_copy(update={"dictionary_dir": tmp_path / "not-installed"})

    with open_engine(configured, corpus.embedder) as engine:
        assert engine.answerer.retriever.dictionary.translations("chairman") == ("voorzitter",)
    with open_engine(missing, corpus.embedder) as engine:
        assert not engine.answerer.retriever.dictionary
        assert engine.answerer.retriever.search("What does the chairman do?").passages


def test_without_a_dictionary_an_english_question_meets_the_posts_words_nearest_to_its_own(
    corpus: Engine,
) -> None:
    retriever = HybridRetriever(corpus.index, corpus.embedder, dictionary=Dictionary())

    found = retriever.search("Who keeps time in a meeting?")

    assert "vergadering" in retriever.vocabulary().nearest(corpus.embedder.get_query_embedding("meeting"))
    assert found.passages[0].lexical > 0
    assert found.passages[0].chunk.post_title == "Vergaderingen die energie geven"


def test_an_english_question_of_stop_words_only_is_searched_by_its_own_vector(corpus: Engine) -> None:
    retriever = HybridRetriever(corpus.index, corpus.embedder, dictionary=Dictionary())

    found = retriever.search("Why would they do that?")

    assert found.passages
    assert found.translations == {}
    assert found.vector == corpus.embedder.get_query_embedding("Why would they do that?")


def test_a_dictionary_translation_the_posts_never_use_is_not_searched(corpus: Engine, tmp_path: Path) -> None:
    folder = write_dictd(tmp_path / "dictd", ENGLISH_DUTCH, {"chairman": ["voorzitter, president"]})
    retriever = HybridRetriever(corpus.index, corpus.embedder, dictionary=Dictionary.load(folder))

    translations = retriever.search("What does the chairman do?").translations["chairman"]

    assert "voorzitter" in translations and "president" not in translations


def test_the_words_of_a_post_added_later_are_translated_to(corpus: Engine) -> None:
    retriever = corpus.answerer.retriever
    assert "werkdruk" not in retriever.vocabulary().words

    (corpus.settings.corpus_dir / "werkdruk.md").write_text(WERKDRUK, encoding="utf-8")
    corpus.ingest()

    assert "werkdruk" in retriever.vocabulary().words


def test_a_posts_words_are_embedded_when_it_is_indexed_not_when_an_english_question_comes(
    tmp_path: Path, embedder
) -> None:
    own_cache = CachedEmbedding(embedder, EmbeddingCache(tmp_path / "embeddings.sqlite"), "e5-small")
    settings = clean_settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus")
    settings.corpus_dir.mkdir(parents=True)
    (settings.corpus_dir / "vergaderen.md").write_text(VERGADEREN, encoding="utf-8")
    with open_engine(settings, own_cache) as engine:
        engine.ingest()
        embedded = own_cache.misses

        retriever = HybridRetriever(engine.index, own_cache, dictionary=Dictionary())
        found = retriever.search("Who chairs a meeting?")

        assert own_cache.misses == embedded  # the words came from the cache
        assert found.passages[0].lexical > 0  # a blog of one post translates too
        assert "vergadering" in retriever.vocabulary().nearest(own_cache.get_query_embedding("meeting"))
    own_cache.close()
