"""``assistant eval --split`` and ``--scale`` end to end, as a user runs them, on a small gold set the test writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from command_line import run_assistant
from conftest import post_md

POSTS = {
    "stoplicht.md": post_md(
        "Het stoplichtgesprek",
        {"": ["Het stoplichtgesprek duurt tien minuten. Rood is wat stopt, groen wat blijft doorgaan."]},
    ),
    "gangvraag.md": post_md(
        "De gangvraag",
        {"": ["Stel de gangvraag aan het begin van de vergadering. Wat zouden we straks op de gang zeggen?"]},
    ),
    "afleider.md": post_md("Afleider", {"": ["Dit blog gaat over iets heel anders, zoals tijd en rust."]}),
}


def case(case_id: str, question: str, post: str, phrase: str, split: str) -> dict:
    return {
        "id": case_id,
        "turns": [question],
        "answerable": True,
        "lang": "nl",
        "gold": [{"post": post, "phrases": [phrase]}],
        "key_points": [],
        "kind": "direct",
        "split": split,
    }


@pytest.fixture
def gold_set(tmp_path: Path, write_files) -> Path:
    write_files(
        {"seed.md": post_md("Vertrouwen", {"": ["Vertrouwen begint bij gedrag, niet bij strategie."]})}
    )
    write_files(POSTS, tmp_path / "eval" / "fixtures")
    gold = tmp_path / "eval" / "gold.jsonl"
    cases = [
        case(
            "dev-1",
            "Wat is het stoplichtgesprek?",
            "stoplicht",
            "Het stoplichtgesprek duurt tien minuten",
            "dev",
        ),
        case("test-1", "Wat is de gangvraag?", "gangvraag", "Stel de gangvraag aan het begin", "test"),
    ]
    gold.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    return gold


def run_eval(tmp_path: Path, *args: str) -> Result:
    return run_assistant("eval", "--data-dir", tmp_path / "data", "--corpus-dir", tmp_path / "corpus", *args)


def test_eval_split_scores_only_the_cases_of_that_split(tmp_path, gold_set):
    result = run_eval(tmp_path, "--set", str(gold_set), "--split", "test", "--out", str(tmp_path / "out"))

    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [c["id"] for c in report["systems"]["hybrid"]["cases"]] == ["test-1"]
    assert list(report["systems"]["hybrid"]["breakdown"]) == ["all", "test"]
    assert "hybrid, split test" in result.stdout


def test_eval_scale_draws_the_curve_of_the_test_split_as_posts_are_added(tmp_path, gold_set):
    result = run_eval(tmp_path, "--set", str(gold_set), "--scale", "--out", str(tmp_path / "out"))

    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "out" / "scale.json").read_text())
    assert report["splits"] == ["test"]
    # seed + the post the test case needs, then the two other fixtures as distractors
    assert sorted({p["posts"] for p in report["points"]}) == [2, 4]
    assert "<svg" in (tmp_path / "out" / "scale.html").read_text()
    assert "Kompas scale curve" in result.stdout


def file_replies(tmp_path: Path, recordings: Path) -> Result:
    """Answer every pending request as a test stand-in would: a cited sentence, or a judge's verdict."""
    replies = []
    for line in (recordings / "pending.jsonl").read_text(encoding="utf-8").splitlines():
        request = json.loads(line)
        judging = request["messages"][0]["content"].startswith("Je beoordeelt")
        reply = (
            '{"statements": [{"statement": "a", "supported": true}], "relevance": 4}'
            if judging
            else "Stel de gangvraag aan het begin van de vergadering [1]."
        )
        replies.append(json.dumps({"key": request["key"], "reply": reply}))
    path = tmp_path / "replies.jsonl"
    path.write_text("\n".join(replies) + "\n", encoding="utf-8")
    return run_eval(tmp_path, "--recordings", str(recordings), "--add-replies", str(path))


def test_eval_on_recordings_writes_what_is_not_recorded_and_replays_it_once_replied(tmp_path, gold_set):
    (gold_set.parent / "judge_prompt.md").write_text(
        (Path(__file__).resolve().parents[2] / "eval" / "judge_prompt.md").read_text(), encoding="utf-8"
    )
    recordings = tmp_path / "recordings"
    args = (
        "--set",
        str(gold_set),
        "--split",
        "test",
        "--out",
        str(tmp_path / "out"),
        "--recordings",
        str(recordings),
    )

    rounds = []
    for _ in range(3):  # the answer, then the judge of that answer, then nothing left
        result = run_eval(tmp_path, *args)
        assert result.exit_code == 0, result.stderr
        rounds.append(
            json.loads((tmp_path / "out" / "report.json").read_text())["recordings"]["not_recorded"]
        )
        if rounds[-1]:
            assert file_replies(tmp_path, recordings).exit_code == 0

    assert rounds == [1, 1, 0]
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    (case,) = report["systems"]["hybrid"]["cases"]
    assert (case["mode"], case["answer"], case["judge"]) == (
        "llm",
        "Stel de gangvraag aan het begin van de vergadering [1].",
        {"faithfulness": 1.0, "relevance": 0.75},
    )
    assert case["markers"] == {"written": 1, "unknown": 0, "unsupported": 0}
    assert report["systems"]["hybrid-extractive"]["cases"][0]["mode"] == "extractive"
    assert "The LLM path, split test" in result.stdout
    assert (
        "| first cited passage holds the gold phrase | 1 / 1 (1.00) | 1 / 1 (1.00) |"
        in (tmp_path / "out" / "summary.md").read_text()
    )
    assert json.loads((recordings / "settings.json").read_text())["model"] == "stand-in"


def test_eval_compares_passage_counts_for_the_llm_side_by_side(tmp_path, gold_set):
    args = ("--set", str(gold_set), "--split", "test", "--out", str(tmp_path / "out"), "--no-judge")

    result = run_eval(
        tmp_path, *args, "--recordings", str(tmp_path / "rec"), "--llm-passages", "1", "--llm-passages", "3"
    )

    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert list(report["systems"]) == ["hybrid-llm1", "hybrid-llm3", "hybrid-extractive", "baseline"]
    pending = [json.loads(line) for line in (tmp_path / "rec" / "pending.jsonl").read_text().splitlines()]
    assert sorted(p["messages"][1]["content"].count("<bron n=") for p in pending) == [1, 3]
    assert report["judge"] == "skipped"
