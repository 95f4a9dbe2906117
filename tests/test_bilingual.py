"""English words to Dutch ones from FreeDict's dictionaries (read from the system, forgiving when they are absent)
and from the posts' own words nearest to them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from dictd import write_dictd

from assistant.bilingual import DUTCH_ENGLISH, ENGLISH_DUTCH, Dictionary, Vocabulary, corpus_words


def test_an_english_word_gets_its_dutch_translations_whatever_its_inflection(tmp_path: Path) -> None:
    write_dictd(tmp_path, ENGLISH_DUTCH, {"teacher": ["1. leraar, onderwijzer", "2. docent"]})

    dictionary = Dictionary.load(tmp_path)

    assert dictionary.translations("Teachers") == ("leraar", "onderwijzer", "docent")


def test_the_dutch_english_dictionary_is_read_backwards(tmp_path: Path) -> None:
    write_dictd(tmp_path, DUTCH_ENGLISH, {"vergadering": ["meeting, assembly"], "bijeenkomst": ["meeting"]})

    dictionary = Dictionary.load(tmp_path)

    assert dictionary.translations("meetings") == ("vergadering", "bijeenkomst")
    assert dictionary.translations("assembly") == ("vergadering",)


def test_both_dictionaries_add_up(tmp_path: Path) -> None:
    write_dictd(tmp_path, ENGLISH_DUTCH, {"trust": ["vertrouwen"]})
    write_dictd(tmp_path, DUTCH_ENGLISH, {"geloof": ["faith, trust"]})

    assert Dictionary.load(tmp_path).translations("trust") == ("vertrouwen", "geloof")


def test_numbers_notes_stop_words_and_the_ij_ligature_are_left_out(tmp_path: Path) -> None:
    write_dictd(
        tmp_path, ENGLISH_DUTCH, {"rely": ["1. vertrouwen op (fig.)", "2. bouwen op, zich verlaten op"]}
    )

    assert Dictionary.load(tmp_path).translations("rely") == ("vertrouwen", "bouwen", "verlaten")
    write_dictd(tmp_path, ENGLISH_DUTCH, {"important": ["belangrĳk"]})
    assert Dictionary.load(tmp_path).translations("important") == ("belangrijk",)


def test_english_phrases_are_not_looked_up_as_words(tmp_path: Path) -> None:
    write_dictd(tmp_path, DUTCH_ENGLISH, {"schoolhoofd": ["head teacher"]})

    dictionary = Dictionary.load(tmp_path)

    assert dictionary.translations("head") == () and dictionary.translations("teacher") == ()


def test_without_an_installed_dictionary_nothing_is_translated(tmp_path: Path) -> None:
    dictionary = Dictionary.load(tmp_path / "nowhere")

    assert not dictionary
    assert dictionary.translations("trust") == ()
    assert dictionary.question("How do I build trust?").groups == (("build",), ("trust",))


def test_a_broken_dictionary_is_skipped_not_an_error(tmp_path: Path) -> None:
    write_dictd(tmp_path, ENGLISH_DUTCH, {"trust": ["vertrouwen"]})
    (tmp_path / f"{DUTCH_ENGLISH}.index").write_text("garbage\n", encoding="utf-8")
    (tmp_path / f"{DUTCH_ENGLISH}.dict.dz").write_bytes(b"not gzip")

    dictionary = Dictionary.load(tmp_path)

    assert dictionary.translations("trust") == ("vertrouwen",)
    assert dictionary.source == ENGLISH_DUTCH


def test_a_question_is_its_content_words_each_with_its_translations(tmp_path: Path) -> None:
    write_dictd(tmp_path, ENGLISH_DUTCH, {"trust": ["vertrouwen, geloof"], "team": ["ploeg"]})

    question = Dictionary.load(tmp_path).question("How do I build trust in my team?")

    assert question.groups == (("build",), ("trust", "vertrouwen", "geloof"), ("team", "ploeg"))


def test_the_dutch_words_of_a_question_use_the_translation_the_posts_use_most(tmp_path: Path) -> None:
    write_dictd(tmp_path, ENGLISH_DUTCH, {"trust": ["geloof, vertrouwen"], "team": ["ploeg"]})
    in_passages = {"vertrouwen": 5, "geloof": 1, "team": 9}

    question = Dictionary.load(tmp_path).question("How do I build trust in my team?")

    assert question.dutch_words(lambda word: in_passages.get(word, 0)) == "build trust vertrouwen team"


def _unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_the_words_of_the_posts_to_translate_to_are_content_words_of_three_letters_or_more() -> None:
    assert corpus_words(["De leerkracht en de weg naar 2 teams.", "Een leerkracht!"]) == [
        "leerkracht",
        "teams",
        "weg",
    ]


def test_an_english_word_translates_to_the_words_of_the_posts_nearest_to_it() -> None:
    vocabulary = Vocabulary.of(
        ["leerkrachten", "leraar", "fiets"], np.vstack([_unit(1, 0.1), _unit(1, 0.15), _unit(0, 1)])
    )

    assert vocabulary.nearest(_unit(1, 0.12).tolist()) == ("leerkrachten", "leraar")


def test_several_words_find_the_words_nearest_to_each_at_once() -> None:
    vocabulary = Vocabulary.of(
        ["leerkrachten", "leraar", "fiets"], np.vstack([_unit(1, 0.1), _unit(1, 0.15), _unit(0, 1)])
    )
    words = [_unit(1, 0.12).tolist(), _unit(0.1, 1).tolist(), _unit(1, 1).tolist()]

    assert vocabulary.nearest_many(words) == [("leerkrachten", "leraar"), ("fiets",), ()]
    assert vocabulary.nearest_many(words) == [vocabulary.nearest(word) for word in words]


def test_an_empty_vocabulary_has_no_nearest_words() -> None:
    assert Vocabulary().nearest_many([_unit(1, 0).tolist()]) == [()]


def test_no_words_have_no_nearest_words() -> None:
    vocabulary = Vocabulary.of(["leerkrachten", "fiets"], np.vstack([_unit(1, 0), _unit(0, 1)]))

    assert vocabulary.nearest_many([]) == []


def test_no_word_of_the_posts_is_a_translation_unless_it_comes_near_enough() -> None:
    vocabulary = Vocabulary.of(["leerkrachten", "fiets"], np.vstack([_unit(1, 0), _unit(0, 1)]))

    assert vocabulary.nearest(_unit(1, 1).tolist()) == ()  # 0.71 similar to both


def test_of_the_dictionary_translations_only_those_the_posts_use_are_kept(tmp_path: Path) -> None:
    write_dictd(tmp_path, ENGLISH_DUTCH, {"meeting": ["ontmoeting, vergadering, bijeenkomst"]})
    posts = Vocabulary.of(["duren", "lang", "vergaderingen"], np.eye(3, dtype=np.float32))

    question = Dictionary.load(tmp_path).question("How long is a meeting?", used=posts)

    assert question.groups == (("long",), ("meeting", "vergadering"))  # in any form: "vergaderingen"


def test_the_posts_nearest_words_join_the_translations_once_each(tmp_path: Path) -> None:
    write_dictd(tmp_path, ENGLISH_DUTCH, {"staff": ["personeel"]})
    nearest = {"staff": ("leerkrachten", "personeel")}

    question = Dictionary.load(tmp_path).question("Staff meeting", lambda word: nearest.get(word, ()))

    assert question.groups == (("staff", "personeel", "leerkrachten"), ("meeting",))
