"""``assistant bench`` as a smoke test: tiny corpora, every column and file there. Nothing about speed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.evaluation.bench import BenchOptions, run_bench
from assistant.evaluation.bench_cache import BenchEmbedding, VectorStore
from assistant.evaluation.bench_corpus import SyntheticPosts, source_files
from assistant.evaluation.bench_report import (
    BASELINE_COLUMNS,
    OURS_COLUMNS,
    WAIT_COLUMNS,
    markdown_report,
    write_reports,
)

FIGURES = (
    "chunks",
    "texts",
    "ingest_s",
    "chunks_per_s",
    "non_embed_s",
    "non_embed_share",
    "reingest_s",
    "retrieval_p50_ms",
    "retrieval_p95_ms",
    "answer_p50_ms",
    "answer_p95_ms",
    "peak_mb",
    "disk_mb",
    "add_post_s",
    "first_answer_after_write_ms",
    "edit_reindex_s",
)
# Process starts are measured for our pipeline only: the baseline has no command line or server of its own.
OURS_ONLY = ("cli_help_s", "cli_command_help_s", "cli_list_s", "serve_healthy_s")


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_quick_bench_reports_every_column_for_both_pipelines(tmp_path: Path) -> None:
    options = BenchOptions.quick()
    options.work_dir = tmp_path / "work"
    result = run_bench(options)

    assert [(r["pipeline"], r["size"], r["cached"]) for r in result.runs] == [
        ("ours", 5, False),
        ("baseline", 5, False),
        ("ours", 40, True),
        ("baseline", 40, True),
    ]
    for run in result.runs:
        expected = FIGURES + (OURS_ONLY if run["pipeline"] == "ours" else ())
        missing = [key for key in expected if run.get(key) is None]
        assert not missing, (run["pipeline"], run["size"], missing)
    assert set(result.reference) == {"python_s", "streamlit_healthy_s"}
    ours_small, ours_large = result.run("ours", 5), result.run("ours", 40)
    assert ours_small["chunks"] >= 5 and ours_large["chunks"] >= 40
    assert ours_small["cache_exact"] == ours_small["cache_reused"] == 0
    # The larger corpus holds the smaller one, so its windows got their own real vectors back.
    assert ours_large["cache_exact"] >= ours_small["texts"]
    assert ours_large["projected"] and ours_large["non_embed_share_engine"] is not None
    assert result.embed_rates["ours"] and result.embed_rates["baseline"]

    paths = write_reports(result, tmp_path / "out")
    assert {p.name for p in paths.values()} == {"bench.md", "bench.json", "latency.svg"}
    markdown = paths["markdown"].read_text(encoding="utf-8")
    for column in (*OURS_COLUMNS, *WAIT_COLUMNS, *BASELINE_COLUMNS):
        assert f"| {column} |" in markdown or f" {column} |" in markdown, column
    assert "reused from the vector cache at 40 chunks" in markdown
    assert "| 40 † |" in markdown
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["runs"][0]["pipeline"] == "ours"
    svg = paths["plot"].read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.count("<polyline") == 5
    assert not (tmp_path / "work" / "data-ours-5").exists()  # the measuring processes' indexes are cleaned up


def test_synthetic_posts_are_deterministic_realistic_and_nested() -> None:
    first = SyntheticPosts.from_files(source_files(), seed=3).take(60)
    again = SyntheticPosts.from_files(source_files(), seed=3)
    assert [p.post for p in again.take(60)] == [p.post for p in first]
    assert [p.post for p in again.take(20)] == [p.post for p in first[: len(again.take(20))]]
    for item in first:
        headed = [s for s in item.post.sections if s.heading]
        assert 4 <= len(headed) <= 6
        assert 550 <= item.post.word_count <= 1000
        assert item.chunks > 0 and item.windows > item.chunks
    other = SyntheticPosts.from_files(source_files(), seed=4).take(60)
    assert [p.post for p in other] != [p.post for p in first]


def test_vector_cache_returns_own_vectors_else_a_stable_real_one(tmp_path: Path, embedder) -> None:
    store = VectorStore(tmp_path / "vectors")
    real = BenchEmbedding(embedder, store)
    texts = ["Vertrouwen groeit in kleine momenten.", "Een vergadering begint bij de vraag waarom."]
    vectors = real.get_text_embedding_batch(texts)
    store.save_shard("real", real.recorded())
    assert real.stats()["texts"] == 2 and real.stats()["seconds"] > 0

    cached = BenchEmbedding(embedder, store, cache=True)
    assert np.allclose(cached.get_text_embedding_batch(texts), vectors, atol=1e-6)
    stand_in = cached.get_text_embedding("Een zin die nooit is ingebed.")
    assert any(np.allclose(stand_in, v, atol=1e-6) for v in vectors)
    assert cached.get_text_embedding("Een zin die nooit is ingebed.") == stand_in
    assert cached.stats()["exact"] == 2 and cached.stats()["reused"] == 2
    assert cached.recorded() == []
    # Questions are always embedded by the real model.
    question = "Wat is vertrouwen?"
    assert np.allclose(
        cached.get_query_embedding(question), embedder.get_query_embedding(question), atol=1e-6
    )


def test_markdown_report_says_when_no_vectors_were_cached() -> None:
    from assistant.evaluation.bench import BenchResult

    result = BenchResult(options={"seed": 7, "questions": 1, "rounds": 1}, machine={"date": "", "cpus": 2})
    result.machine.update(python="3.11", omp_wait_policy="PASSIVE")
    assert "every passage was embedded by the real model" in markdown_report(result)


def test_cli_rejects_sizes_that_are_not_numbers() -> None:
    outcome = CliRunner().invoke(app, ["bench", "--sizes", "100,veel"])
    assert outcome.exit_code == 2
    assert "--sizes" in outcome.output
