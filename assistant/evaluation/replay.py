"""Recorded completions: an OpenAI-compatible server that replays the replies recorded for exact requests.

No LLM can be reached from the machines Kompas is built on, so its LLM path is measured and tested with recorded
replies. A reply is recorded for one exact request: the key is a hash of what decides the reply (the model, the
messages and the sampling parameters, not whether it is streamed), so a changed prompt or another passage in it
is "not recorded". The server writes every request it has no reply for to the pending file (once each) and
answers it with HTTP 400; Kompas then falls back as when a model fails, and the run completes. Someone writes a
reply per pending key (for Kompas's own recordings: a helper session standing in for a capable model, seeing only
the pending messages; see ``eval/recordings/README.md``), ``Recordings.add_replies`` files them, and the next run
replays them. A conversation needs a round per turn: a later turn's request holds the earlier replies.

A recordings folder holds:

- ``recordings.jsonl``: one ``{"key", "request", "reply"}`` per line, the request being what the key hashes;
- ``settings.json``: what they were made with (model name, index, passages), written by the run that recorded;
- ``pending.jsonl``: one ``{"key", "model", "messages", ...}`` per line, the requests the last run found no reply
  for; the replies come back as ``{"key", "reply"}`` lines.

    recordings = Recordings(Path("eval/recordings/ci"))
    with ReplayServer(recordings) as server:
        settings = Settings(openai_base_url=server.base_url, openai_api_key="replay", llm_model=recordings.model)
        ...
    server.missing          # the requests that had no reply, also in recordings.pending_path
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from assistant.config import Settings
from assistant.errors import BadInputError
from assistant.evaluation.chat_server import ChatRequest, ChatServer, Completion, Failure
from assistant.jsonl import read_jsonl

RECORDINGS = "recordings.jsonl"
PENDING = "pending.jsonl"
SETTINGS = "settings.json"
# The model name requests are made with when a folder's settings name none: a stand-in, not a vendor's model.
STAND_IN_MODEL = "stand-in"
# What decides a reply. ``stream`` and ``stream_options`` only change how it is delivered; ``user`` and the like
# are bookkeeping.
KEYED = (
    "model",
    "messages",
    "temperature",
    "top_p",
    "max_tokens",
    "max_completion_tokens",
    "stop",
    "seed",
    "n",
    "presence_penalty",
    "frequency_penalty",
    "logit_bias",
    "response_format",
    "tools",
    "tool_choice",
)


def keyed_request(body: dict) -> dict:
    """The parts of a chat request that decide its reply."""
    return {name: body[name] for name in KEYED if name in body}


def request_key(body: dict) -> str:
    """A short hash of ``keyed_request(body)``: equal for requests that must get the same reply."""
    canonical = json.dumps(keyed_request(body), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Pending:
    """A request without a recorded reply."""

    key: str
    request: dict

    def to_json(self) -> dict:
        return {"key": self.key, **self.request}


@dataclass(frozen=True)
class Added:
    """What ``add_replies`` filed: replies added, and pending requests still without one."""

    added: int
    still_pending: int


class Recordings:
    """A folder of recorded replies (see the module docstring), read once."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.replies: dict[str, str] = {}
        self.requests: dict[str, dict] = {}
        path = folder / RECORDINGS
        if path.exists():
            for number, item in read_jsonl(path):
                if not (isinstance(item, dict) and isinstance(item.get("request"), dict)):
                    raise BadInputError(path, f'line {number} needs "request" (an object) and "reply"')
                if not isinstance(item.get("reply"), str):
                    raise BadInputError(path, f'line {number} needs "reply": the text of the reply')
                # Keyed anew from the stored request, so recordings outlive a change to the key's hash.
                key = request_key(item["request"])
                self.replies[key] = item["reply"]
                self.requests[key] = item["request"]

    @property
    def pending_path(self) -> Path:
        return self.folder / PENDING

    @property
    def made_with(self) -> dict:
        """The settings the recordings were made with (empty for a new folder)."""
        path = self.folder / SETTINGS
        if not path.exists():
            return {}
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise BadInputError(path, f"cannot read it ({error})") from None

    @property
    def model(self) -> str:
        """The model name to request, so that the keys match the recorded ones."""
        return str(self.made_with.get("model") or STAND_IN_MODEL)

    def note_made_with(self, settings: dict) -> None:
        """Record what the requests of this run were made with (the run that writes pending requests)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"model": self.model, **settings}, indent=2, ensure_ascii=False, sort_keys=True)
        (self.folder / SETTINGS).write_text(text + "\n", encoding="utf-8")

    def reply(self, key: str) -> str | None:
        return self.replies.get(key)

    def add_replies(self, replies_file: Path) -> Added:
        """File the replies of ``replies_file`` (``{"key", "reply"}`` lines) for the pending requests they answer.

        Every reply is checked before anything is written: a key that is not pending, or a line without a reply,
        is an error naming the line, and nothing changes.
        """
        pending = {p.key: p for p in read_pending(self.pending_path)}
        answered: dict[str, str] = {}
        for number, item in read_jsonl(replies_file):
            if not isinstance(item, dict) or not isinstance(item.get("key"), str):
                raise BadInputError(replies_file, f'line {number} needs "key" and "reply"')
            if not isinstance(item.get("reply"), str) or not item["reply"].strip():
                raise BadInputError(replies_file, f"line {number} ({item['key']}) has no reply text")
            if item["key"] not in pending and item["key"] not in self.replies:
                raise BadInputError(
                    replies_file,
                    f"line {number}: {item['key']} is not a pending request of {self.pending_path}",
                )
            if item["key"] in pending:
                answered[item["key"]] = item["reply"]
        lines = [
            json.dumps(
                {"key": key, "request": pending[key].request, "reply": reply},
                ensure_ascii=False,
                sort_keys=True,
            )
            for key, reply in answered.items()
        ]
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / RECORDINGS).open("a", encoding="utf-8") as out:
            out.writelines(line + "\n" for line in lines)
        for key, reply in answered.items():
            self.replies[key] = reply
            self.requests[key] = pending[key].request
        left = [p for key, p in pending.items() if key not in answered]
        write_pending(self.pending_path, left)
        return Added(len(answered), len(left))


def read_pending(path: Path) -> list[Pending]:
    """The requests of a pending file (none if there is no file)."""
    if not path.exists():
        return []
    found = []
    for number, item in read_jsonl(path):
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise BadInputError(path, f'line {number} is not a pending request (no "key")')
        request = {k: v for k, v in item.items() if k != "key"}
        found.append(Pending(item["key"], request))
    return found


def write_pending(path: Path, pending: list[Pending]) -> None:
    """Write the pending requests, or remove the file when there are none (nothing left to answer)."""
    if not pending:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(p.to_json(), ensure_ascii=False) + "\n" for p in pending)
    path.write_text(text, encoding="utf-8")


class ReplayServer(ChatServer):
    """Answers recorded requests with their reply; writes every other one to the pending file, answering 400.

    The pending file starts empty: after a run it holds exactly the requests that run could not replay. Inside
    ``conversation()``, a request after an unrecorded one is answered 400 but not written: it holds the fallback
    to the first (a heuristic rewrite, quotes in the history), and would be asked differently once that one has its
    reply, so replying to it would be wasted work.
    """

    def __init__(self, recordings: Recordings, pending_path: Path | None = None):
        super().__init__()
        self.recordings = recordings
        self.pending_path = pending_path or recordings.pending_path
        self.missing: list[Pending] = []
        self.served: list[str] = []  # the keys of the replies replayed, in order
        self.held = 0  # requests not written because an earlier one of their conversation was not recorded
        self._lock = threading.Lock()
        self._conversation_missed: bool | None = None  # None: not inside a conversation
        write_pending(self.pending_path, [])

    @contextmanager
    def conversation(self) -> Iterator[None]:
        """Mark the requests of one conversation (one evaluation case, one test): see the class docstring."""
        with self._lock:
            self._conversation_missed = False
        try:
            yield
        finally:
            with self._lock:
                self._conversation_missed = None

    def reply(self, request: ChatRequest) -> Completion | Failure:
        key = request_key(request.body)
        text = self.recordings.reply(key)
        with self._lock:
            if text is not None:
                self.served.append(key)
                return Completion(text)
            if self._conversation_missed:
                self.held += 1
                return Failure(
                    400, f"not recorded: request {key} follows an unrecorded request (not written)"
                )
            if self._conversation_missed is False:
                self._conversation_missed = True
            if all(p.key != key for p in self.missing):
                pending = Pending(key, keyed_request(request.body))
                self.missing.append(pending)
                self.pending_path.parent.mkdir(parents=True, exist_ok=True)
                with self.pending_path.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(pending.to_json(), ensure_ascii=False) + "\n")
        return Failure(400, f"not recorded: no reply for request {key} (written to {self.pending_path})")


@contextmanager
def replaying(
    settings: Settings, folder: Path, pending_path: Path | None = None
) -> Iterator[tuple[Settings, ReplayServer]]:
    """``settings`` with the LLM pointed at a replay server on the recordings in ``folder`` (no key, no network);
    requests without a reply go to ``pending_path`` (default: the folder's pending file)."""
    recordings = Recordings(folder)
    with ReplayServer(recordings, pending_path) as server:
        update = {
            "openai_base_url": server.base_url,
            "openai_api_key": SecretStr("replay"),
            "llm_model": recordings.model,
        }
        yield settings.model_copy(update=update), server
