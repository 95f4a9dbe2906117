"""Bring a blog's posts into the corpus from its feed, its sitemap or a WordPress export, and keep them current.

    with Engine(settings) as engine:
        report = sync_blog(settings, "https://www.onderwijskapitein.nl/feed/", lambda: engine)
        report.counts    # {"added": 3, "updated": 0, "unchanged": 47, "skipped": 0, "failed": 0}

Each new or changed post is written through the engine's one add path (``Engine.add_loaded``): validated, written
to ``corpus/<slug>.md`` and indexed together or not at all, so a failing post leaves nothing behind and the next
one goes on. Fetching as little as possible: the feed or sitemap is asked for with its ETag/Last-Modified (a 304
means nothing changed), a post whose listing stamp (lastmod, date, or the hash of the HTML a feed carries) is
unchanged is not fetched, and a page that is fetched is asked for conditionally too. A post is then compared by
content hash with the corpus's copy. The memory of all this (``data/sources.json``) only saves work: the corpus
says which posts exist, and a post listed but missing from the corpus is added again. The engine (seconds to
import and open) is asked for only when a post is written or removed: an hourly run that finds nothing new takes
a fraction of a second.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from assistant.corpus.folder import CorpusFolder
from assistant.corpus.model import Post, slugify
from assistant.errors import AssistantError, BadInputError, IndexBusyError, NoArticleError
from assistant.sources.fetcher import Fetcher
from assistant.sources.listings import FEED, SITEMAP, Entry, Listing, feed_links, read_listing
from assistant.sources.memory import DocumentMemo, PostMemo, RunMemo, SyncMemory

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.engine import Engine
    from assistant.ingest import Progress

OUTCOMES = ("added", "updated", "unchanged", "skipped", "failed")
MAX_SITEMAPS = 200  # the child sitemaps of one sitemap index that are followed


@dataclass(frozen=True)
class SyncItem:
    """What happened to one listed post: added, updated, unchanged, skipped (not a post), failed, or removed."""

    url: str
    outcome: str
    slug: str = ""
    title: str = ""
    reason: str = ""
    reason_dutch: str = ""


@dataclass
class SyncReport:
    source: str
    kind: str = ""
    items: list[SyncItem] = field(default_factory=list)
    not_modified: bool = False  # the feed or sitemap answered 304: nothing listed changed
    found_feed: str = ""  # the feed a web page announced, when a page was given instead of a feed
    ignored: dict[str, int] = field(default_factory=dict)  # what an export holds besides published posts
    seconds: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for item in self.items:
            counts[item.outcome] = counts.get(item.outcome, 0) + 1
        return counts

    @property
    def failed(self) -> list[SyncItem]:
        return [item for item in self.items if item.outcome == "failed"]


OnItem = Callable[[SyncItem], None]
# Shown the posts --prune is about to remove; answers whether to go on.
ConfirmPrune = Callable[[list[SyncItem]], bool]


def is_address(source: str) -> bool:
    return source.strip().lower().startswith(("http://", "https://"))


def sync_blog(
    settings: Settings,
    source: str,
    open_engine: Callable[[], Engine],
    *,
    follow: bool = False,
    prune: bool = False,
    confirm_prune: ConfirmPrune | None = None,
    on_item: OnItem | None = None,
    progress: Progress | None = None,
    fetcher: Fetcher | None = None,
) -> SyncReport:
    """Sync the posts a feed or sitemap address, or a WordPress export file, lists. ``AssistantError`` when the
    source itself cannot be read (nothing is written then); a post that fails is reported and skipped.

    ``open_engine`` gives the engine that writes; it is called only when there is something to write. ``follow``
    remembers ``source`` as the blog that ``assistant sync`` without one syncs (under the same lock, so a sync
    running meanwhile cannot write its older memory over it)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(settings.data_dir / "sync.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise IndexBusyError("another `assistant sync` is running; try again when it is done") from None
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    try:
        memory = SyncMemory.load(settings.data_dir)
        if follow:
            memory.followed = source.strip()
        run = _Run(settings, open_engine, fetcher, memory, on_item or (lambda item: None), progress)
        return run.sync(source.strip(), prune, confirm_prune)
    finally:
        if own_fetcher:
            fetcher.close()
        lock.release()


def followed(settings: Settings) -> tuple[str, RunMemo]:
    """The followed blog's address and its last run (empty ones if there is none)."""
    memory = SyncMemory.load(settings.data_dir)
    source = memory.sources.get(memory.followed)
    return memory.followed, source.last_run if source else RunMemo()


class _Run:
    """One sync: the listing, then each entry, then (with --prune) what left it; remembered at the end."""

    def __init__(
        self,
        settings: Settings,
        open_engine: Callable[[], Engine],
        fetcher: Fetcher,
        memory: SyncMemory,
        on_item: OnItem,
        progress: Progress | None,
    ):
        self.settings, self.open_engine, self.fetcher, self.memory = settings, open_engine, fetcher, memory
        self.on_item, self.progress = on_item, progress
        self.corpus = CorpusFolder(settings.corpus_dir, settings.max_post_bytes, settings.max_post_words)
        self.present = {slugify(p.stem) for p in self.corpus.post_files()}
        self._by_url: dict[str, str] | None = None
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self.open_engine()
        return self._engine

    def sync(self, source: str, prune: bool, confirm_prune: ConfirmPrune | None) -> SyncReport:
        started = time.perf_counter()
        report = SyncReport(source)
        key = source
        try:
            listing, key = self._listing(source, report)
            report.kind, report.ignored = listing.kind, listing.ignored
            if prune and listing.kind == FEED:
                raise BadInputError(
                    source,
                    "--prune works with a sitemap or an export: a feed lists only the latest posts",
                    "alleen met een sitemap of export kan Kompas blogs weghalen die van de website verdwenen",
                )
            entries = list({e.url: e for e in listing.entries}.values())
            for number, entry in enumerate(entries):
                if self.progress:
                    self.progress(f"{number + 1}/{len(entries)} {entry.url}", number, len(entries))
                self._emit(report, self._entry(entry))
            if prune:
                self._prune(key, entries, report, confirm_prune)
            self.memory.source(key).kind = listing.kind
            self.memory.source(key).urls = [e.url for e in entries]
        except AssistantError as error:
            self._remember(key, report, error)
            raise
        report.seconds = time.perf_counter() - started
        self._remember(key, report)
        return report

    def _emit(self, report: SyncReport, item: SyncItem) -> None:
        report.items.append(item)
        self.on_item(item)

    def _remember(self, key: str, report: SyncReport, error: AssistantError | None = None) -> None:
        self.memory.source(key).last_run = RunMemo(
            at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            counts=report.counts,
            error=str(error) if error else "",
            error_dutch=getattr(error, "dutch", "") if error else "",
            failures=[(item.url, item.reason_dutch or item.reason) for item in report.failed],
        )
        self.memory.save()

    # ---- the listing ------------------------------------------------------------------------------------------

    def _listing(self, source: str, report: SyncReport) -> tuple[Listing, str]:
        """The listing and the key its source is remembered by (the address; an export's blog address)."""
        if not is_address(source):
            listing = read_listing(self._read_file(source), source, self.settings.max_listing_bytes)
            return listing, listing.blog or str(Path(source).resolve())
        listing = self._fetch_listing(source, report, top=True)
        if listing.kind == SITEMAP:
            for sitemap in list(dict.fromkeys(listing.sitemaps))[:MAX_SITEMAPS]:
                child = self._fetch_listing(sitemap, report)
                listing.entries += child.entries  # a sitemap index's children hold the posts
        return listing, source

    def _read_file(self, source: str) -> bytes:
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > self.settings.max_listing_bytes:
                raise BadInputError(
                    source,
                    f"the file is {size:,} bytes, more than the limit of {self.settings.max_listing_bytes:,} "
                    "(ASSISTANT_MAX_LISTING_BYTES)",
                    "dit bestand is te groot",
                )
            return path.read_bytes()
        except OSError as error:
            raise BadInputError(
                source,
                f"cannot read the file ({error.strerror or error}); a feed or sitemap is given by its address",
                "het bestand kan niet worden gelezen",
            ) from None

    def _fetch_listing(self, url: str, report: SyncReport, top: bool = False) -> Listing:
        memo = self.memory.documents.get(url)
        # Conditional only while everything it listed is still in the corpus: a post the corpus lost needs the
        # listing's content (or a fresh look at its page) to come back.
        conditional = memo is not None and all(self._accounted(u) for u in memo.urls)
        fetched = self.fetcher.get(
            url,
            max_bytes=self.settings.max_listing_bytes,
            etag=memo.etag if conditional else "",
            last_modified=memo.last_modified if conditional else "",
        )
        if fetched.not_modified and memo is not None:
            report.not_modified = report.not_modified or top
            stamps = {u: self.memory.posts[u].stamp for u in memo.urls if u in self.memory.posts}
            remembered = [Entry(u, stamps.get(u, "")) for u in memo.urls]
            return Listing(memo.kind, remembered, list(memo.sitemaps))
        if top and fetched.media_type in ("text/html", "application/xhtml+xml"):
            feeds = feed_links(fetched.content, fetched.url)
            if feeds:  # the blog's own page: follow the feed it announces
                report.found_feed = feeds[0]
                return self._fetch_listing(feeds[0], report)
        listing = read_listing(fetched.content, url, self.settings.max_listing_bytes)
        self.memory.documents[url] = DocumentMemo(
            listing.kind,
            fetched.etag,
            fetched.last_modified,
            [e.url for e in listing.entries],
            listing.sitemaps,
        )
        return listing

    def _accounted(self, url: str) -> bool:
        memo = self.memory.posts.get(url)
        return memo is not None and (memo.slug in self.present or not memo.article)

    # ---- one post ---------------------------------------------------------------------------------------------

    def _entry(self, entry: Entry) -> SyncItem:
        try:
            return self._post(entry)
        except NoArticleError as error:  # remembered as no article (with its validators) by _post
            return SyncItem(entry.url, "skipped", reason=error.problem, reason_dutch=error.dutch)
        except BadInputError as error:
            return SyncItem(entry.url, "failed", reason=error.problem, reason_dutch=error.dutch)
        except AssistantError as error:
            return SyncItem(entry.url, "failed", reason=str(error))

    def _post(self, entry: Entry) -> SyncItem:
        from assistant.sources.pages import post_from_html, read_page  # trafilatura: only when a post is read

        memo = self.memory.posts.get(entry.url)
        known = memo.slug if memo and memo.slug in self.present else None
        if memo and entry.stamp and memo.stamp == entry.stamp and (known or not memo.article):
            return self._unchanged(entry, memo)
        if entry.html:
            post = post_from_html(
                entry.html, entry.url, entry.metadata, slug=known, max_words=self.settings.max_post_words
            )
            validators = PostMemo()
        else:
            ask = memo is not None and (known is not None or not memo.article)
            fetched = self.fetcher.get(
                entry.url,
                max_bytes=self.settings.max_post_bytes,
                etag=memo.etag if ask else "",
                last_modified=memo.last_modified if ask else "",
            )
            if fetched.not_modified and memo is not None:
                memo.stamp = entry.stamp
                return self._unchanged(entry, memo)
            validators = PostMemo(etag=fetched.etag, last_modified=fetched.last_modified)
            try:
                post = read_page(fetched, entry.url, slug=known, max_words=self.settings.max_post_words)
            except NoArticleError:
                self.memory.posts[entry.url] = dataclasses.replace(
                    validators, stamp=entry.stamp, article=False
                )
                raise
            post = _fill(post, entry.metadata)
        return self._write(entry, post, known, validators)

    def _unchanged(self, entry: Entry, memo: PostMemo) -> SyncItem:
        if not memo.article:
            return SyncItem(
                entry.url,
                "skipped",
                reason="no article text on this page (as on the last run)",
                reason_dutch="op deze pagina staat geen blogtekst",
            )
        return SyncItem(entry.url, "unchanged", slug=memo.slug)

    def _write(self, entry: Entry, post: Post, known: str | None, validators: PostMemo) -> SyncItem:
        if known is None:  # a post the corpus holds under this address keeps its slug, whatever its title now
            holder = self._slug_by_url(entry.url) or self._slug_by_url(post.url)
            if holder and holder != post.slug:
                post = dataclasses.replace(post, slug=holder)
        outcome = "added"
        if post.slug in self.present:
            existing = self.corpus.load(self.corpus.find(post.slug))
            if known is None and existing.url and not _same_address(existing.url, entry.url, post.url):
                return SyncItem(
                    entry.url,
                    "failed",
                    slug=post.slug,
                    title=post.title,
                    reason=f"another post with this title ({post.slug}) is in the corpus, from {existing.url}",
                    reason_dutch=f"er staat al een andere blog met deze titel in Kompas ({existing.url})",
                )
            outcome = "unchanged" if existing.content_hash() == post.content_hash() else "updated"
        if outcome != "unchanged":
            self.engine.add_loaded([(entry.url, post)], replace=outcome == "updated", progress=self.progress)
            self.present.add(post.slug)
        self.memory.posts[entry.url] = dataclasses.replace(validators, slug=post.slug, stamp=entry.stamp)
        return SyncItem(entry.url, outcome, slug=post.slug, title=post.title)

    def _slug_by_url(self, url: str) -> str | None:
        if self._by_url is None:
            scan = self.corpus.scan()
            self._by_url = {_address_key(p.url): slug for slug, p in scan.posts.items() if p.url}
        return self._by_url.get(_address_key(url)) if url else None

    # ---- --prune ----------------------------------------------------------------------------------------------

    def _prune(
        self, key: str, entries: list[Entry], report: SyncReport, confirm: ConfirmPrune | None
    ) -> None:
        listed = {e.url for e in entries}
        if not listed:
            raise BadInputError(
                report.source,
                "the listing holds no posts now; nothing was pruned (is it the right address?)",
                "de lijst van de website is leeg; Kompas heeft niets weggehaald",
            )
        previous = self.memory.sources.get(key)
        gone = []
        for url in previous.urls if previous else []:
            memo = self.memory.posts.get(url)
            if url not in listed and memo is not None and memo.slug in self.present:
                gone.append(SyncItem(url, "removed", slug=memo.slug))
        if not gone or (confirm is not None and not confirm(gone)):
            return
        for item in gone:
            self.engine.remove(item.slug)
            self.present.discard(item.slug)
            del self.memory.posts[item.url]
            self._emit(report, item)


def _fill(post: Post, metadata: dict[str, object]) -> Post:
    """The page's own metadata first; what it lacks (a date, an author) from the feed that listed it."""
    missing = {
        name: str(metadata[name])
        for name in ("date", "author")
        if not getattr(post, name) and isinstance(metadata.get(name), str) and metadata[name]
    }
    return dataclasses.replace(post, **missing) if missing else post


def _address_key(url: str) -> str:
    """An address as compared: without scheme, ``www.``, fragment or trailing slash (http and https are one post)."""
    bare = url.strip().split("#", 1)[0].split("://", 1)[-1].removeprefix("www.")
    return bare.rstrip("/").lower()


def _same_address(existing: str, *candidates: str) -> bool:
    return any(_address_key(existing) == _address_key(c) for c in candidates if c)
