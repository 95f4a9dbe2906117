"""The coach's commands: ingest, add, remove, list, reindex."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from assistant.cli.app import (
    CorpusDir,
    DataDir,
    app,
    console,
    errors,
    make_engine,
    make_settings,
    progress_bar,
)

if TYPE_CHECKING:
    from assistant.ingest import IngestReport


def print_report(report: IngestReport) -> None:
    parts = [
        f"{len(report.added)} added",
        f"{len(report.updated)} updated",
        f"{len(report.unchanged)} unchanged",
    ]
    if report.removed:
        parts.append(f"{len(report.removed)} removed")
    console.print(", ".join(parts) + f"; {report.chunks_written} chunks written in {report.seconds:.2f} s")
    for error in report.errors:
        errors.print(f"[red]skipped[/] {escape(str(error))}", highlight=False, soft_wrap=True)


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders inside the corpus (default: all).")
    ] = None,
    prune: Annotated[bool, typer.Option(help="Remove indexed posts whose file left the corpus.")] = False,
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Index new and changed posts of the corpus; unchanged posts are skipped."""
    engine = make_engine(data_dir, corpus_dir)
    with progress_bar() as progress:
        report = engine.ingest(paths or None, prune=prune, progress=progress)
    print_report(report)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def add(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Post files (.md, .txt, .html or .docx) or addresses of posts on the web (https://…).",
            metavar="FILE_OR_URL...",
        ),
    ],
    title: Annotated[str | None, typer.Option(help="Title (required for text without one).")] = None,
    url: Annotated[str | None, typer.Option(help="Address of the post on the blog.")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    author: Annotated[str | None, typer.Option(help="Author's name.")] = None,
    source: Annotated[str | None, typer.Option(help="Where it was published, e.g. the blog's name.")] = None,
    replace: Annotated[bool, typer.Option(help="Replace a post with the same slug.")] = False,
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Validate files or fetch pages, write them into the corpus as Markdown and index them.

    A page is read as the .html loader reads a file (its main text and headings); its title, date, author and
    canonical address come from the page's metadata.
    """
    from assistant.corpus.loaders import load_post_for
    from assistant.sources.sync import is_address

    overrides = {"title": title, "url": url, "date": date, "author": author, "source": source}
    # Read and check every file and page before the engine's libraries load (seconds): a mistyped path, a page
    # that cannot be fetched or a file the loaders refuse is reported at once, and nothing is written.
    settings = make_settings(data_dir, corpus_dir)
    addresses = [item for item in files if is_address(item)]
    fetched = {}
    if addresses:
        from assistant.sources.fetcher import Fetcher
        from assistant.sources.pages import fetch_post

        with Fetcher(settings) as fetcher:
            fetched = {a: fetch_post(fetcher, settings, a, overrides=overrides) for a in addresses}
    loaded = [
        (item, fetched[item])
        if item in fetched
        else (Path(item), load_post_for(settings, Path(item), overrides=overrides))
        for item in files
    ]
    engine = make_engine(data_dir, corpus_dir)
    with progress_bar() as progress:
        results = engine.add_loaded(loaded, replace=replace, progress=progress)
    for result in results:
        verb = "added" if result.changed else "unchanged"
        console.print(f"{verb} [bold]{result.slug}[/] → {escape(str(result.path))} ({result.chunks} chunks)")


@app.command()
def remove(
    slug: Annotated[str, typer.Argument(help="The post's slug (see `assistant list`).")],
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Remove a post from the corpus and the index."""
    make_engine(data_dir, corpus_dir).remove(slug)
    console.print(f"removed [bold]{slug}[/]")


@app.command(name="list")
def list_posts(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per post.")] = False,
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Show the indexed posts: slug, title, date, sections and chunks."""
    from assistant.catalog import read_catalog

    # The catalog beside the index answers without opening Chroma; when it is not current, ask the index.
    posts = read_catalog(make_settings(data_dir, corpus_dir))
    if posts is None:
        posts = [asdict(record) for record in make_engine(data_dir, corpus_dir).posts()]
    if as_json:
        for post in posts:
            print(json.dumps(post, ensure_ascii=False))
        return
    # A light table: Rich lays out every cell, and with a box it took ~1 s for a blog of 1,200 posts.
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("slug", overflow="fold")
    table.add_column("title")
    table.add_column("date")
    table.add_column("sections", justify="right")
    table.add_column("chunks", justify="right")
    for post in posts:
        table.add_row(
            post["slug"],
            escape(post["title"]),
            post["date"] or "—",
            str(post["sections"]),
            str(post["chunks"]),
        )
    console.print(table)
    console.print(f"{len(posts)} posts, {sum(p['chunks'] for p in posts)} chunks")


@app.command()
def reindex(
    fresh_embeddings: Annotated[
        bool, typer.Option(help="Clear the embedding cache first: embed every text again.")
    ] = False,
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Rebuild the whole index from the corpus (after changing the embedder, or if the index is damaged)."""
    engine = make_engine(data_dir, corpus_dir)
    if fresh_embeddings:
        from assistant.embedders import embeddings_cache_path
        from assistant.embedding_cache import clear_cache_file

        clear_cache_file(embeddings_cache_path(engine.settings))
    with progress_bar() as progress:
        report = engine.reindex(progress=progress)
    print_report(report)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def check(
    repair: Annotated[bool, typer.Option(help="Bring the index back in line with the corpus.")] = False,
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Compare corpus and index: posts missing, changed or orphaned, stray chunks, embedder mismatch."""
    engine = make_engine(data_dir, corpus_dir)
    with progress_bar() as progress:
        report = engine.check(repair=repair, progress=progress)
    findings = {
        "not indexed": report.missing,
        "indexed from another version": report.changed,
        "indexed but gone from the corpus": report.orphaned_posts,
    }
    for label, slugs in findings.items():
        if slugs:
            console.print(f"{label}: {escape(', '.join(slugs))}", highlight=False)
    if report.orphaned_chunks:
        console.print(f"chunks without a post: {report.orphaned_chunks}")
    if report.embedder_problem:
        console.print(escape(report.embedder_problem), highlight=False)
    if report.uncalibrated:
        console.print(
            "[yellow]no relevance calibration for this embedder[/]: questions get the closest passages, never a "
            "full answer; run `assistant eval --fit-gate`"
        )
    from assistant import bilingual  # here, not at the top: it loads bm25s, and `assistant --help` must not

    if not bilingual.installed(engine.settings.dictionary_dir):
        console.print(
            f"[yellow]no English-Dutch dictionary[/] in {escape(str(engine.settings.dictionary_dir))}: English "
            f"questions are translated only into the posts' nearest words; `apt-get install {bilingual.PACKAGES}` adds it",
            highlight=False,
            soft_wrap=True,
        )
    for error in report.errors:
        errors.print(f"[red]unreadable[/] {escape(str(error))}", highlight=False, soft_wrap=True)
    if report.ok:
        console.print("corpus and index agree")
    elif report.repaired is not None:
        print_report(report.repaired)
        console.print("repaired: corpus and index agree again")
    else:
        console.print("run `assistant check --repair` to fix this")
        raise typer.Exit(1)
