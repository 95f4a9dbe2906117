"""One leader's browser tab, played over Streamlit's own protocol: what ``assistant bench --web`` sends a crowd of.

A tab fetches the page and its entry scripts, opens ``/_stcore/stream`` and speaks the browser's protobuf
messages (``BackMsg`` up, ``ForwardMsg`` down, both shipped with streamlit): a first run of the page, the chat
question as the chat input's value, and the reruns a fragment with ``run_every`` asks for (the browser sends those
on a timer; so does this tab). It keeps no page but the current run's chat messages, so that a hundred tabs cost
the generator little and the figures are the server's.

Per tab it records the seconds from arrival to the chat input, from each question to its answer's text, and what
went wrong: an error or warning on the page, an exception, a question that no run answered (lost), a dropped
connection.

    result = await BrowserTab(url, ["Hoe geef ik feedback?"], http=client).run(arrived=time.perf_counter())
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

# What a browser reports about itself with every rerun (a Dutch leader's browser).
CONTEXT = {"timezone": "Europe/Amsterdam", "timezone_offset": -60, "locale": "nl-NL", "color_scheme": "light"}
_ENTRY_ASSETS = re.compile(r'<(?:script|link)[^>]+(?:src|href)="\./(static/[^"]+\.(?:js|css))"')
LOST_AFTER_IDLE_S = (
    3.0  # a question whose page went idle without its answer, and stayed so this long, is lost
)
_PROBLEMS = {Alert.ERROR: "error", Alert.WARNING: "warning"}


@dataclass
class TabResult:
    """What one tab saw; times in seconds."""

    input_s: float | None = None  # from arrival until the chat input was drawn
    answers_s: list[float] = field(default_factory=list)  # from each question sent until its answer's text
    asked: int = 0
    lost: list[str] = field(default_factory=list)  # questions the page dropped: never answered, or vanished
    errors: list[str] = field(default_factory=list)  # exceptions, error messages, failed questions, timeouts
    warnings: list[str] = field(
        default_factory=list
    )  # the page's other warnings ("only related passages", ...)


@dataclass
class _Message:
    """A chat message of the current run: who speaks, the Markdown texts and the alerts in it."""

    name: str
    texts: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)


class _Run:
    """The chat messages and the problems of one full run of the page, as its deltas arrive."""

    def __init__(self, started: float):
        self.started = started
        self.messages: dict[tuple[int, ...], _Message] = {}  # by block path, in the order drawn
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.finished: int | None = None  # ScriptFinishedStatus

    def apply(self, msg: ForwardMsg) -> None:
        delta, path = msg.delta, tuple(msg.metadata.delta_path)
        if delta.HasField("add_block") and delta.add_block.HasField("chat_message"):
            self.messages[path] = _Message(delta.add_block.chat_message.name)
            return
        if not delta.HasField("new_element"):
            return
        element, message = delta.new_element, self.messages.get(path[:-1])
        kind = element.WhichOneof("type")
        if kind == "markdown" and message is not None and element.markdown.body.strip():
            message.texts.append(element.markdown.body.replace("\\", ""))
        elif kind == "exception":
            self.errors.append(f"exception: {element.exception.type}: {element.exception.message[:200]}")
        elif kind == "alert" and element.alert.format in _PROBLEMS:
            alert = f"{_PROBLEMS[element.alert.format]}: {element.alert.body[:200]}"
            if message is not None:
                message.alerts.append(alert)
            (self.errors if element.alert.format == Alert.ERROR else self.warnings).append(alert)

    def reply_to(self, question: str) -> _Message | None:
        """The assistant's message after ``question`` on this run's page, if it is there yet."""
        said = False
        for message in self.messages.values():
            if message.name == "user":
                said = question in message.texts
            elif said and message.name == "assistant":
                return message
        return None

    def conversation(self) -> list[str]:
        """The leader's questions on the page, in order."""
        return [" ".join(m.texts) for m in self.messages.values() if m.name == "user"]


