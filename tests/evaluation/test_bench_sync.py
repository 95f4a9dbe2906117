"""``assistant bench --sync`` as a smoke test: two posts, four runs, the report. Nothing about speed."""

from __future__ import annotations

import pytest
from command_line import run_assistant

from assistant.evaluation.bench_sync import blog_posts

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def test_blog_posts_are_the_real_ones_topped_up_with_synthetic_ones():
    posts = blog_posts(40)
    assert len(posts) == len({p.slug for p in posts}) == 40
    assert posts[-1].slug.startswith("bench-")


def test_bench_sync_reports_four_runs_and_second_runs_make_one_request(tmp_path):
    result = run_assistant("bench", "--sync", "2", "--out", tmp_path)
    assert result.exit_code == 0, result.stderr
    report = (tmp_path / "sync.md").read_text(encoding="utf-8")
    assert "| sitemap, first run (embedding included) |" in report
    assert "| sitemap, second run | " in report and " | 0 / 0 / 2 / 0 | 1 (0) |" in report
    assert "| feed, first run (vectors cached) |" in report and "| 2 / 0 / 0 / 0 | 1 (1) |" in report
    assert "Load average after the runs:" in report
