"""Run the gold set through our engine (one or more retrieval modes) and the plain baseline, in one process.

The evaluation corpus is the corpus folder plus ``eval/fixtures``, copied into a cache folder named after a hash
of the files, the embedder and the indexing code; the index built there is reused by later runs, so a repeated
``assistant eval`` embeds nothing. The engine is loaded once; each case is asked as a conversation (earlier turns
first) and only the last turn is scored.

    cases = load_gold(Path("eval/gold.jsonl"))
    run = evaluate(Settings(), cases, Path("eval/fixtures"), EvalOptions(modes=("hybrid", "dense")))
    run.systems["hybrid"].scores["hit_at_1"].overall
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TypeVar

from llama_index.core.embeddings import BaseEmbedding

from assistant import chunking, ingest
from assistant.answering.pipeline import Answer, Answerer
from assistant.answering.types import Turn
from assistant.config import Settings
from assistant.corpus.folder import CorpusFolder
from assistant.corpus.model import Post, slugify
from assistant.embedders import make_embedder
from assistant.embedding_cache import CachedEmbedding, EmbeddingCache
from assistant.engine import Engine
from assistant.errors import BadInputError, ConfigError
from assistant.evaluation import baseline as baseline_module
from assistant.evaluation import fixture_embeddings
from assistant.evaluation.baseline import RETRIEVED_K, BaselinePipeline
from assistant.evaluation.gold import GoldCase, phrase_problems
from assistant.evaluation.judge import Judge
from assistant.evaluation.metrics import (
    JUDGE_METRICS,
    LLM_METRICS,
    LLM_RECALL_KS,
    METRICS,
    Metric,
    Score,
    score_all,
)
from assistant.evaluation.records import CaseResult, CitedPassage
from assistant.retrieval import MODES, Mode, Passage

AnswererKind = Literal["extractive", "llm"]
# progress(description, done, total), as the CLI's progress bar takes it.
Progress = Callable[[str, int, int], None]
# What surrounds the turns of one case.
Conversation = Callable[[], AbstractContextManager[None]]

BASELINE = "baseline"
KEEP_CACHED_INDEXES = 3
EMBEDDINGS = "embeddings.sqlite"


@dataclass(frozen=True)
class EvalOptions:
    """What to run: our engine in each of ``modes`` with one answerer, and the baseline beside it.

    With the LLM answerer, each of ``llm_passages`` (passages given to the LLM; default the settings' one) is a
    system of its own, and the extractive answers to the same cases run beside them.
    """

    modes: tuple[Mode, ...] = ("hybrid",)
    answerer: AnswererKind = "extractive"
    baseline: bool = True
    llm_passages: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        unknown = [m for m in self.modes if m not in MODES]
        if not self.modes or unknown:
            raise ValueError(f"retrieval modes must be some of {', '.join(MODES)}, got {self.modes!r}")
        if self.answerer not in ("extractive", "llm"):
            raise ValueError(f"answerer must be extractive or llm, got {self.answerer!r}")
        if any(n < 1 for n in self.llm_passages):
            raise ValueError(f"passages for the LLM must be at least 1, got {self.llm_passages!r}")


@dataclass
class SystemRun:
    """One system's answers to every case and its scores."""

    name: str
    description: str
    results: list[CaseResult]
    scores: dict[str, Score]
    llm_passages: int | None = None  # passages the LLM was given; None when no LLM answered


@dataclass
class EvalRun:
    """Everything one evaluation produced; ``report.to_json`` turns it into the JSON report."""

    cases: list[GoldCase]
    systems: dict[str, SystemRun]
    metrics: tuple[Metric, ...]
    answerer: AnswererKind
    embedder: str
    posts: list[str]
    corpus_key: str
    gold_set: str = ""
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def evaluate(
    settings: Settings,
    cases: Sequence[GoldCase],
    fixtures_dir: Path,
    options: EvalOptions = EvalOptions(),
    *,
    embedder: BaseEmbedding | None = None,
    judge: Judge | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    conversation: Conversation = nullcontext,
) -> EvalRun:
    """Index the evaluation corpus (or reuse its cached index), answer every case with every system, score.

    ``judge`` (LLM-judged faithfulness and relevance) is only allowed with ``answerer="llm"``; offline runs
    therefore never call the network. ``cache_dir`` defaults to ``<data dir>/eval-cache``. ``conversation``
    surrounds each case's turns (a replay server's ``conversation``).
    """
    if options.answerer == "llm" and not settings.llm_configured:
        raise ConfigError("--answerer llm needs an LLM: set OPENAI_API_KEY or OPENAI_BASE_URL")
    if judge is not None and options.answerer != "llm":
        raise ConfigError("the LLM judge only scores LLM answers: use --answerer llm")
    started = time.perf_counter()
    cache_root = cache_dir or settings.data_dir / "eval-cache"
    files = corpus_files(settings, fixtures_dir)
    seed = fixture_embeddings.beside(fixtures_dir)
    with indexed_corpus(settings, files, cache_root, embedder, progress, seed=seed) as (engine, key, workdir):
        seconds = {"index": round(time.perf_counter() - started, 2)}
        posts = engine.corpus.scan().posts
        run = EvalRun(
            cases=list(cases),
            systems={},
            metrics=METRICS
            + (LLM_METRICS if options.answerer == "llm" else ())
            + (JUDGE_METRICS if judge else ()),
            answerer=options.answerer,
            embedder=settings.embedder,
            posts=sorted(posts),
            corpus_key=key,
            seconds=seconds,
            warnings=phrase_problems(cases, engine.index.all_chunks()),
        )
        for mode in options.modes:
            for name, description, answerer in systems_to_run(engine, mode, options):
                system_started = time.perf_counter()
                results = run_cases(
                    answerer,
                    cases,
                    lambda done, n=name: progress and progress(n, done, len(cases)),
                    conversation,
                    depth=max(RETRIEVED_K, *LLM_RECALL_KS) if options.answerer == "llm" else RETRIEVED_K,
                )
                if judge is not None and answerer.llm is not None:
                    results = judge_results(judge, results)
                scores = score_all(results, run.metrics)
                passages = answerer.llm_passages if answerer.llm is not None else None
                run.systems[name] = SystemRun(name, description, results, scores, passages)
                seconds[name] = round(time.perf_counter() - system_started, 2)
        if options.baseline:
            baseline_started = time.perf_counter()
            results = run_baseline(list(posts.values()), engine.embedder, cases, workdir, progress)
            run.systems[BASELINE] = SystemRun(
                BASELINE, baseline_module.DESCRIPTION, results, score_all(results, METRICS)
            )
            seconds[BASELINE] = round(time.perf_counter() - baseline_started, 2)
        seconds["total"] = round(time.perf_counter() - started, 2)
        return run


def systems_to_run(engine: Engine, mode: Mode, options: EvalOptions) -> list[tuple[str, str, Answerer]]:
    """(name, description, answerer) of each of our systems in one retrieval mode.

    LLM systems are named after the mode alone when there is one passage count, else ``<mode>-llm<n>``; the
    extractive answers beside them are ``<mode>-extractive``.
    """
    if options.answerer == "extractive":
        return [
            (mode, f"Kompas, {mode} retrieval, extractive answers", engine.make_answerer(mode, use_llm=False))
        ]
    counts = options.llm_passages or (engine.settings.llm_passages,)
    systems = [
        (
            mode if len(counts) == 1 else f"{mode}-llm{n}",
            f"Kompas, {mode} retrieval, LLM answers from {n} passages",
            engine.make_answerer(mode, use_llm=True, llm_passages=n),
        )
        for n in counts
    ]
    extractive = engine.make_answerer(mode, use_llm=False)
    return [*systems, (f"{mode}-extractive", f"Kompas, {mode} retrieval, extractive answers", extractive)]


T = TypeVar("T")
R = TypeVar("R")


@contextmanager
def fixture_engine(
    settings: Settings,
    fixtures_dir: Path,
    *,
    embedder: BaseEmbedding | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> Iterator[Engine]:
    """An engine over the whole evaluation corpus (the corpus folder's posts and the fixtures), cached as for
    ``evaluate``: what the scripts that fit something on ``dev`` ask their questions of."""
    files = corpus_files(settings, fixtures_dir)
    cache_root = cache_dir or settings.data_dir / "eval-cache"
    seed = fixture_embeddings.beside(fixtures_dir)
    with indexed_corpus(settings, files, cache_root, embedder, progress, seed=seed) as (engine, _, _):
        yield engine


def each_with_progress(
    items: Sequence[T], work: Callable[[T], R], label: str, progress: Progress | None
) -> list[R]:
    """``work`` applied to every item in order, reporting ``label``, done and total after each."""
    results = []
    for done, item in enumerate(items, start=1):
        results.append(work(item))
        if progress:
            progress(label, done, len(items))
    return results


@contextmanager
def indexed_corpus(
    settings: Settings,
    files: Sequence[Path],
    cache_root: Path,
    embedder: BaseEmbedding | None = None,
    progress: Progress | None = None,
    keep: int = KEEP_CACHED_INDEXES,
    *,
    seed: Path | None = None,
) -> Iterator[tuple[Engine, str, Path]]:
    """An engine over an index of ``files`` in ``cache_root/<key>``, built once and reused while it matches.

    Vectors come through the embedding cache in ``cache_root``, so a post is embedded once whatever set of
    posts it is indexed with (the scale curve indexes the same posts several times). ``seed``: committed
    vectors (``fixture_embeddings``) the cache starts from, so a fresh machine need not embed the fixtures.
    Yields the engine, the corpus key and the cache folder.
    """
    key = corpus_key(files, settings.embedder)
    workdir = prepare_corpus(files, cache_root / key, keep)
    eval_settings = settings.model_copy(
        update={"corpus_dir": workdir / "corpus", "data_dir": workdir / "data", "chroma_host": None}
    )
    cache = EmbeddingCache(cache_root / EMBEDDINGS)
    if seed is not None:
        fixture_embeddings.seed(cache, seed)
    inner = embedder or make_embedder(settings)
    engine = Engine(eval_settings, embedder=CachedEmbedding(inner, cache, settings.embedder))
    try:
        report = engine.ingest(prune=True, progress=progress)
        if report.errors:
            raise report.errors[0]
        yield engine, key, workdir
    finally:
        engine.close()
        cache.close()


def run_baseline(
    posts: Sequence[Post],
    embedder: BaseEmbedding,
    cases: Sequence[GoldCase],
    workdir: Path,
    progress: Progress | None = None,
) -> list[CaseResult]:
    """The plain llama-index pipeline on the same posts (its index stored beside ours) answering each case."""
    pipeline = BaselinePipeline(posts, embedder, persist_dir=workdir / BASELINE)
    results = []
    for done, case in enumerate(cases, start=1):
        results.append(pipeline.answer(case))
        if progress:
            progress(BASELINE, done, len(cases))
    return results


def run_cases(
    answerer: Answerer,
    cases: Sequence[GoldCase],
    progress: Callable[[int], None] | None = None,
    conversation: Conversation = nullcontext,
    depth: int = RETRIEVED_K,
) -> list[CaseResult]:
    """Ask each case as a conversation: earlier turns first, then the last turn, timed and recorded, with the
    first ``depth`` passages retrieval ranked for it (what recall@k reads)."""
    results = []
    for done, case in enumerate(cases, start=1):
        with conversation():
            history = earlier_turns(answerer, case)
            started = time.perf_counter()
            answer = answerer.ask(case.question, history)
            latency_ms = round((time.perf_counter() - started) * 1000, 2)
        ranked = answerer.retriever.search(answer.standalone_question or case.question, top_k=depth)
        results.append(case_result(case, answer, latency_ms, ranked.passages))
        if progress:
            progress(done)
    return results


def earlier_turns(answerer: Answerer, case: GoldCase) -> list[Turn]:
    """Ask a case's turns before the last one, as a leader would, and return them as the conversation so far."""
    history: list[Turn] = []
    for question in case.turns[:-1]:
        earlier = answerer.ask(question, history)
        history.append(Turn.of(earlier))
    return history


def case_result(
    case: GoldCase, answer: Answer, latency_ms: float, ranked: Sequence[Passage] = ()
) -> CaseResult:
    """Our engine's ``Answer`` (and what retrieval ranked for it) as plain data for the metrics."""
    citations = tuple(
        CitedPassage(c.n, c.chunk.post_slug, c.passage, tuple(c.quotes), c.chunk.section)
        for c in answer.citations
    )
    retrieved = tuple(
        CitedPassage(n, p.chunk.post_slug, p.chunk.text, (), p.chunk.section)
        for n, p in enumerate(ranked, start=1)
    )
    return CaseResult(
        case,
        answer.text,
        answer.refused,
        citations,
        latency_ms,
        answer.standalone_question,
        retrieved=retrieved,
        related_only=answer.related_only,
        mode=answer.mode,
        markers=answer.markers,
    )


def judge_results(judge: Judge, results: Sequence[CaseResult]) -> list[CaseResult]:
    """Add the judge's scores to every answer the LLM wrote (not to refusals, nor to quotes it fell back to)."""
    judged = []
    for r in results:
        if r.refused or r.mode != "llm":
            judged.append(r)
            continue
        scores = judge.score(r.case.question, r.answer, [c.passage for c in r.citations])
        judged.append(dataclasses.replace(r, judge=scores))
    return judged


# ---- the evaluation corpus --------------------------------------------------------------------------------------


def corpus_files(settings: Settings, fixtures_dir: Path) -> list[Path]:
    """The corpus folder's post files plus the fixtures; two files that would share a slug are an error."""
    if not fixtures_dir.is_dir():
        raise BadInputError(fixtures_dir, "the evaluation fixtures folder does not exist")
    files = CorpusFolder(settings.corpus_dir).post_files() + CorpusFolder(fixtures_dir).post_files()
    if not files:
        raise BadInputError(settings.corpus_dir, "no posts to evaluate on")
    seen: dict[str, Path] = {}
    for path in files:
        slug = slugify(path.stem)
        if slug in seen:
            raise BadInputError(path, f"has the same slug {slug!r} as {seen[slug]}")
        seen[slug] = path
    return files


def corpus_key(files: Sequence[Path], embedder: str) -> str:
    """A hash of the posts' names and bytes, the embedder and the code that decides what is indexed.

    The chunker and the embedding of a post are hashed (a change there must re-index); other edits to the
    indexing code are not, so they do not throw the cache away.
    """
    digest = hashlib.sha256(embedder.encode())
    digest.update(Path(chunking.__file__).read_bytes())
    digest.update(inspect.getsource(ingest.prepare).encode())
    digest.update(inspect.getsource(ingest.embed_post).encode())
    for path in sorted(files, key=lambda p: p.name):
        digest.update(b"\x1e" + path.name.encode() + b"\x1f" + path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_corpus(files: Sequence[Path], workdir: Path, keep: int = KEEP_CACHED_INDEXES) -> Path:
    """Copy the posts into ``workdir/corpus`` (once) and keep only the ``keep`` most recently used indexes."""
    corpus = workdir / "corpus"
    if not corpus.is_dir():
        staging = workdir / ".corpus-staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for path in files:
            shutil.copy2(path, staging / path.name)
        staging.rename(corpus)
    os.utime(workdir)  # the most recently used cache entries are the ones kept
    others = sorted(
        (p for p in workdir.parent.iterdir() if p.is_dir() and p != workdir),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for stale in others[keep - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)
    return workdir
