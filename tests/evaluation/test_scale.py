"""Blogs of every size: which corpora are drawn, and the scale curve scored on them, ours beside the baseline."""

from __future__ import annotations

from pathlib import Path

from conftest import post_md

from assistant.config import Settings
from assistant.embedding_cache import CachedEmbedding
from assistant.evaluation.draws import draw_corpora
from assistant.evaluation.gold import GoldCase, GoldPassage
from assistant.evaluation.runner import BASELINE
from assistant.evaluation.scale import evaluate_scale, scale_html, scale_json, scale_markdown

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


def case(number: int, post: str | None = None, kind: str = "direct") -> GoldCase:
    gold = (GoldPassage(post, ("een zin",)),) if post else ()
    return GoldCase(f"c{number}", (f"vraag {number}?",), post is not None, "nl", gold, (), kind, "test")


STOPLICHT = GoldCase(
    "feedback-1",
    ("Wat is het stoplichtgesprek?",),
    True,
    "nl",
    (GoldPassage("feedback", ("Het stoplichtgesprek duurt tien minuten",)),),
    (),
    "direct",
    "test",
)
POSTS = [f"post-{n:02d}" for n in range(20)]
CASES = [
    case(1, "post-03"),
    case(2, "post-03"),
    case(3, "post-11"),
    case(4, kind="uncovered"),
    case(5, kind="out-of-domain"),
]


def test_an_answerable_case_is_always_asked_of_a_corpus_that_holds_its_own_post():
    corpora = draw_corpora(CASES, POSTS, sizes=(1, 2, 4, 8))

    for corpus in corpora:
        for asked in corpus.cases:
            if asked.answerable:
                assert asked.gold[0].post in corpus.posts
    assert {len(c.posts) for c in corpora} == {1, 2, 4, 8}


def test_one_post_is_drawn_once_and_larger_sizes_several_times():
    corpora = draw_corpora(CASES, POSTS, sizes=(1, 4), draws=3)

    one = [c for c in corpora if c.size == 1]
    four = [c for c in corpora if c.size == 4]
    assert sorted(c.posts for c in one) == [("post-03",), ("post-11",)]
    assert {c.draw for c in four} == {0, 1, 2}
    assert len({c.posts for c in four}) > 2  # the draws differ


def test_each_case_about_no_post_is_asked_once_per_draw():
    corpora = draw_corpora(CASES, POSTS, sizes=(4,), draws=3)

    for draw in range(3):
        asked = [c.id for corpus in corpora if corpus.draw == draw for c in corpus.cases]
        assert sorted(asked) == ["c1", "c2", "c3", "c4", "c5"]


def test_the_full_corpus_is_one_corpus_holding_every_case():
    corpora = draw_corpora(CASES, POSTS, sizes=(None, 50))

    assert len(corpora) == 1
    assert corpora[0].full and corpora[0].posts == tuple(POSTS)
    assert sorted(c.id for c in corpora[0].cases) == ["c1", "c2", "c3", "c4", "c5"]


def test_the_draws_are_the_same_on_every_run_whatever_the_order_of_the_posts():
    assert draw_corpora(CASES, POSTS) == draw_corpora(CASES, list(reversed(POSTS)))


def test_each_size_is_scored_for_ours_and_the_baseline(
    tmp_path: Path, write_files, embedder: CachedEmbedding
):
    write_files({"vertrouwen.md": SEED})
    fixtures = write_files({"feedback.md": NEEDED, **DISTRACTORS}, tmp_path / "fixtures")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus", _env_file=None)

    run = evaluate_scale(settings, [STOPLICHT], fixtures, sizes=(1, 2, None), draws=2, embedder=embedder)

    assert [(p.posts, p.full, p.system, p.corpora) for p in run.points] == [
        (1, False, "hybrid", 1),
        (1, False, BASELINE, 1),
        (2, False, "hybrid", 2),
        (2, False, BASELINE, 2),
        (5, True, "hybrid", 1),
        (5, True, BASELINE, 1),
    ]
    ours = [p for p in run.points if p.system == "hybrid"]
    assert all(p.figures["recall_at_10"] == 1.0 for p in run.points)
    assert all(p.figures["answerable_refused"] == 0.0 for p in ours)
    assert "answerable_refused" not in run.points[1].figures  # the baseline never declines
    assert not (tmp_path / "data" / "eval-cache" / "draws").exists()  # the drawn indexes are thrown away


def test_the_table_and_the_chart_show_every_size():
    figures = {"hit_at_1": 0.5, "hit_at_3": 0.75, "recall_at_10": 1.0, "answerable_refused": 0.0}
    report = {
        "started": "2026-12-06T10:00:00+00:00",
        "embedder": "e5-small",
        "cases": 4,
        "answerable": 3,
        "splits": ["test"],
        "draws": 3,
        "seconds": 1.0,
        "points": [
            {"posts": posts, "full": full, "system": system, "corpora": 2, "cases": 8, "figures": figures}
            for posts, full in ((1, False), (37, True))
            for system in ("hybrid", BASELINE)
        ],
    }

    page = scale_html(report)
    table = scale_markdown(report)

    assert page.count("<polyline") == 6 and "<script" not in page
    assert "| 1 | 2 | 8 | 0.50 | 0.75 | 0.50 | 0.00 | n/a |" in table
    assert "| 37 (all) |" in table


def test_the_json_report_names_the_splits_and_counts_answerable_cases(
    tmp_path: Path, write_files, embedder: CachedEmbedding
):
    write_files({"vertrouwen.md": SEED})
    fixtures = write_files({"feedback.md": NEEDED}, tmp_path / "fixtures")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus", _env_file=None)

    report = scale_json(evaluate_scale(settings, [STOPLICHT], fixtures, sizes=(1,), embedder=embedder))

    assert report["splits"] == ["test"] and report["answerable"] == 1
    assert [p["posts"] for p in report["points"]] == [1, 1]
