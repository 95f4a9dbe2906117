"""``assistant bench``: ingest speed, re-ingest, latency, memory and disk over corpora of growing size.

For every size (in chunks) a synthetic corpus is written (``bench_corpus``) and measured twice, each time in a
fresh process so that peak memory belongs to one size and one pipeline: our engine (``Engine.ingest``,
``HybridRetriever.search``, extractive ``Answerer.ask``) and the plain llama-index pipeline of
``assistant.evaluation.baseline`` (default ``SentenceSplitter``, in-memory ``VectorStoreIndex``, dense top-2).
Sizes above ``cache_above`` chunks use the vector cache of ``bench_cache``: their embed time is not real, and
their ingest time is projected from the real embed rate measured at the small sizes. Nothing asserts speed.

    result = run_bench(BenchOptions(sizes=(100, 1000)))
    write_reports(result, Path("eval/reports/bench"))
"""

from __future__ import annotations

import ipaddress
import multiprocessing
import os
import platform
import resource
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from assistant.evaluation.bench_corpus import QUESTIONS, SyntheticPosts, source_files, write_corpus

DEFAULT_SIZES = (100, 1000, 3000, 10000)
QUICK_SIZES = (5, 40)  # one post embedded for real, then five with cached vectors
DEFAULT_OUT = Path("eval/reports/bench")

Log = Callable[[str], None]


@dataclass
class BenchOptions:
    sizes: tuple[int, ...] = DEFAULT_SIZES
    questions: int = len(QUESTIONS)
    rounds: int = 3  # each question is timed this many times (after warm-up)
    warmup: int = 3
    cache_above: int = 1000  # sizes above this many chunks reuse cached vectors
    min_pool: int = 256  # real vectors the cache needs before it can stand in for the embedder
    seed: int = 7
    baseline: bool = True
    work_dir: Path | None = None  # default: a temporary folder, removed afterwards
    sources: list[Path] | None = None  # real posts to take sentences from (default: corpus/ + eval/fixtures/)

    @classmethod
    def quick(cls) -> BenchOptions:
        """Tiny sizes for smoke tests: the larger one already uses the cache."""
        return cls(
            sizes=QUICK_SIZES, questions=5, rounds=1, warmup=1, cache_above=QUICK_SIZES[0], min_pool=48
        )


@dataclass
class Job:
    """What one measuring process needs (plain data: it crosses a process boundary)."""

    size: int
    corpus_dir: str
    data_dir: str
    store_dir: str
    cache: bool
    questions: list[str]
    rounds: int
    warmup: int
    min_pool: int
    verbose: bool = True


@dataclass
class BenchResult:
    options: dict[str, object]
    machine: dict[str, object]
    runs: list[dict[str, object]] = field(default_factory=list)  # one per size and pipeline
    embed_rates: dict[str, float | None] = field(default_factory=dict)  # real chars/s per pipeline
    seconds: float = 0.0

    def run(self, pipeline: str, size: int) -> dict[str, object] | None:
        return next((r for r in self.runs if r["pipeline"] == pipeline and r["size"] == size), None)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


# ---- the orchestrating process --------------------------------------------------------------------------------


def run_bench(options: BenchOptions, log: Log | None = None) -> BenchResult:
    """Build the corpora and measure every size with both pipelines, each in a fresh process."""
    log = log or (lambda message: None)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # children inherit it (see STACK.md)
    started = time.perf_counter()
    sizes = tuple(sorted(set(options.sizes)))
    questions = list(QUESTIONS[: max(1, options.questions)])
    stream = SyntheticPosts.from_files(source_files(options.sources), seed=options.seed)
    result = BenchResult(options=_options_json(options), machine=_machine())
    work = Path(tempfile.mkdtemp(prefix="kompas-bench-")) if options.work_dir is None else options.work_dir
    work.mkdir(parents=True, exist_ok=True)
    try:
        for size in sizes:
            posts = stream.take(size)
            corpus = work / f"corpus-{size}"
            write_corpus(posts, corpus)
            cache = size > options.cache_above
            log(
                f"size {size}: {len(posts)} posts, {sum(p.chunks for p in posts)} chunks, "
                f"{sum(p.windows for p in posts)} windows" + (" (cached vectors)" if cache else "")
            )
            pipelines = [("ours", measure_ours)] + (
                [("baseline", measure_baseline)] if options.baseline else []
            )
            for name, measure in pipelines:
                job = Job(
                    size=size,
                    corpus_dir=str(corpus),
                    data_dir=str(work / f"data-{name}-{size}"),
                    store_dir=str(work / "vectors"),
                    cache=cache,
                    questions=questions,
                    rounds=options.rounds,
                    warmup=options.warmup,
                    min_pool=options.min_pool,
                )
                run_started = time.perf_counter()
                run = in_fresh_process(measure, job)
                run.update(pipeline=name, size=size, posts=len(posts))
                result.runs.append(run)
                log(f"  {name}: done in {time.perf_counter() - run_started:.0f} s")
                shutil.rmtree(job.data_dir, ignore_errors=True)
            shutil.rmtree(corpus, ignore_errors=True)
    finally:
        if options.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    _project(result)
    result.machine["load_after"] = [round(x, 2) for x in os.getloadavg()]
    result.seconds = round(time.perf_counter() - started, 1)
    return result


