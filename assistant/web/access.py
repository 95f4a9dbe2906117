"""Who may open the coach's page: the configured password, compared in constant time, a few tries a minute.

No Streamlit here: the page passes in what it read from the settings, the secrets and the session.

    throttle = LoginThrottle()
    if throttle.allowed(now) and password_matches(typed, expected): ...
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.config import Settings

MAX_ATTEMPTS = 5
WINDOW_S = 60.0


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
class LoginThrottle:
    """At most ``limit`` attempts in any ``window_s`` seconds (kept per browser session)."""

    limit: int = MAX_ATTEMPTS
    window_s: float = WINDOW_S
    attempts: list[float] = field(default_factory=list)

    def _recent(self, now: float) -> list[float]:
        self.attempts = [t for t in self.attempts if now - t < self.window_s]
        return self.attempts

    def allowed(self, now: float) -> bool:
        return len(self._recent(now)) < self.limit

    def record(self, now: float) -> None:
        self._recent(now).append(now)

    def wait_s(self, now: float) -> float:
        """Seconds until the next attempt is allowed (0 if it is now)."""
        recent = self._recent(now)
        if len(recent) < self.limit:
            return 0.0
        return max(0.0, recent[0] + self.window_s - now)
