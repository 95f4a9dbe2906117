"""The one facade every front end calls: ask and stream answers; ingest, add, remove, list, check, reindex.

Front ends (CLI, web app, evaluation) build a ``Settings``, make an ``Engine`` and call one method per action;
the engine loads the embedder and opens the index once, on first use, and ``close`` lets them go again.

    with Engine(Settings()) as engine:
        report = engine.ingest()
        engine.add([Path("nieuw-blog.docx")], overrides={"url": "https://..."})
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from llama_index.core.embeddings import BaseEmbedding

from assistant.answering.pipeline import Answer, Answerer, AnswerStream, Turn
from assistant.bilingual import corpus_words, embed_words
from assistant.catalog import read_catalog
from assistant.config import Settings
from assistant.corpus.folder import CorpusFolder
from assistant.corpus.loaders import AUTOMATIC, SUPPORTED_SUFFIXES, detect_format, load_post_for, load_text
from assistant.corpus.model import Post, slugify
from assistant.embedders import make_cached_embedder
from assistant.errors import (
    BadInputError,
    EmbedderMismatchError,
    IndexUnavailableError,
    PostConflictError,
    PostNotFoundError,
)
from assistant.index import ChromaIndex, PostRecord
from assistant.index.records import newest_first, post_from_record
from assistant.ingest import IngestReport, Progress, embed_post, prepare, sync
from assistant.relevance import RelevanceGate
from assistant.retrieval import HybridRetriever, Mode


@dataclass
class CheckReport:
    """How corpus and index differ; empty lists mean they agree."""

    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    orphaned_posts: list[str] = field(default_factory=list)
    orphaned_chunks: int = 0
    embedder_problem: str = ""
    # Not drift, but worth knowing: the relevance gate has no calibration for this embedder (see relevance.py).
    uncalibrated: bool = False
    errors: list[BadInputError] = field(default_factory=list)
    repaired: IngestReport | None = None

    @property
    def ok(self) -> bool:
        drift = self.missing or self.changed or self.orphaned_posts or self.orphaned_chunks
        return not drift and not self.embedder_problem


@dataclass(frozen=True)
class AddResult:
    slug: str
    path: Path
    changed: bool
    chunks: int


@dataclass(frozen=True)
class PastedPost:
    """Pasted text read as a post, and the format it was read in (``md``, ``txt`` or ``html``)."""

    post: Post
    fmt: str


class Engine:
    """Corpus, embedder and index behind one object; thread-safe for the web app's sessions.

    The embedder, the index and the answerer are made on first use. ``close`` (or leaving a ``with`` block)
    closes the index's Chroma client and an embedder the engine made itself; it may be called more than once,
    and an engine used after it opens what it needs again.
    """

    # The file types ``load``, ``add`` and ``read_upload`` accept (for a file picker's filter).
    file_suffixes: tuple[str, ...] = SUPPORTED_SUFFIXES

    def __init__(
        self,
        settings: Settings,
        embedder: BaseEmbedding | None = None,
        on_wait: Callable[[], None] | None = None,
    ):
        self.settings = settings
        self._embedder = embedder
        # An embedder passed in belongs to the caller (the tests share one): only one made here is closed here.
        self._owns_embedder = embedder is None
        self._on_wait = on_wait
        self._setup_lock = threading.Lock()
        # Separate locks, so that opening the index never waits for the embedder's model to load.
        self._index_lock = threading.Lock()
        self._answerer_lock = threading.Lock()
        self._index: ChromaIndex | None = None
        self._answerer: Answerer | None = None
        self.corpus = CorpusFolder(settings.corpus_dir, settings.max_post_bytes, settings.max_post_words)

    @property
    def embedder(self) -> BaseEmbedding:
        """The given embedder as it is, or the configured one behind the data folder's embedding cache."""
        with self._setup_lock:
            if self._embedder is None:
                self._embedder = make_cached_embedder(self.settings)
            return self._embedder

    @property
    def index(self) -> ChromaIndex:
        """The index, opened on first use (and again after ``close`` or ``reindex``)."""
        with self._index_lock:
            if self._index is None:
                self._index = ChromaIndex(self.settings, self.settings.embedder)
            return self._index

    # ---- lifecycle ------------------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the embedder, open the index and build the answerer now, not on the first question."""
        self.embedder  # noqa: B018  (the property loads the model)
        self.answerer  # noqa: B018  (opens the index too)
        self.answerer.retriever.dictionary  # noqa: B018  (reads the English-Dutch dictionary, if installed)
        self.answerer.retriever.vocabulary()  # the posts' words, from the embedding cache, for English questions

    def close(self) -> None:
        """Close the index's Chroma client and an embedder made here (its caches); safe to call again."""
        self.close_index()
        with self._setup_lock:
            embedder = self._embedder if self._owns_embedder else None
            if embedder is not None:
                self._embedder = None
        close_embedder = getattr(embedder, "close", None)
        if callable(close_embedder):
            close_embedder()

    def close_index(self) -> None:
        """Close the open index and forget the answerer built on it; the next use opens both afresh.

        An embedded client left open keeps chromadb's per-folder System alive, and every later client in this
        process would share its stale view: the app would miss other processes' writes.
        """
        with self._answerer_lock, self._index_lock:
            index, self._index, self._answerer = self._index, None, None
        if index is not None:
            index.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    # ---- the leaders' questions ---------------------------------------------------------------------------------

    @property
    def answerer(self) -> Answerer:
        """Hybrid retrieval plus the LLM when one is configured, else extractive answers (made once)."""
        with self._answerer_lock:
            if self._answerer is None:
                self._answerer = self.make_answerer()
            return self._answerer

    def make_answerer(
        self, mode: Mode = "hybrid", use_llm: bool | None = None, llm_passages: int | None = None
    ) -> Answerer:
        """An answerer with a given retrieval mode and answerer (the evaluation compares them); ``llm_passages``
        overrides the settings' number of passages the LLM reads."""
        retriever = HybridRetriever(self.index, self.embedder, mode=mode)
        if use_llm is None:
            use_llm = self.settings.llm_configured
        options = {
            "max_question_chars": self.settings.max_question_chars,
            "blog_field": self.settings.blog_field,
        }
        if not use_llm:
            return Answerer(retriever, **options)
        from assistant.answering.llm import make_llm

        return Answerer(
            retriever,
            make_llm(self.settings),
            llm_passages=llm_passages or self.settings.llm_passages,
            **options,
        )

    def ask(self, question: str, history: list[Turn] | None = None) -> Answer:
        """Answer one question in the context of the conversation so far."""
        return self.answerer.ask(question, history or [])

    def stream(self, question: str, history: list[Turn] | None = None) -> AnswerStream:
        """Like ``ask``, but iterate the returned stream for the text as it is written."""
        return self.answerer.stream(question, history or [])

    def suggestions(self, answer: Answer) -> list[str]:
        """Two or three questions to ask next, which the posts answer (written by the LLM when one is set)."""
        from assistant.answering.suggestions import suggest

        return suggest(answer, self.answerer.retriever, self.answerer.llm)

    # ---- the coach's actions ----------------------------------------------------------------------------------

    def ingest(
        self,
        paths: list[Path] | None = None,
        *,
        prune: bool = False,
        force: set[str] = frozenset(),
        progress: Progress | None = None,
    ) -> IngestReport:
        """Index new and changed posts under ``paths`` (default: the corpus); ``prune`` drops posts gone from it."""
        scan = self.corpus.scan(paths)
        gone = set(self.index.posts()) - self._corpus_slugs() if prune else set()
        files = {slug: str(path) for slug, path in scan.files.items()}
        report = sync(
            self.index,
            self.embedder,
            scan.posts,
            files,
            removed_slugs=gone,
            force=force,
            progress=progress,
            on_wait=self._on_wait,
        )
        report.errors = scan.errors
        self._embed_words(
            [scan.posts[slug] for slug in (*report.added, *report.updated) if slug in scan.posts]
        )
        return report

    def _embed_words(self, posts: list[Post]) -> None:
        """The posts' words embedded now, into the embedder's cache: English questions are translated into them
        (``bilingual.Vocabulary``), and the first one after a write should not wait for that."""
        embed_words(self.embedder, corpus_words(f"{post.title}\n{post.text}" for post in posts))

    def _corpus_slugs(self) -> set[str]:
        return {slugify(p.stem) for p in self.corpus.post_files()}

    def check(self, *, repair: bool = False, progress: Progress | None = None) -> CheckReport:
        """Compare corpus and index; with ``repair``, bring the index back in line with the corpus."""
        try:
            indexed = self.index.posts()
        except EmbedderMismatchError as error:
            if not repair:
                return CheckReport(embedder_problem=str(error))
            return CheckReport(embedder_problem=str(error), repaired=self.reindex(progress))
        scan = self.corpus.scan()
        counts = self.index.chunk_counts()
        report = CheckReport(
            missing=sorted(set(scan.posts) - set(indexed)),
            changed=sorted(
                slug
                for slug, post in scan.posts.items()
                if slug in indexed
                and (
                    indexed[slug].content_hash != post.content_hash()
                    or counts.get(slug, 0) != indexed[slug].chunks
                )
            ),
            orphaned_posts=sorted(set(indexed) - self._corpus_slugs()),
            orphaned_chunks=sum(n for slug, n in counts.items() if slug not in indexed),
            uncalibrated=not RelevanceGate.load(self.settings.embedder).calibrated,
            errors=scan.errors,
        )
        if repair and not report.ok:
            report.repaired = self.ingest(prune=True, force=set(report.changed), progress=progress)
            with self.index.write_lock(self._on_wait):
                self.index.delete_orphans(set(self.index.posts()))
        return report

    def load(self, path: Path, overrides: dict[str, object] | None = None, slug: str | None = None) -> Post:
        """Read and validate a file as a post without writing anything (for previews and ``add``)."""
        return load_post_for(self.settings, path, slug=slug, overrides=overrides)

    def read_upload(self, name: str, data: bytes) -> Post:
        """Read an uploaded file (its name and bytes) as ``load`` reads a file, writing nothing to the corpus.

        The name picks the format by its suffix and, for .txt, .html and .docx, may give the title; errors
        (``BadInputError``) name the upload as the uploader called it.
        """
        safe_name = re.sub(r"[^\w.\- ]+", "_", Path(name).name).strip(" .") or "upload"
        with tempfile.TemporaryDirectory(prefix="kompas-upload-") as folder:
            path = Path(folder) / safe_name
            path.write_bytes(data)
            try:
                return self.load(path)
            except BadInputError as error:
                raise BadInputError(name, error.problem, error.dutch) from None

    def read_pasted(
        self,
        text: str,
        fmt: str = AUTOMATIC,
        *,
        source: str = "pasted text",
        overrides: dict[str, object] | None = None,
    ) -> PastedPost:
        """Read pasted text as a post (``fmt``: md, txt, html, or ``auto`` to tell from the text itself)."""
        read_as = detect_format(text) if fmt == AUTOMATIC else fmt
        post = load_text(
            text, read_as, source=source, overrides=overrides, max_words=self.settings.max_post_words
        )
        return PastedPost(post, read_as)

    def add(
        self,
        paths: list[Path],
        *,
        overrides: dict[str, object] | None = None,
        replace: bool = False,
        progress: Progress | None = None,
    ) -> list[AddResult]:
        """Validate every file first, then write each into the corpus as Markdown and index it."""
        loaded = [(path, self.load(path, overrides)) for path in paths]
        return self.add_loaded(loaded, replace=replace, progress=progress)

    def add_loaded(
        self,
        loaded: list[tuple[Path | str, Post]],
        *,
        replace: bool = False,
        progress: Progress | None = None,
    ) -> list[AddResult]:
        """``add`` for posts already read (``load``, or a page by its address): check them together, then write
        and index each. The path or address only names a post in errors."""
        paths, posts = [path for path, _ in loaded], [post for _, post in loaded]
        slugs = [p.slug for p in posts]
        duplicate = next((s for s in slugs if slugs.count(s) > 1), None)
        if duplicate:
            raise BadInputError(
                paths[slugs.index(duplicate)], f"two files would both become post {duplicate!r}"
            )
        for path, post in loaded:
            try:
                self.corpus.check_writable(post, replace=replace)
            except PostConflictError as error:
                raise PostConflictError(f"{path}: {error}") from None
        return [self.add_post(post, replace=replace, progress=progress) for post in posts]

    def add_post(self, post: Post, *, replace: bool = False, progress: Progress | None = None) -> AddResult:
        """Write one validated post into the corpus and the index, together or not at all."""
        existing = self.corpus.check_writable(post, replace=replace)
        previous_text = existing.read_bytes() if existing else None
        prepared = prepare(post)
        total = len(prepared.windows)
        embedded = embed_post(
            prepared, self.embedder, progress=lambda done: progress and progress(post.slug, done, total)
        )
        with self.index.write_lock(self._on_wait):
            path, changed = self.corpus.write(post, replace=replace)
            record = dataclasses.replace(embedded.record, file=str(path))
            try:
                self.index.write_post(
                    record, embedded.chunks, embedded.chunk_vectors, embedded.windows, embedded.window_vectors
                )
            except Exception:
                self.corpus.restore(path, existing, previous_text)
                raise
        self._embed_words([post])
        return AddResult(post.slug, path, changed, len(embedded.chunks))

    def remove(self, slug: str) -> None:
        """Remove a post from the corpus and the index."""
        with self.index.write_lock(self._on_wait):
            in_index = slug in self.index.posts()
            try:
                self.corpus.remove(slug)
            except PostNotFoundError:
                if not in_index:
                    raise
            self.index.delete_post(slug)

    def posts(self) -> list[PostRecord]:
        """The indexed posts, newest first: from the catalog while no write has happened since it was written
        (the chat's sidebar asks on every page run, and reading every post record from Chroma costs ~30 ms at
        300 posts), else from the index."""
        listed = read_catalog(self.settings)
        if listed is not None:
            return [post_from_record(str(post["slug"]), post) for post in listed]
        return newest_first(self.index.posts().values())

    def reindex(self, progress: Progress | None = None) -> IngestReport:
        """Rebuild the whole index from the corpus, e.g. after changing the embedder or damage to the data folder."""
        self.close_index()  # the open one may refuse this embedder or sit on a damaged folder
        try:
            index = ChromaIndex(self.settings, self.settings.embedder, check_embedder=False)
        except IndexUnavailableError:
            if self.settings.chroma_host:
                raise
            index = ChromaIndex(
                self.settings, self.settings.embedder, check_embedder=False, set_aside_broken=True
            )
        with index.write_lock(self._on_wait):
            index.reset()
        index.close()
        return self.ingest(prune=True, progress=progress)
