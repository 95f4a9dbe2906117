"""The scale curve on a corpus the test writes: the needed posts first, then distractors, ours beside the baseline."""

from __future__ import annotations

from pathlib import Path

from conftest import post_md

from assistant.config import Settings
from assistant.embedding_cache import CachedEmbedding
from assistant.evaluation.gold import GoldCase, GoldPassage
from assistant.evaluation.runner import BASELINE
from assistant.evaluation.scale import (
    distractor_order,
    evaluate_scale,
    scale_html,
    scale_json,
    scale_markdown,
)

SEED = post_md(
    "Vertrouwen",
    {"": ["Vertrouwen begint bij gedrag. Wie zegt wat hij doet, en doet wat hij zegt, bouwt vertrouwen op."]},
)
NEEDED = post_md(
    "Feedback",
    {
        "Het stoplichtgesprek": [
            "Het stoplichtgesprek duurt tien minuten. Rood is wat stopt, groen wat blijft."
        ]
    },
)
DISTRACTORS = {
    f"afleider-{n}.md": post_md(
        f"Afleider {n}", {"": [f"Dit blog gaat over onderwerp nummer {n} en over tijd."]}
    )
    for n in range(3)
}
CASE = GoldCase(
    "feedback-1",
    ("Wat is het stoplichtgesprek?",),
    True,
    "nl",
    (GoldPassage("feedback", ("Het stoplichtgesprek duurt tien minuten",)),),
    (),
    "direct",
    "test",
)


def test_each_step_adds_distractors_to_the_seed_and_the_posts_the_cases_need(
    tmp_path: Path, write_files, embedder: CachedEmbedding
):
    write_files({"vertrouwen.md": SEED})
    fixtures = write_files({"feedback.md": NEEDED, **DISTRACTORS}, tmp_path / "fixtures")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus", _env_file=None)

    run = evaluate_scale(settings, [CASE], fixtures, steps=(0, 1, None), embedder=embedder)

    assert [(p.posts, p.distractors, p.system) for p in run.points] == [
        (2, 0, "hybrid"),
        (2, 0, BASELINE),
        (3, 1, "hybrid"),
        (3, 1, BASELINE),
        (5, 3, "hybrid"),
        (5, 3, BASELINE),
    ]
    assert all(p.recall_at_10 == 1.0 for p in run.points)


def test_distractors_are_added_in_the_same_shuffled_order_on_every_run():
    slugs = [f"post-{n:02d}" for n in range(20)]

    assert distractor_order(slugs) == distractor_order(reversed(slugs))
    assert distractor_order(slugs) != sorted(slugs)


def test_the_curve_is_drawn_as_inline_svg_with_a_table_of_its_points():
    report = {
        "started": "2026-11-27T10:00:00+00:00",
        "embedder": "e5-small",
        "cases": 4,
        "answerable": 3,
        "splits": ["test"],
        "seconds": 1.0,
        "points": [
            {"posts": posts, "distractors": posts - 2, "system": system, "hit_at_1": hit, "recall_at_10": 1.0}
            for posts, hit in ((2, 1.0), (7, 0.67))
            for system in ("hybrid", BASELINE)
        ],
    }

    page = scale_html(report)

    assert page.count("<polyline") == 4 and "<script" not in page
    assert "| 7 | 5 | 0.67 | 1.00 | 0.67 | 1.00 | n/a | n/a |" in scale_markdown(report)


def test_the_json_report_names_the_splits_and_counts_answerable_cases(
    tmp_path: Path, write_files, embedder: CachedEmbedding
):
    write_files({"vertrouwen.md": SEED})
    fixtures = write_files({"feedback.md": NEEDED}, tmp_path / "fixtures")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus", _env_file=None)

    report = scale_json(evaluate_scale(settings, [CASE], fixtures, steps=(0,), embedder=embedder))

    assert report["splits"] == ["test"] and report["answerable"] == 1
    assert [p["posts"] for p in report["points"]] == [2, 2]
