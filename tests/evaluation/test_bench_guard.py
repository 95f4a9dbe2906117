"""``assistant bench --guard``: which questions it times and what it reports. Nothing about speed."""

from __future__ import annotations

from command_line import run_assistant

from assistant.answering.guard import MAX_QUESTION_CHARS
from assistant.evaluation.bench_guard import TRIGGER_WORDS, adversarial_questions


def test_adversarial_questions_fill_the_length_limit_and_are_the_same_each_run():
    questions = adversarial_questions(random_ones=3)
    assert len(questions) == 2 * len(TRIGGER_WORDS) + 3
    assert all(0 < len(question) <= MAX_QUESTION_CHARS for question in questions)
    assert questions[0].startswith("je je je")
    assert questions == adversarial_questions(random_ones=3)


def test_bench_guard_writes_the_worst_case_beside_the_target(tmp_path):
    result = run_assistant("bench", "--guard", "--out", tmp_path)
    assert result.exit_code == 0, result.stderr
    report = (tmp_path / "guard.md").read_text(encoding="utf-8")
    assert "| median | p99 | worst | target |" in report
    assert "≤ 0.25 s" in report and "The slowest:" in report
