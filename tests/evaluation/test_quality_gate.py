"""The quality gate: on the frozen ``test`` split, the offline engine must not fall below the levels it reached.

The levels live in ``eval/gate.json`` beside a fingerprint of the ``test`` cases and the posts they cite, so an
edit to the frozen split fails here unless the same commit re-measures and updates the levels. ``dev`` (where
methods are chosen) is not gated. Two sizes of blog are gated: the whole fixture corpus (one evaluation, hybrid
retrieval, extractive answers and the baseline; the posts are indexed once, a few minutes on two cores) and the
smallest blog, one post (each answerable case asked of its own post alone, the other cases dealt out over those
blogs, as ``assistant eval --scale`` draws them; under a minute).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import SEED_MD

from assistant.config import Settings
from assistant.embedders import E5SmallEmbedding
from assistant.embedding_cache import CachedEmbedding
from assistant.evaluation.gold import fingerprint, in_split, load_gold
from assistant.evaluation.metrics import METRICS
from assistant.evaluation.runner import BASELINE, EvalOptions, EvalRun, evaluate
from assistant.evaluation.scale import ScalePoint, evaluate_scale

pytestmark = pytest.mark.timeout(1200)

EVAL = Path(__file__).resolve().parents[2] / "eval"
GATE = json.loads((EVAL / "gate.json").read_text(encoding="utf-8"))
POST_FILES = {p.stem: p for p in [SEED_MD, *sorted((EVAL / "fixtures").glob("*.md"))]}


def test_the_frozen_test_split_is_the_one_the_gate_levels_were_measured_on():
    now = fingerprint(in_split(load_gold(EVAL / "gold.jsonl"), "test"), POST_FILES)

    assert now == GATE["test_split"]["fingerprint"], (
        f"the test split (or a post it cites) changed: fingerprint {now}. The test split is frozen; if the "
        "change is deliberate, re-measure with `assistant eval --split test` and update the levels and the "
        "fingerprint in eval/gate.json in the same commit."
    )


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory, embedder: CachedEmbedding) -> tuple[EvalRun, list, Path]:
    """The test split, evaluated with no API key, no .env and every non-local socket connection refused."""
    root = tmp_path_factory.mktemp("gate")
    attempts: list = []
    with offline(attempts):
        settings = evaluation_settings(root)
        run = evaluate(settings, frozen_test_cases(), EVAL / "fixtures", embedder=embedder)
    return run, attempts, root / "data"


@pytest.fixture(scope="module")
def one_post(tmp_path_factory: pytest.TempPathFactory, embedder: CachedEmbedding) -> ScalePoint:
    """The test split asked of blogs of one post, offline as above."""
    attempts: list = []
    with offline(attempts):
        settings = evaluation_settings(tmp_path_factory.mktemp("one-post"))
        run = evaluate_scale(
            settings, frozen_test_cases(), EVAL / "fixtures", sizes=(1,), baseline=False, embedder=embedder
        )
    assert attempts == []
    return run.points[0]


def frozen_test_cases() -> list:
    return in_split(load_gold(EVAL / "gold.jsonl"), "test")


def evaluation_settings(root: Path) -> Settings:
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_MD, corpus)  # the seed post only, whatever else lands in corpus/ later
    return Settings(data_dir=root / "data", corpus_dir=corpus, _env_file=None)


@contextmanager
def offline(attempts: list) -> Iterator[None]:
    """No API key, no .env, and every non-local socket connection refused (and recorded in ``attempts``)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith(("ASSISTANT_", "OPENAI_")):
                patch.delenv(name)
        patch.setattr(socket.socket, "connect", _refuse_network(socket.socket.connect, attempts))
        yield


def _refuse_network(connect, attempts: list):
    def guarded(sock: socket.socket, address) -> None:
        if sock.family == socket.AF_UNIX:
            return connect(sock, address)
        attempts.append(address)
        raise OSError(f"the offline evaluation tried to reach {address}")

    return guarded


def overall(run: EvalRun, metric: str, system: str = "hybrid") -> float:
    return run.systems[system].scores[metric].overall


def failed_cases(run: EvalRun, metric: str, bad: float) -> list[str]:
    per_case = run.systems["hybrid"].scores[metric].per_case
    return [case for case, value in per_case.items() if value == bad]


@pytest.mark.slow
@pytest.mark.parametrize("metric", sorted(GATE["minimum"]))
def test_the_engine_stays_at_or_above_each_minimum_level_on_the_test_split(gate, metric):
    run, _, _ = gate
    assert overall(run, metric) >= GATE["minimum"][metric], failed_cases(run, metric, 0.0)


@pytest.mark.slow
@pytest.mark.parametrize("metric", sorted(GATE["maximum"]))
def test_the_engine_stays_at_or_below_each_maximum_level_on_the_test_split(gate, metric):
    run, _, _ = gate
    assert overall(run, metric) <= GATE["maximum"][metric], failed_cases(run, metric, 1.0)


@pytest.mark.slow
@pytest.mark.parametrize("figure", sorted(GATE["one_post"]["minimum"]))
def test_a_blog_of_one_post_stays_at_or_above_each_minimum_level(one_post, figure):
    assert one_post.figures[figure] >= GATE["one_post"]["minimum"][figure]


@pytest.mark.slow
@pytest.mark.parametrize("figure", sorted(GATE["one_post"]["maximum"]))
def test_a_blog_of_one_post_stays_at_or_below_each_maximum_level(one_post, figure):
    assert one_post.figures[figure] <= GATE["one_post"]["maximum"][figure]


@pytest.mark.slow
def test_the_gold_phrases_still_match_the_chunks(gate):
    run, _, _ = gate
    assert run.warnings == []


@pytest.mark.slow
def test_the_baseline_is_scored_by_the_same_metrics_and_never_refuses(gate):
    run, _, _ = gate
    baseline = run.systems[BASELINE]

    assert set(baseline.scores) == {m.name for m in METRICS}
    assert not any(r.refused for r in baseline.results)
    assert all(len(r.citations) == 2 for r in baseline.results)
    assert overall(run, "refusal_recall", BASELINE) == 0.0


@pytest.mark.slow
def test_the_offline_evaluation_never_touches_the_network(gate):
    _, attempts, _ = gate
    assert attempts == []


@pytest.mark.slow
def test_a_second_run_embeds_nothing(gate, embedder, monkeypatch):
    run, _, data_dir = gate
    embedded: list[int] = []
    real = E5SmallEmbedding._get_text_embeddings
    monkeypatch.setattr(
        E5SmallEmbedding,
        "_get_text_embeddings",
        lambda self, texts: embedded.append(len(texts)) or real(self, texts),
    )
    settings = Settings(data_dir=data_dir, corpus_dir=data_dir.parent / "corpus", _env_file=None)

    again = evaluate(
        settings, run.cases[:3], EVAL / "fixtures", EvalOptions(modes=("bm25",)), embedder=embedder
    )

    assert embedded == []
    assert again.corpus_key == run.corpus_key
    assert [r.id for r in again.systems[BASELINE].results] == [c.id for c in run.cases[:3]]