class BrowserTab:
    """A tab on ``url`` that asks ``questions`` one after another: the first ``think_s`` after the chat input
    shows, each next one ``think_s`` after the previous answer's text shows (at once by default). A ``first_visit`` fetches every script the page names, as a browser with nothing
    cached does; otherwise only the page (Streamlit's scripts are cacheable for a year, and a tab that reconnects
    after a restart has them loaded)."""

    def __init__(
        self,
        url: str,
        questions: list[str],
        *,
        http: httpx.AsyncClient,
        think_s: float = 0.0,
        timeout_s: float = 180.0,
        first_visit: bool = False,
    ):
        self.url = url.rstrip("/")
        self.questions = questions
        self.http = http
        self.think_s = think_s
        self.timeout_s = timeout_s
        self.first_visit = first_visit
        self.result = TabResult()
        self._socket: ClientConnection | None = None
        self._run: _Run | None = None
        self._page_hash = ""
        self._chat_input_id = ""
        self._changed = asyncio.Condition()
        self._timers: dict[str, asyncio.Task] = {}
        self._problems_seen: set[str] = set()

    async def run(self, arrived: float) -> TabResult:
        """Visit, ask every question, and wait for the page to settle; never raises."""
        try:
            await asyncio.wait_for(self._visit(arrived), self.timeout_s * (1 + len(self.questions)))
        except Exception as error:  # a timeout, a dropped connection: this tab's failure, not the crowd's
            self.result.errors.append(f"{type(error).__name__}: {error}")
        finally:
            for timer in self._timers.values():
                timer.cancel()
        return self.result

    async def _visit(self, arrived: float) -> None:
        await self._load_page()
        ws_url = "ws" + self.url.removeprefix("http") + "/_stcore/stream"
        async with connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=None) as socket:
            self._socket = socket
            reader = asyncio.create_task(self._read())
            try:
                await self._rerun()
                await self._until(lambda: bool(self._chat_input_id), "the chat input")
                self.result.input_s = time.perf_counter() - arrived
                for question in self.questions:
                    await asyncio.sleep(self.think_s)
                    await self._ask(question)
                await self._until(self._settled, "the page to settle")
                self._check_conversation()
            finally:
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader

    async def _load_page(self) -> None:
        """What a browser fetches before it opens the socket: the page (on a first visit with the scripts it
        names), the health check and the host's configuration."""
        page = await self.http.get(self.url + "/")
        page.raise_for_status()
        for asset in dict.fromkeys(_ENTRY_ASSETS.findall(page.text)) if self.first_visit else ():
            (await self.http.get(f"{self.url}/{asset}")).raise_for_status()
        for endpoint in ("/_stcore/health", "/_stcore/host-config"):
            (await self.http.get(self.url + endpoint)).raise_for_status()

    async def _ask(self, question: str) -> None:
        asked = time.perf_counter()
        self.result.asked += 1
        await self._rerun(chat=question)
        what = f"an answer to {question!r}"
        while (outcome := await self._until(lambda: self._outcome(question, asked), what)) == "idle":
            # A run that began after the question ended without answering it. Lost, unless another run starts.
            idle = self._run
            try:
                await self._until(lambda idle=idle: self._run is not idle, what, timeout_s=LOST_AFTER_IDLE_S)
            except TimeoutError:
                break
        if outcome == "answered":
            self.result.answers_s.append(time.perf_counter() - asked)
        elif outcome == "failed":
            self.result.errors.append(
                f"no answer to {question!r}: {'; '.join(self._run.reply_to(question).alerts)}"
            )
        else:
            self.result.lost.append(question)

    def _outcome(self, question: str, asked: float) -> str | None:
        """ "answered" (text shows), "failed" (an alert instead), "idle" (a run after the question ended without
        it), or None (not yet)."""
        run = self._run
        if run is None:
            return None
        reply = run.reply_to(question)
        if reply is not None and reply.texts:
            return "answered"
        if reply is not None and reply.alerts:
            return "failed"
        if run.started > asked and run.finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            return "idle"
        return None

    def _settled(self) -> bool:
        return self._run is not None and self._run.finished == ForwardMsg.FINISHED_SUCCESSFULLY

    def _check_conversation(self) -> None:
        """Every question answered must still be on the page, in order: an answer that vanished is lost too."""
        shown = self._run.conversation() if self._run else []
        answered = [q for q in self.questions if q not in self.result.lost]
        for question in answered:
            if question not in shown:
                self.result.lost.append(question)

    async def _until(self, condition: Callable[[], object], what: str, timeout_s: float | None = None):
        """Wait until ``condition`` (checked after every message) is true; return its value."""
        timeout_s = timeout_s or self.timeout_s
        async with self._changed:
            try:
                return await asyncio.wait_for(self._changed.wait_for(condition), timeout_s)
            except TimeoutError:
                raise TimeoutError(f"no {what} within {timeout_s:.0f} s") from None

    async def _rerun(self, chat: str | None = None, fragment_id: str = "") -> None:
        msg = BackMsg()
        state = msg.rerun_script
        for name, value in CONTEXT.items():
            setattr(state.context_info, name, value)
        state.context_info.url = self.url + "/"
        if self._page_hash:
            state.page_script_hash = self._page_hash
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        if chat is not None:
            widget = state.widget_states.widgets.add()
            widget.id = self._chat_input_id
            widget.chat_input_value.data = chat
            widget.chat_input_value.file_uploader_state.SetInParent()
        assert self._socket is not None
        await self._socket.send(msg.SerializeToString())

    async def _read(self) -> None:
        assert self._socket is not None
        async for frame in self._socket:
            msg = ForwardMsg()
            msg.ParseFromString(frame)
            async with self._changed:
                self._handle(msg)
                self._changed.notify_all()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            if not msg.metadata.run.fragment_ids:  # a full run: the browser forgets its fragments' timers
                self._run = _Run(time.perf_counter())
                self._page_hash = msg.new_session.page_script_hash or self._page_hash
                for timer in self._timers.values():
                    timer.cancel()
                self._timers.clear()
        elif kind == "delta":
            if msg.delta.new_element.WhichOneof("type") == "chat_input":
                self._chat_input_id = msg.delta.new_element.chat_input.id
            if self._run is not None and not msg.delta.fragment_id:
                self._run.apply(msg)
                self._note(self._run.errors, self.result.errors)
                self._note(self._run.warnings, self.result.warnings)
        elif kind == "script_finished":
            if self._run is not None and not msg.metadata.run.fragment_ids:
                self._run.finished = msg.script_finished
        elif kind == "auto_rerun":
            rerun = msg.auto_rerun
            if rerun.fragment_id and rerun.fragment_id not in self._timers:
                self._timers[rerun.fragment_id] = asyncio.create_task(
                    self._every(rerun.interval, rerun.fragment_id)
                )
        elif kind == "stop_auto_rerun":
            for fragment_id in msg.stop_auto_rerun.fragment_ids:
                timer = self._timers.pop(fragment_id, None)
                if timer is not None:
                    timer.cancel()

    def _note(self, seen: list[str], noted: list[str]) -> None:
        """Note each problem once per tab (every run draws the page's problems again)."""
        for problem in seen:
            if problem not in self._problems_seen:
                self._problems_seen.add(problem)
                noted.append(problem)

    async def _every(self, interval_s: float, fragment_id: str) -> None:
        while True:
            await asyncio.sleep(interval_s)
            await self._rerun(fragment_id=fragment_id)
