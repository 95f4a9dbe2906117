"""A real OpenAI-compatible chat server on 127.0.0.1: ``POST /v1/chat/completions``, plain JSON or streamed (SSE).

The real ``openai`` client (through llama-index) talks to it over HTTP, so what Kompas sends and how it reads the
reply are exercised exactly as against a hosted model. Subclasses decide the reply: the tests' scripted server
(``tests/openai_server.py``) and the record-and-replay server (``replay.py``).

    class Echo(ChatServer):
        def reply(self, request):
            return Completion(request.user_message)

    with Echo() as server:
        settings = Settings(openai_base_url=server.base_url, openai_api_key="any")
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROUTE = "/v1/chat/completions"


@dataclass(frozen=True)
class ChatRequest:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    body: dict

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", [])

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))

    @property
    def system_prompt(self) -> str:
        return next((m["content"] for m in self.messages if m["role"] == "system"), "")

    @property
    def user_message(self) -> str:
        return next((m["content"] for m in reversed(self.messages) if m["role"] == "user"), "")

    def sources(self) -> dict[int, str]:
        """The fenced sources of an answer request: ``{n: text}`` from ``<bron n="n" ...>text</bron>``."""
        found = re.findall(r'<bron n="(\d+)"[^>]*>\n(.*?)\n</bron>', self.user_message, re.DOTALL)
        return {int(n): text for n, text in found}


@dataclass(frozen=True)
class Completion:
    """The model's reply text; streamed, one word each ``word_delay_s`` (a model that writes slowly)."""

    text: str
    word_delay_s: float = 0.0


@dataclass(frozen=True)
class Failure:
    """An error response, in the shape OpenAI's API sends (the client raises the matching exception)."""

    status: int
    message: str
    kind: str = "invalid_request_error"
    code: str | None = None


def tokens(text: str) -> list[str]:
    """Split a reply into the pieces streamed one chunk each: words with their trailing space."""
    return re.findall(r"\S+\s*|\s+", text)


class ChatServer:
    """A threaded chat-completions server on a free port of 127.0.0.1; ``reply`` says what to answer."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="chat-server", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def reply(self, request: ChatRequest) -> Completion | Failure | None:
        """The answer to one request; ``None`` sends nothing (the server is stopping)."""
        raise NotImplementedError

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()  # wakes handlers that are waiting before they reply
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _respond(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        try:
            body = json.loads(handler.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            return _send_error(handler, Failure(400, "the request body is not JSON"))
        request = ChatRequest(handler.path, dict(handler.headers), body)
        if handler.path.rstrip("/") != ROUTE:
            return _send_error(handler, Failure(404, f"no route {handler.path}", "not_found"))
        answer = self.reply(request)
        if answer is None:
            return
        if isinstance(answer, Failure):
            return _send_error(handler, answer)
        model = body.get("model", "test-model")
        if request.stream:
            return _send_stream(handler, model, answer, self.stopping)
        return _send_json(handler, 200, _completion(model, answer.text))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                # The client may have given up (a timeout test): then there is nobody to answer.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    server._respond(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def _completion(model: str, text: str) -> dict:
    return {
        "id": "chatcmpl-local",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _send_error(handler: BaseHTTPRequestHandler, failure: Failure) -> None:
    error = {"message": failure.message, "type": failure.kind, "code": failure.code}
    _send_json(handler, failure.status, {"error": error})


def _send_json(handler: BaseHTTPRequestHandler, status: int, payload: dict) -> None:
    data = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def _send_stream(
    handler: BaseHTTPRequestHandler, model: str, answer: Completion, stopping: threading.Event
) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/event-stream")
    handler.send_header("Cache-Control", "no-cache")
    handler.end_headers()

    def chunk(delta: dict, finish_reason: str | None = None) -> None:
        payload = {
            "id": "chatcmpl-local",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
        }
        handler.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
        handler.wfile.flush()

    chunk({"role": "assistant", "content": ""})
    for piece in tokens(answer.text):
        if answer.word_delay_s and stopping.wait(answer.word_delay_s):
            return
        chunk({"content": piece})
    chunk({}, "stop")
    handler.wfile.write(b"data: [DONE]\n\n")
    handler.wfile.flush()
