"""Following the coach's blog: ``assistant sync`` from a feed, a sitemap or a WordPress export."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

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
from assistant.errors import BadInputError

if TYPE_CHECKING:
    from assistant.sources.sync import SyncItem, SyncReport

STYLES = {"added": "green", "updated": "cyan", "removed": "magenta", "skipped": "yellow", "failed": "red"}


def print_item(item: SyncItem) -> None:
    style = STYLES.get(item.outcome, "dim")
    what = f"{item.slug} ← {item.url}" if item.slug else item.url
    line = f"[{style}]{item.outcome:<9}[/] {escape(what)}"
    if item.reason:
        line += f": {escape(item.reason)}"
    (errors if item.outcome == "failed" else console).print(line, highlight=False, soft_wrap=True)


def summary(report: SyncReport) -> str:
    counts = report.counts
    text = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n or outcome != "removed")
    notes = []
    if report.found_feed:
        notes.append(f"followed the feed the page announces, {report.found_feed}")
    if report.not_modified:
        notes.append("the listing had not changed (304)")
    if report.ignored:
        notes.append(
            "not imported: " + ", ".join(f"{n} {kind}" for kind, n in sorted(report.ignored.items()))
        )
    return text + f" in {report.seconds:.2f} s" + "".join(f"; {note}" for note in notes)


@app.command()
def sync(
    source: Annotated[
        str | None,
        typer.Argument(
            help="An RSS or Atom feed's address, a sitemap.xml's address, or a WordPress export file (WXR). "
            "Default: the blog followed (see --follow, or the coach's page).",
        ),
    ] = None,
    prune: Annotated[
        bool,
        typer.Option(
            help="Remove posts this sitemap or export brought in that it no longer lists (listed first)."
        ),
    ] = False,
    follow: Annotated[
        bool,
        typer.Option(help="Remember SOURCE (a feed or sitemap) as the blog that `assistant sync` follows."),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="With --prune: do not ask before removing.")] = False,
    quiet: Annotated[bool, typer.Option(help="Leave out the unchanged and skipped posts.")] = False,
    data_dir: DataDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Add new posts and update changed ones from the blog; report each post: added, updated, unchanged,
    skipped (a page with no post) or failed, with why.

    Asks the server only for what changed (ETag/Last-Modified), fetches no page whose listing says it is
    unchanged, and compares each post with the corpus by content hash. Posts that leave a feed stay: feeds list
    only the latest posts. Exit code 1 if a post failed.
    """
    from assistant.sources.sync import followed, is_address, sync_blog

    settings = make_settings(data_dir, corpus_dir)
    if source is None:
        source, _ = followed(settings)
        if not source:
            raise BadInputError(
                "assistant sync",
                "no blog is followed: give a feed, a sitemap or an export file, or use --follow",
            )
    elif follow:
        if not is_address(source):
            raise BadInputError(source, "--follow takes a feed's or a sitemap's address; an export is a file")
        console.print(
            f"following {escape(source)}: `assistant sync` syncs it from now on",
            highlight=False,
            soft_wrap=True,
        )

    def confirm(gone: list[SyncItem]) -> bool:
        console.print(f"{len(gone)} posts are no longer listed and will be removed:")
        for item in gone:
            console.print(f"  {escape(item.slug)} ← {escape(item.url)}", highlight=False, soft_wrap=True)
        if yes or not sys.stdin.isatty():
            return True
        return typer.confirm("Remove them?", default=False)

    def show(item: SyncItem) -> None:
        if not (quiet and item.outcome in ("unchanged", "skipped")):
            print_item(item)

    with progress_bar() as progress:
        report = sync_blog(
            settings,
            source,
            lambda: make_engine(data_dir, corpus_dir),  # made only if there is something to write
            follow=follow,
            prune=prune,
            confirm_prune=confirm,
            on_item=show,
            progress=progress,
        )
    console.print(escape(summary(report)), highlight=False, soft_wrap=True)
    if report.failed:
        raise typer.Exit(1)
