"""``assistant bench --sync N``: the time to sync N posts from a local blog, first run and second run.

The blog (``blog_site``) serves the repository's real posts (the seed post and the evaluation's), topped up with
synthetic posts of real sentences, as pages, a sitemap and a full-text feed. Four runs, each in a fresh folder:

1. the sitemap, first run, empty embedding cache: every page fetched and read, every sentence embedded (what the
   coach waits for the first time; the engine's libraries and model load on the first write and count too);
2. the sitemap again: the sitemap answers 304, nothing else is asked for;
3. the feed, first run, into an empty corpus and index but with the vectors of run 1 cached: fetching, reading,
   writing and indexing without the embedding;
4. the feed again.

    result = run_sync_bench(50)
    print(sync_markdown(result))
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from assistant.config import Settings
from assistant.corpus.loaders import load_post
from assistant.embedders import embeddings_cache_path
from assistant.evaluation.bench_corpus import SyntheticPosts, source_files
from assistant.evaluation.blog_site import BlogSite


def blog_posts(count: int) -> list:
    """The repository's real posts first, then synthetic ones up to ``count``."""
    real = [load_post(path, slug=path.stem) for path in source_files()][:count]
    synthetic = SyntheticPosts.from_files(source_files()).first(max(0, count - len(real)))
    return real + [item.post for item in synthetic]


def run_sync_bench(count: int = 50, log: Callable[[str], None] = print) -> dict[str, object]:
    from assistant.engine import Engine
    from assistant.sources.sync import sync_blog

    posts = blog_posts(count)
    runs: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="kompas-bench-sync-") as folder, BlogSite(posts) as blog:
        root = Path(folder)

        def timed(name: str, path: str, workdir: Path) -> None:
            settings = Settings(
                data_dir=workdir / "data", corpus_dir=workdir / "corpus", allow_private_urls=True
            )
            blog.requests.clear()
            engine: list[Engine] = []

            def open_engine() -> Engine:
                engine.append(Engine(settings))
                return engine[0]

            started = time.perf_counter()
            report = sync_blog(settings, blog.url(path), open_engine)  # a run opens the engine at most once
            seconds = time.perf_counter() - started
            for made in engine:
                made.close()
            fetched = len(blog.requests) - sum(status == 304 for _, _, status in blog.requests)
            runs.append({
                "run": name,
                "seconds": round(seconds, 2),
                "counts": report.counts,
                "requests": len(blog.requests),
                "answered_with_content": fetched,
                "not_modified": report.not_modified,
            })  # fmt: skip
            log(f"{name}: {seconds:.2f} s, {report.counts}, {len(blog.requests)} requests")

        timed("sitemap, first run (embedding included)", "/sitemap.xml", root / "a")
        timed("sitemap, second run", "/sitemap.xml", root / "a")
        (root / "b" / "data").mkdir(parents=True)
        shutil.copy(embeddings_cache_path(Settings(data_dir=root / "a" / "data")), root / "b" / "data")
        timed("feed, first run (vectors cached)", "/feed/", root / "b")
        timed("feed, second run", "/feed/", root / "b")
    return {"posts": count, "runs": runs, "load_average": [round(x, 2) for x in os.getloadavg()]}


def sync_markdown(result: dict[str, object]) -> str:
    lines = [
        f"# Sync of {result['posts']} posts from a local blog",
        "",
        "| run | seconds | added / updated / unchanged / failed | requests (with content) |",
        "|---|---:|---|---:|",
    ]
    for run in result["runs"]:
        counts = run["counts"]
        lines.append(
            f"| {run['run']} | {run['seconds']:.2f} | {counts['added']} / {counts['updated']} / "
            f"{counts['unchanged']} / {counts['failed']} | {run['requests']} ({run['answered_with_content']}) |"
        )
    lines += ["", f"Load average after the runs: {', '.join(map(str, result['load_average']))}."]
    return "\n".join(lines)
