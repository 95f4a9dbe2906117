"""The gold set loads, matches the posts' chunks, and a broken line is reported by line and field."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.chunking import chunk_post
from assistant.corpus.loaders import load_post
from assistant.errors import BadInputError
from assistant.evaluation.gold import GoldPassage, load_gold, phrase_problems

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "eval" / "gold.jsonl"
POSTS = sorted((REPO / "corpus").glob("vertrouwen-*.md")) + sorted((REPO / "eval" / "fixtures").glob("*.md"))

GOOD = {
    "id": "direct-01",
    "turns": ["Wat zijn de bouwstenen van vertrouwen?"],
    "answerable": True,
    "lang": "nl",
    "gold": [{"post": "blog", "phrases": ["Dat zijn de bouwstenen"]}],
    "key_points": ["zichtbaarheid"],
    "kind": "direct",
}


def write_lines(path: Path, *items: object) -> Path:
    path.write_text("\n".join(i if isinstance(i, str) else json.dumps(i) for i in items) + "\n")
    return path


def test_the_gold_set_covers_what_the_issue_asks_for():
    cases = load_gold(GOLD)
    kinds = {c.kind for c in cases}

    assert len(cases) >= 40
    assert {"paraphrase", "english", "follow-up", "list"} <= kinds
    assert sum(not c.answerable for c in cases) >= 8
    assert any(len(c.turns) > 1 for c in cases)


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
        ({**GOOD, "id": "x", "answerable": False}, 'x: an unanswerable case must have empty "gold"'),
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
