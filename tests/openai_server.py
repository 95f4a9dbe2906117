"""The tests' scripted OpenAI-compatible server: each test sets the reply and reads the requests received.

The real ``openai`` client (through llama-index) talks to it over HTTP on 127.0.0.1
(``assistant.evaluation.chat_server``). A test scripts the reply (a text, or a function of the request's messages),
a delay before replying (and between streamed words), or an HTTP error, and then reads the requests the server
received.

    with OpenAIServer() as server:
        server.script(reply="Vertrouwen groeit in kleine momenten [1].")
        settings = Settings(openai_base_url=server.base_url, openai_api_key="test-key")
        ...
        server.requests[-1].system_prompt
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from assistant.evaluation.chat_server import ChatRequest, ChatServer, Completion, Failure, tokens

Reply = str | Callable[[list[dict]], str]

_ERRORS = {
    401: Failure(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    429: Failure(429, "Rate limit reached.", "rate_limit_exceeded", "rate_limit_exceeded"),
    500: Failure(500, "The server had an error while processing your request.", "server_error"),
}

__all__ = ["ChatRequest", "OpenAIServer", "tokens"]


class OpenAIServer(ChatServer):
    """A chat-completions server on a free port of 127.0.0.1, scripted per test."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[ChatRequest] = []
        self._lock = threading.Lock()
        self.script()

    def script(
        self, reply: Reply = "", *, delay_s: float = 0.0, word_delay_s: float = 0.0, status: int | None = None
    ) -> None:
        """Set how the next requests are answered, and forget the requests received so far."""
        if status is not None and status not in _ERRORS:
            raise ValueError(f"no error body for status {status}: use one of {sorted(_ERRORS)}")
        with self._lock:
            self._reply, self.delay_s, self.status = reply, delay_s, status
            self.word_delay_s = word_delay_s
            self.requests = []

    def reply(self, request: ChatRequest) -> Completion | Failure | None:
        with self._lock:
            self.requests.append(request)
            reply, delay_s, status, word_delay_s = self._reply, self.delay_s, self.status, self.word_delay_s
        if delay_s and self.stopping.wait(delay_s):
            return None
        if status is not None:
            return _ERRORS[status]
        return Completion(reply(request.messages) if callable(reply) else reply, word_delay_s)
