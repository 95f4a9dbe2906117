"""The engine, made and warmed up in a background thread, so that the page shows while it loads.

Importing llama-index and chromadb and loading the embedder's model take seconds; a page that waited for them
would stay blank. The loader starts at once and the page asks ``ready`` before it uses the engine; a question
that comes before then waits for it (``engine()``), and every session that shows "loading" waits on the same
event (``wait_for_index``) instead of asking again and again.

    loader = EngineLoader(lambda: Engine(settings))
    if loader.ready: ...
    engine = loader.engine()   # waits while it loads
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.errors import AssistantError

if TYPE_CHECKING:
    from assistant.engine import Engine

log = logging.getLogger(__name__)


class EngineLoader:
    """Makes the engine with ``make`` in a thread of its own, then warms it up (model, index, answerer).

    A failure to warm up (the index unreachable, say) is logged and left to the engine's next use, which tries
    again and says what is wrong; a failure to make the engine at all (bad settings) is raised by ``engine()``.
    """

    def __init__(self, make: Callable[[], Engine]):
        self._make = make
        self._done = threading.Event()
        self._index_tried = threading.Event()
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._error: BaseException | None = None
        self._closed = False
        self.seconds: float | None = None  # how long making and warming up took, once done
        self._thread = threading.Thread(target=self._load, name="kompas-engine-loader", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        started = time.perf_counter()
        try:
            engine = self._make()
        except BaseException as error:  # handed to whoever asks for the engine
            self._error = error
            self._done.set()
            self._index_tried.set()
            return
        with self._lock:
            self._engine = engine
        try:
            engine.index  # noqa: B018  (first, and on its own: the page's list of posts needs only the index)
            self._index_tried.set()
            engine.warm_up()
        except AssistantError as error:
            log.warning("Kompas could not warm up; the next question tries again: %s", error)
        finally:
            with self._lock:
                closed = self._closed
            if closed:  # released while it was loading: what the warm-up opened must not stay open
                engine.close()
            self.seconds = time.perf_counter() - started
            log.info("Kompas is ready after %.2f s", self.seconds)
            self._index_tried.set()
            self._done.set()

    @property
    def ready(self) -> bool:
        """Whether the engine is made and warmed up (or has failed to), so that using it will not wait."""
        return self._done.is_set()

    def wait_for_index(self, timeout_s: float) -> bool:
        """Wait until the engine has tried to open the index (or failed to be made); return whether it has."""
        return self._index_tried.wait(timeout_s)

    def engine_with_index(self) -> Engine | None:
        """The engine once it has tried to open the index, its model perhaps still loading (for what needs only
        the index), else None."""
        if not self._index_tried.is_set():
            return None
        with self._lock:
            return self._engine

    def engine(self, timeout_s: float | None = None) -> Engine:
        """The engine, waiting while it loads; raises what stopped it being made, or ``TimeoutError``."""
        if not self._done.wait(timeout_s):
            raise TimeoutError("the engine is still loading")
        if self._error is not None:
            raise self._error
        assert self._engine is not None
        return self._engine

    def close(self) -> None:
        """Close the engine (now if it is made, else as soon as it is); safe to call more than once."""
        with self._lock:
            self._closed = True
            engine = self._engine
        if engine is not None:
            engine.close()
