"""Who may open the coach's page, and how often anyone may try something: sliding one-minute windows.

The coach's password is compared in constant time; login attempts are limited per browser session (a
``LoginThrottle`` in its session state) and per client across all its sessions (one ``ClientThrottle`` per
process, keyed by a salted hash of the address: the address itself is never stored). The chat limits questions
per session with a ``SlidingWindow``. ``same_origin`` keeps other sites from posting to the login routes. No
Streamlit here: the pages and routes pass in what they read from the settings, the secrets, the session,
``st.context`` and the request.

    throttle = LoginThrottle(settings.login_attempts_per_session)
    if throttle.allowed(now) and clients.attempt(client_address(ip, headers), now) == 0: ...
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # pydantic-settings is slow to import, and the login routes load before the server answers
    from assistant.config import Settings

WINDOW_S = 60.0
LOCAL_CLIENT = "local"
# Headers a reverse proxy on this machine sets to the address it serves (nginx, Caddy, Traefik…).
_FORWARDED_HEADERS = ("x-forwarded-for", "x-real-ip")
_LOOPBACK = {"127.0.0.1", "::1"}


def configured_password(settings: Settings, secrets: Mapping[str, object] | None = None) -> str | None:
    """The coach's password: ``ASSISTANT_ADMIN_PASSWORD`` first, else ``admin_password`` in Streamlit secrets."""
    if settings.admin_password is not None and settings.admin_password.get_secret_value():
        return settings.admin_password.get_secret_value()
    value = (secrets or {}).get("admin_password")
    return str(value) if value else None


def password_matches(given: str, expected: str) -> bool:
    """Compare in constant time, so the answer's timing tells nothing about how much was right."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass
class SlidingWindow:
    """At most ``limit`` events in any ``window_s`` seconds (one browser session's, kept in its state)."""

    limit: int
    window_s: float = WINDOW_S
    times: list[float] = field(default_factory=list)

    def _recent(self, now: float) -> list[float]:
        self.times = [t for t in self.times if now - t < self.window_s]
        return self.times

    def allowed(self, now: float) -> bool:
        return len(self._recent(now)) < self.limit

    def record(self, now: float) -> None:
        self._recent(now).append(now)

    def wait_s(self, now: float) -> float:
        """Seconds until the next event is allowed (0 if it is now)."""
        recent = self._recent(now)
        if len(recent) < self.limit:
            return 0.0
        return max(0.0, recent[-self.limit] + self.window_s - now)


@dataclass
class LoginThrottle(SlidingWindow):
    """At most ``limit`` login attempts in any ``window_s`` seconds (kept per browser session)."""


def client_address(ip_address: object, headers: Mapping[str, str] | None) -> str:
    """The best the server knows of who is connecting: the connection's address, else the address a reverse
    proxy on this machine forwarded, else ``"local"``.

    Streamlit gives no address for connections from this machine (a local user, or a proxy in front of the
    app), and a loopback address counts as none here too (the login route sees the connection's own); a proxy
    names its client last in ``X-Forwarded-For``, so the last entry is taken: earlier ones are whatever the
    client claimed. A remote connection's own address always wins over its headers.
    """
    if isinstance(ip_address, str) and ip_address.strip() and ip_address.strip() not in _LOOPBACK:
        return ip_address.strip()
    lowered = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    for name in _FORWARDED_HEADERS:
        entries = [e.strip() for e in lowered.get(name, "").split(",") if e.strip()]
        if entries:
            return entries[-1]
    return LOCAL_CLIENT


class ClientThrottle:
    """At most ``limit`` attempts per client in any ``window_s`` seconds, across all of its browser sessions.

    Shared by every session of the process (thread-safe) and kept in memory only. A client is known by an
    HMAC of its address under a random salt made at start-up: the address is never stored, and the keys mean
    nothing after a restart.
    """

    def __init__(self, limit: int, window_s: float = WINDOW_S, max_clients: int = 10_000):
        self.limit, self.window_s, self.max_clients = limit, window_s, max_clients
        self._salt = secrets.token_bytes(16)
        self._lock = threading.Lock()
        self._attempts: dict[str, deque[float]] = {}

    def key(self, address: str) -> str:
        """The salted hash a client is kept under."""
        return hmac.new(self._salt, address.encode("utf-8"), hashlib.sha256).hexdigest()

    def attempt(self, address: str, now: float) -> float:
        """Count an attempt if the client may make one now and return 0; else return the seconds to wait."""
        key = self.key(address)
        with self._lock:
            recent = self._attempts.get(key) or deque()
            while recent and now - recent[0] >= self.window_s:
                recent.popleft()
            if len(recent) >= self.limit:
                return max(0.0, recent[-self.limit] + self.window_s - now)
            if key not in self._attempts and len(self._attempts) >= self.max_clients:
                self._forget_idle(now)
            recent.append(now)
            self._attempts[key] = recent
            return 0.0

    def _forget_idle(self, now: float) -> None:
        for key in [
            k for k, times in self._attempts.items() if not times or now - times[-1] >= self.window_s
        ]:
            del self._attempts[key]

    def clients(self) -> list[str]:
        """The keys held now (salted hashes), for inspection."""
        with self._lock:
            return list(self._attempts)


def same_origin(headers: Mapping[str, str]) -> bool:
    """Whether a browser sent this request from a page of this site, not from another site (CSRF).

    Browsers say where a request comes from in ``Sec-Fetch-Site`` (all current ones) or ``Origin`` (on every
    POST from another site); a page cannot forge either. A request with neither comes from no browser, which no
    other site can make send it, so it passes. ``Origin`` is compared by host, the one a proxy may forward.
    """
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    fetch_site = lowered.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = lowered.get("origin")
    if origin is None:
        return True
    origin_host = urlsplit(origin).netloc.lower()
    hosts = {lowered.get(name, "").lower() for name in ("host", "x-forwarded-host")}
    return bool(origin_host) and origin_host in hosts
