"""``assistant bench --web`` as a smoke test: a small crowd on a real ``assistant serve``, every figure there.

Nothing about speed: the tabs see their chat input, every question answered and none lost, no error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.evaluation.bench_web import percentile, questions_for

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def test_a_crowd_at_a_fresh_start_and_warm_sees_its_chat_input_and_every_answer(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(app, ["bench", "--web", "2", "--web-questions", "2", "--out", str(tmp_path)])

    assert outcome.exit_code == 0, outcome.output
    report = json.loads((tmp_path / "web.json").read_text(encoding="utf-8"))
    fresh, warm = report["figures"]
    for crowd in (fresh, warm):
        assert crowd["sessions"] == 2
        assert crowd["inputs_missing"] == 0
        assert crowd["answered"] == crowd["asked"] == 4
        assert crowd["lost"] == crowd["errors"] == 0, report["runs"]
        assert crowd["answer_p95_s"] >= crowd["answer_p50_s"] > 0
        assert crowd["generator_cpu"] > 0 and crowd["server_cpu"] > 0
        assert len(crowd["load"]) == 3
    assert fresh["engine_load_s"] > 0  # as the server logged it
    table = (tmp_path / "web.md").read_text(encoding="utf-8")
    assert "| fresh | 2 |" in table and "| warm | 2 |" in table


def test_each_session_asks_different_questions_and_the_crowd_spreads_over_the_list() -> None:
    asked = [questions_for(tab, 3) for tab in range(10)]

    assert all(len(set(questions)) == 3 for questions in asked)
    assert len({q for questions in asked for q in questions}) == 30


def test_percentiles_are_nearest_rank() -> None:
    assert percentile([], 95) is None
    assert percentile([3.0], 95) == 3.0
    assert percentile([float(n) for n in range(1, 21)], 95) == 19.0
    assert percentile([float(n) for n in range(1, 21)], 50) == 10.0


def test_cli_rejects_session_counts_that_are_not_numbers() -> None:
    outcome = CliRunner().invoke(app, ["bench", "--web", "16,veel"])
    assert outcome.exit_code == 2
    assert "--web" in outcome.output
