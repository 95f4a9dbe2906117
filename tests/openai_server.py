"""A real OpenAI-compatible chat server for tests: ``POST /v1/chat/completions``, plain JSON or streamed (SSE).

The real ``openai`` client (through llama-index) talks to it over HTTP on 127.0.0.1. Each test scripts the
reply (a text, or a function of the request's messages), a delay before replying (and between streamed words),
or an HTTP error, and then reads the requests the server received.

    with OpenAIServer() as server:
        server.script(reply="Vertrouwen groeit in kleine momenten [1].")
        settings = Settings(openai_base_url=server.base_url, openai_api_key="test-key")
        ...
        server.requests[-1].system_prompt
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Reply = str | Callable[[list[dict]], str]

_ERRORS = {
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    429: ("rate_limit_exceeded", "rate_limit_exceeded", "Rate limit reached."),
    500: ("server_error", None, "The server had an error while processing your request."),
}


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


def tokens(text: str) -> list[str]:
    """Split a reply into the pieces streamed one chunk each: words with their trailing space."""
    return re.findall(r"\S+\s*|\s+", text)


class OpenAIServer:
    """A threaded chat-completions server on a free port of 127.0.0.1, scripted per test."""

    def __init__(self) -> None:
        self.requests: list[ChatRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.script()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="openai-server", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def script(
        self, reply: Reply = "", *, delay_s: float = 0.0, word_delay_s: float = 0.0, status: int | None = None
    ) -> None:
        """Set how the next requests are answered, and forget the requests received so far."""
        if status is not None and status not in _ERRORS:
            raise ValueError(f"no error body for status {status}: use one of {sorted(_ERRORS)}")
        with self._lock:
            self.reply, self.delay_s, self.status = reply, delay_s, status
            self.word_delay_s = word_delay_s
            self.requests = []

    def __enter__(self) -> OpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()  # wakes handlers still sleeping out a delay
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _respond(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = json.loads(handler.rfile.read(length) or b"{}")
        request = ChatRequest(handler.path, dict(handler.headers), body)
        with self._lock:
            self.requests.append(request)
            reply, delay_s, status, word_delay_s = self.reply, self.delay_s, self.status, self.word_delay_s
        if delay_s and self._stopping.wait(delay_s):
            return
        if handler.path.rstrip("/") != "/v1/chat/completions":
            return _send_json(handler, 404, {"error": {"message": f"no route {handler.path}", "type": "nf"}})
        if status is not None:
            kind, code, message = _ERRORS[status]
            return _send_json(handler, status, {"error": {"message": message, "type": kind, "code": code}})
        text = reply(request.messages) if callable(reply) else reply
        model = body.get("model", "test-model")
        if request.stream:
            return _send_stream(handler, model, text, word_delay_s, self._stopping)
        return _send_json(
            handler,
            200,
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            },
        )

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


def _send_json(handler: BaseHTTPRequestHandler, status: int, payload: dict) -> None:
    data = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def _send_stream(
    handler: BaseHTTPRequestHandler, model: str, text: str, word_delay_s: float, stopping: threading.Event
) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/event-stream")
    handler.send_header("Cache-Control", "no-cache")
    handler.end_headers()

    def chunk(delta: dict, finish_reason: str | None = None) -> None:
        payload = {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
        }
        handler.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
        handler.wfile.flush()

    chunk({"role": "assistant", "content": ""})
    for piece in tokens(text):
        if word_delay_s and stopping.wait(word_delay_s):
            return
        chunk({"content": piece})
    chunk({}, "stop")
    handler.wfile.write(b"data: [DONE]\n\n")
    handler.wfile.flush()
