"""The measuring processes of ``assistant bench``: one size of one pipeline, in a fresh process each.

``measure_ours`` times our engine (ingest, re-ingest, the first answer after adding a post, re-indexing an edited
post, retrieval and answer latency, memory, disk, and the command line and web server starting on that index);
``measure_baseline`` times the plain llama-index pipeline of ``assistant.evaluation.baseline`` on the same posts.
Everything here returns plain figures; ``bench.py`` orchestrates and ``bench_report.py`` renders.
"""

from __future__ import annotations

import ipaddress
import os
import resource
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.evaluation import bench_changes
from assistant.evaluation.bench_startup import cli_and_serve_starts


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
    start_runs: int = 3  # times each process start is measured on this size's index; 0: none
    edit_words: int = bench_changes.EDITED_POST_WORDS  # length of the post whose paragraph is edited


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
    after_write = bench_changes.first_answer_after_adding_a_post(engine, answerer, job.questions[-1])
    chunks = engine.index.chunk_count()
    engine.close()
    edit = bench_changes.edit_reindex(settings, job.edit_words)
    starts = (
        cli_and_serve_starts(bench_changes.environment(settings), job.start_runs) if job.start_runs else {}
    )
    if not job.cache:
        store.save_shard(f"ours-{job.size:06d}", embedder.recorded())
    return {
        **after_write,
        **edit,
        **starts,
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
    after_write = bench_changes.baseline_after_write(pipeline, cases[-1])
    edit = bench_changes.baseline_edit_reindex(posts, job.edit_words)
    if not job.cache:
        store.save_shard(f"baseline-{job.size:06d}", embedder.recorded())
    return {
        **after_write,
        **edit,
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