def in_fresh_process(function: Callable[[Job], dict[str, object]], job: Job) -> dict[str, object]:
    """Run ``function(job)`` in a new (spawned) process, so its peak memory is its own."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, job).result()


def _project(result: BenchResult) -> None:
    """Give cached sizes projected ingest figures: real non-embed time plus real-rate embedding of their text."""
    for pipeline in ("ours", "baseline"):
        real = [r for r in result.runs if r["pipeline"] == pipeline and not r["cached"]]
        seconds = sum(r["embed_call_s"] for r in real)
        rate = sum(r["embedded_chars"] for r in real) / seconds if seconds > 0 else None
        result.embed_rates[pipeline] = round(rate, 1) if rate else None
        for run in result.runs:
            if run["pipeline"] != pipeline:
                continue
            if not run["cached"]:
                run["projected"] = False
                continue
            run["projected"] = rate is not None
            if rate is None:
                continue
            embed = run["embedded_chars"] / rate
            ingest = run["non_embed_s"] + embed
            run["ingest_s"] = round(ingest, 2)
            run["chunks_per_s"] = round(run["chunks"] / ingest, 2)
            run["texts_per_s"] = round(run["texts"] / ingest, 2)
            run["non_embed_share"] = round(run["non_embed_s"] / ingest, 4)
            if "report_s" in run:
                outside = run["report_s"] - run["report_embed_s"]
                inside = run["report_embed_s"] - run["embed_call_s"] + embed
                run["non_embed_share_engine"] = round(outside / (outside + inside), 4)


# ---- the measuring processes ----------------------------------------------------------------------------------


def measure_ours(job: Job) -> dict[str, object]:
    """Ingest, re-ingest, retrieval and answer latency, peak memory and disk of our engine at one size."""
    _forbid_network()
    from assistant.answering.pipeline import Answerer
    from assistant.config import Settings
    from assistant.engine import Engine
    from assistant.retrieval import HybridRetriever

    embedder, store = _embedder(job)
    rss_start = _peak_mb()
    # Explicit values, so ASSISTANT_* variables (a Chroma server, another embedder) cannot redirect the run.
    settings = Settings(
        data_dir=Path(job.data_dir),
        corpus_dir=Path(job.corpus_dir),
        embedder="e5-small",
        chroma_host=None,
        _env_file=None,
    )
    engine = Engine(settings, embedder=embedder)
    progress = _Progress(job, "ours")
    started = time.perf_counter()
    report = engine.ingest(progress=progress)
    ingest_s = time.perf_counter() - started
    stats = embedder.stats()
    if report.errors:
        raise RuntimeError(f"the synthetic corpus did not load: {report.errors[0]}")

    started = time.perf_counter()
    again = engine.ingest()
    reingest_s = time.perf_counter() - started
    if again.added or again.updated:
        raise RuntimeError("re-ingesting the unchanged corpus wrote posts again")

    retriever = HybridRetriever(engine.index, embedder)
    answerer = Answerer(retriever)
    started = time.perf_counter()
    retriever.search(job.questions[0])
    cold_ms = (time.perf_counter() - started) * 1000
    for question in job.questions[: job.warmup]:
        retriever.search(question)
    retrieval_ms, parts = [], {"embed_ms": [], "search_ms": []}
    for _ in range(job.rounds):
        for question in job.questions:
            started = time.perf_counter()
            found = retriever.search(question)
            retrieval_ms.append((time.perf_counter() - started) * 1000)
            for name, values in parts.items():
                values.append(found.timings_ms.get(name, 0.0))
    for question in job.questions[: job.warmup]:
        answerer.ask(question)
    answer_ms, refused = [], 0
    for _ in range(job.rounds):
        for question in job.questions:
            started = time.perf_counter()
            answer = answerer.ask(question)
            answer_ms.append((time.perf_counter() - started) * 1000)
            refused += answer.refused
    chunks = engine.index.chunk_count()
    engine.index.close()
    if not job.cache:
        store.save_shard(f"ours-{job.size:06d}", embedder.recorded())
    return {
        **_ingest_figures(ingest_s, stats, chunks, int(stats["texts"]), job.cache),
        "report_s": round(report.seconds, 3),
        "report_embed_s": round(report.embed_seconds, 3),
        "non_embed_share_engine": round(1 - report.embed_seconds / report.seconds, 4)
        if report.seconds
        else None,
        "reingest_s": round(reingest_s, 3),
        "reingest_report_s": round(again.seconds, 3),
        "cold_query_ms": round(cold_ms, 1),
        **_latency("retrieval", retrieval_ms),
        **{f"retrieval_{name}_mean": round(float(np.mean(v)), 2) for name, v in parts.items()},
        **_latency("answer", answer_ms),
        "refused_share": round(refused / max(1, len(answer_ms)), 3),
        "load_1min": round(os.getloadavg()[0], 2),  # other processes on the machine slow the latencies
        "rss_start_mb": rss_start,
        "peak_mb": _peak_mb(),
        "disk_mb": _disk_mb(Path(job.data_dir)),
    }


def measure_baseline(job: Job) -> dict[str, object]:
    """The same figures for the plain llama-index pipeline (``assistant.evaluation.baseline``)."""
    _forbid_network()
    from assistant.corpus.folder import CorpusFolder
    from assistant.evaluation.baseline import BaselinePipeline
    from assistant.evaluation.gold import GoldCase

    embedder, store = _embedder(job)
    rss_start = _peak_mb()
    persist = Path(job.data_dir)
    started = time.perf_counter()
    posts = list(CorpusFolder(Path(job.corpus_dir)).scan().posts.values())
    # With a persist folder the pipeline stores its index there, as a plain app does to survive a restart.
    pipeline = BaselinePipeline(posts, embedder, persist_dir=persist)
    ingest_s = time.perf_counter() - started
    stats = embedder.stats()
    nodes = len(pipeline.index.docstore.docs)

    # Its way to skip work on an unchanged corpus: load the stored index (any change means a full rebuild).
    embedder.reset_stats()
    started = time.perf_counter()
    posts = list(CorpusFolder(Path(job.corpus_dir)).scan().posts.values())
    pipeline = BaselinePipeline(posts, embedder, persist_dir=persist)
    reingest_s = time.perf_counter() - started
    if embedder.stats()["texts"]:
        raise RuntimeError("the baseline embedded again instead of loading its stored index")

    started = time.perf_counter()
    pipeline.retriever.retrieve(job.questions[0])
    cold_ms = (time.perf_counter() - started) * 1000
    for question in job.questions[: job.warmup]:
        pipeline.retriever.retrieve(question)
    retrieval_ms = []
    for _ in range(job.rounds):
        for question in job.questions:
            started = time.perf_counter()
            pipeline.retriever.retrieve(question)
            retrieval_ms.append((time.perf_counter() - started) * 1000)
    cases = [GoldCase(f"bench-{i}", (q,), True, "nl", (), (), "direct") for i, q in enumerate(job.questions)]
    for case in cases[: job.warmup]:
        pipeline.answer(case)
    answer_ms = []
    for _ in range(job.rounds):
        for case in cases:
            started = time.perf_counter()
            pipeline.answer(case)
            answer_ms.append((time.perf_counter() - started) * 1000)
    if not job.cache:
        store.save_shard(f"baseline-{job.size:06d}", embedder.recorded())
    return {
        **_ingest_figures(ingest_s, stats, nodes, int(stats["texts"]), job.cache),
        "reingest_s": round(reingest_s, 3),
        "cold_query_ms": round(cold_ms, 1),
        **_latency("retrieval", retrieval_ms),
        **_latency("answer", answer_ms),
        "refused_share": 0.0,
        "load_1min": round(os.getloadavg()[0], 2),  # other processes on the machine slow the latencies
        "rss_start_mb": rss_start,
        "peak_mb": _peak_mb(),
        "disk_mb": _disk_mb(Path(job.data_dir)),
    }


def _embedder(job: Job):
    from assistant.embedders import E5SmallEmbedding
    from assistant.evaluation.bench_cache import BenchEmbedding, VectorStore

    real = E5SmallEmbedding()
    real.get_query_embedding("opwarmen")  # load and warm the model outside every measurement
    store = VectorStore(Path(job.store_dir))
    if job.cache and len(store) < job.min_pool:
        _top_up(store, real, job)
    return BenchEmbedding(real, store, cache=job.cache), store


def _top_up(store, real, job: Job) -> None:
    """Embed real windows of this corpus until the cache has ``min_pool`` vectors to choose from."""
    from assistant.chunking import chunk_post, sentence_windows
    from assistant.corpus.folder import CorpusFolder

    texts: list[str] = []
    for post in CorpusFolder(Path(job.corpus_dir)).scan().posts.values():
        texts += [w.text for w in sentence_windows(chunk_post(post), post.text) if w.text not in store.texts]
        if len(texts) + len(store) >= job.min_pool:
            break
    texts = texts[: job.min_pool - len(store)]
    _say(job, f"  filling the vector cache: embedding {len(texts)} windows for real")
    store.save_shard(
        f"pool-{job.size:06d}", list(zip(texts, real.get_text_embedding_batch(texts), strict=True))
    )


def _ingest_figures(ingest_s: float, stats: dict[str, float], chunks: int, texts: int, cached: bool) -> dict:
    non_embed = max(0.0, ingest_s - stats["seconds"])
    return {
        "cached": cached,
        "chunks": chunks,
        "texts": texts,  # what was embedded: windows for ours, nodes for the baseline
        "embedded_chars": int(stats["chars"]),
        "cache_exact": int(stats["exact"]),
        "cache_reused": int(stats["reused"]),
        "measured_ingest_s": round(ingest_s, 3),
        "ingest_s": round(ingest_s, 3),
        "embed_call_s": round(stats["seconds"], 3),
        "non_embed_s": round(non_embed, 3),
        "non_embed_share": round(non_embed / ingest_s, 4) if ingest_s else None,
        "chunks_per_s": round(chunks / ingest_s, 2) if ingest_s else None,
        "texts_per_s": round(texts / ingest_s, 2) if ingest_s else None,
    }


def _latency(name: str, values: list[float]) -> dict[str, float]:
    array = np.asarray(values, dtype=np.float64)
    return {
        f"{name}_p50_ms": round(float(np.percentile(array, 50)), 2),
        f"{name}_p95_ms": round(float(np.percentile(array, 95)), 2),
        f"{name}_max_ms": round(float(array.max()), 2),
        f"{name}_samples": len(values),
    }


def _peak_mb() -> float:
    """Peak resident memory of this process so far: ``getrusage(RUSAGE_SELF).ru_maxrss`` (KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _disk_mb(folder: Path) -> float:
    """Like ``du -s``: blocks allocated to every file under ``folder``."""
    total = sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return round(total / 2**20, 2)


class _Progress:
    """Prints embedding progress at every tenth (the runs take minutes); silent when not verbose."""

    def __init__(self, job: Job, name: str):
        self.job, self.name, self.shown = job, name, -1

    def __call__(self, description: str, done: int, total: int) -> None:
        tenth = done * 10 // max(1, total)
        if tenth != self.shown:
            self.shown = tenth
            _say(self.job, f"  {self.name}: embedded {done}/{total} windows")


def _say(job: Job, message: str) -> None:
    if job.verbose:
        print(message, file=sys.stderr, flush=True)


def _forbid_network() -> None:
    """Make every connection off this machine fail at once: the benchmark must never reach OpenAI or the like."""

    def guarded(original):
        def connect(self, address):
            if isinstance(address, tuple):
                host = str(address[0])
                try:
                    local = ipaddress.ip_address(host.split("%")[0]).is_loopback
                except ValueError:
                    local = host == "localhost"
                if not local:
                    raise OSError(f"assistant bench allows no network access (tried to reach {host})")
            return original(self, address)

        return connect

    socket.socket.connect = guarded(socket.socket.connect)
    socket.socket.connect_ex = guarded(socket.socket.connect_ex)


def _options_json(options: BenchOptions) -> dict[str, object]:
    data = asdict(options)
    data["sources"] = [str(p) for p in source_files(options.sources)]
    data["work_dir"] = str(options.work_dir) if options.work_dir else None
    return data


def _machine() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }
