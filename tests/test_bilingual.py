"""English words to Dutch ones from FreeDict's dictionaries: read from the system, forgiving when they are absent."""

from __future__ import annotations

from pathlib import Path

from dictd import write_dictd

from assistant.bilingual import DUTCH_ENGLISH, ENGLISH_DUTCH, Dictionary


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
