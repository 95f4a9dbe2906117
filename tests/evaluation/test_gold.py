"""The gold set loads, matches the posts' chunks, and a broken line is reported by line and field."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.chunking import chunk_post
from assistant.corpus.loaders import load_post
from assistant.errors import BadInputError
from assistant.evaluation.gold import KINDS, SPLITS, GoldPassage, load_gold, phrase_problems, sample

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "eval" / "gold.jsonl"
FIXTURES = sorted((REPO / "eval" / "fixtures").glob("*.md"))
POSTS = sorted((REPO / "corpus").glob("vertrouwen-*.md")) + FIXTURES
# The four fixtures of the first gold set; the rest were written for the evaluation at scale (450–800 words).
FIRST_FIXTURES = {
    "feedback-die-landt",
    "grenzen-stellen-bij-werkdruk",
    "vergaderingen-die-energie-geven",
    "weerstand-bij-verandering",
}

GOOD = {
    "id": "direct-01",
    "turns": ["Wat zijn de bouwstenen van vertrouwen?"],
    "answerable": True,
    "lang": "nl",
    "gold": [{"post": "blog", "phrases": ["Dat zijn de bouwstenen"]}],
    "key_points": ["zichtbaarheid"],
    "kind": "direct",
    "split": "dev",
}


def write_lines(path: Path, *items: object) -> Path:
    path.write_text("\n".join(i if isinstance(i, str) else json.dumps(i) for i in items) + "\n")
    return path


def share(cases, keep) -> float:
    return sum(1 for c in cases if keep(c)) / len(cases)


def test_the_evaluation_corpus_has_at_least_34_fixture_posts_of_blog_length():
    lengths = {p.stem: len(load_post(p, slug=p.stem).text.split()) for p in FIXTURES}
    new = {slug: words for slug, words in lengths.items() if slug not in FIRST_FIXTURES}

    assert len(FIXTURES) >= 34
    assert set(lengths) >= FIRST_FIXTURES
    assert {slug: words for slug, words in new.items() if not 450 <= words <= 800} == {}


def test_the_gold_set_has_at_least_250_cases_with_the_shares_of_each_kind():
    cases = load_gold(GOLD)

    assert len(cases) >= 250
    assert share(cases, lambda c: c.kind == "paraphrase") >= 0.30
    assert share(cases, lambda c: c.lang == "en") >= 0.15
    assert share(cases, lambda c: c.kind == "follow-up" and len(c.turns) > 1) >= 0.15
    assert share(cases, lambda c: c.kind == "uncovered") >= 0.10
    assert sum(c.kind == "look-alike" for c in cases) >= 10


def test_every_kind_is_in_both_splits_and_dev_holds_about_sixty_percent():
    cases = load_gold(GOLD)

    for split in SPLITS:
        assert {c.kind for c in cases if c.split == split} == set(KINDS), split
    assert 0.55 <= share(cases, lambda c: c.split == "dev") <= 0.65


def test_the_split_is_by_post_so_no_post_is_asked_about_in_both_splits():
    # The first gold entry is the passage a case was written for; later entries are other passages found,
    # by pooling, to answer just as well, and may lie in a post of the other split.
    splits_of_post: dict[str, set[str]] = {}
    for case in load_gold(GOLD):
        if case.gold:
            splits_of_post.setdefault(case.gold[0].post, set()).add(case.split)

    assert {post: s for post, s in splits_of_post.items() if len(s) > 1} == {}


def test_follow_ups_include_ones_that_carry_no_marker_word():
    markers = re.compile(r"^(en|maar|and|but)\b|\b(dat|dit|that|this)\b", re.IGNORECASE)
    follow_ups = [c for c in load_gold(GOLD) if c.kind == "follow-up"]

    unmarked = [c for c in follow_ups if not markers.search(c.question)]

    assert len(unmarked) >= len(follow_ups) / 3


def test_injections_include_one_hidden_inside_a_legitimate_question():
    injections = [c for c in load_gold(GOLD) if c.kind == "injection"]

    assert any(len(c.question.split()) >= 20 for c in injections)


def test_every_gold_phrase_lies_in_exactly_one_chunk_and_each_entry_in_one_chunk():
    chunks = [chunk for path in POSTS for chunk in chunk_post(load_post(path, slug=path.stem))]

    assert phrase_problems(load_gold(GOLD), chunks) == []


def test_a_phrase_that_no_longer_matches_is_reported():
    chunks = chunk_post(load_post(POSTS[0], slug=POSTS[0].stem))
    [case] = [c for c in load_gold(GOLD) if c.id == "direct-01"]
    moved = replace(case, gold=(GoldPassage("bestaat-niet", ("x",)),))

    assert phrase_problems([moved], chunks) == ["direct-01: no post 'bestaat-niet' in the evaluation corpus"]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "line 2 is not JSON"),
        ({**GOOD, "id": "x", "lang": "de"}, "line 2: x: \"lang\" must be one of nl, en, got 'de'"),
        ({k: v for k, v in GOOD.items() if k != "turns"}, "line 2: missing field(s) turns"),
        ({**GOOD, "id": "x", "gold": []}, 'x: an answerable case needs at least one "gold" passage'),
        (
            {**GOOD, "id": "x", "answerable": False, "kind": "uncovered"},
            'x: an unanswerable case must have empty "gold"',
        ),
        ({**GOOD, "id": "x", "answerable": False}, 'x: a direct case must have "answerable": true'),
        ({**GOOD, "id": "x", "split": "train"}, "x: \"split\" must be one of dev, test, got 'train'"),
        ({**GOOD, "id": "x", "kind": "tricky"}, '"kind" must be one of direct, paraphrase'),
        ({**GOOD, "id": "x", "turns": ["", "b"]}, '"turns" must be a list of non-empty strings'),
        (GOOD, "line 2: id 'direct-01' is already used on line 1"),
    ],
)
def test_a_bad_line_is_an_error_naming_the_file_the_line_and_the_problem(tmp_path, line, problem):
    path = write_lines(tmp_path / "gold.jsonl", GOOD, line)

    with pytest.raises(BadInputError) as error:
        load_gold(path)

    assert str(path) in str(error.value)
    assert problem in str(error.value)


def test_an_empty_gold_set_is_an_error(tmp_path):
    with pytest.raises(BadInputError, match="no cases"):
        load_gold(write_lines(tmp_path / "gold.jsonl", ""))


def test_a_sample_takes_about_n_cases_of_each_split_every_kind_and_the_same_ones_every_time():
    cases = load_gold(GOLD)

    chosen = sample(cases, 20)

    assert chosen == sample(list(reversed(cases)), 20)[::-1]
    for split in SPLITS:
        of_split = [c for c in chosen if c.split == split]
        assert 20 <= len(of_split) <= 20 + len(KINDS)
        assert {c.kind for c in of_split} == {c.kind for c in cases if c.split == split}
