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

import multiprocessing
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assistant.evaluation.bench_changes import EDITED_POST_WORDS
from assistant.evaluation.bench_corpus import QUESTIONS, SyntheticPosts, source_files, write_corpus
from assistant.evaluation.bench_measure import Job, measure_baseline, measure_ours
from assistant.evaluation.bench_startup import reference_starts

DEFAULT_SIZES = (100, 1000, 10000)
QUICK_SIZES = (5, 40)  # one post embedded for real, then five with cached vectors

Log = Callable[[str], None]


@dataclass
class BenchOptions:
    sizes: tuple[int, ...] = DEFAULT_SIZES
    questions: int = len(QUESTIONS)
    rounds: int = 3  # each question is timed this many times (after warm-up)
    warmup: int = 3
    cache_above: int = 1000  # sizes above this many chunks reuse cached vectors
    min_pool: int = 256  # real vectors the cache needs before it can stand in for the embedder
    start_runs: int = 3  # times each process start (command line, web server) is measured; 0: none
    edit_words: int = EDITED_POST_WORDS  # the edit re-index figure edits one paragraph of a post this long
    seed: int = 7
    baseline: bool = True
    work_dir: Path | None = None  # default: a temporary folder, removed afterwards
    sources: list[Path] | None = None  # real posts to take sentences from (default: corpus/ + eval/fixtures/)

    @classmethod
    def quick(cls) -> BenchOptions:
        """Tiny sizes for smoke tests: the larger one already uses the cache."""
        return cls(
            sizes=QUICK_SIZES,
            questions=5,
            rounds=1,
            warmup=1,
            cache_above=QUICK_SIZES[0],
            min_pool=48,
            start_runs=1,
            edit_words=150,
        )


@dataclass
class BenchResult:
    options: dict[str, object]
    machine: dict[str, object]
    runs: list[dict[str, object]] = field(default_factory=list)  # one per size and pipeline
    embed_rates: dict[str, float | None] = field(default_factory=dict)  # real chars/s per pipeline
    # What process starts are compared with: a bare Python start and plain `streamlit run` (bench_startup).
    reference: dict[str, float] = field(default_factory=dict)
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
        if options.start_runs:
            log("timing a bare Python start and plain streamlit run, to compare with")
            result.reference = reference_starts(options.start_runs)
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
                    start_runs=options.start_runs,
                    edit_words=options.edit_words,
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
