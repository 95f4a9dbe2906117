"""The coach's login cookie: a signed, expiring token that says "this browser typed the right password".

The token holds a random nonce and the time it was made, signed by itsdangerous (Streamlit's own dependency for
its login cookie) with HMAC-SHA256. The key is derived from a server secret and the password in force, so a token
made before the password changed no longer verifies, and the password itself is never the key nor in the token.
The server secret is ``ASSISTANT_LOGIN_SECRET`` when set (several app instances sharing one address need the same
one), else 32 random bytes kept in ``login-secret`` in the data folder, made on first use; deleting that file ends
every login at once. No Streamlit and no HTTP here: ``login_routes`` sets the cookie, the coach's page checks it.

    token = issue(secret, password)
    verify(token, secret, password, max_age_s=12 * 3600)   # True until 12 hours have passed
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from itsdangerous import BadSignature, TimestampSigner

if TYPE_CHECKING:
    from assistant.config import Settings

COOKIE_NAME = "kompas_coach"
SECRET_FILE = "login-secret"
_SALT = "kompas.coach-login"


def server_secret(settings: Settings) -> bytes:
    """The secret the login cookie is signed with: the setting, else the data folder's file (made if missing)."""
    if settings.login_secret is not None and settings.login_secret.get_secret_value():
        return settings.login_secret.get_secret_value().encode("utf-8")
    return _secret_file(settings.data_dir / SECRET_FILE)


def _secret_file(path: Path) -> bytes:
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    # Written aside, then linked into place: two processes starting at once both end up with the one that won.
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(32))
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def _signer(secret: bytes, password: str, now: Callable[[], float]) -> TimestampSigner:
    key = hmac.new(secret, password.encode("utf-8"), hashlib.sha256).digest()
    return _ClockedSigner(key, salt=_SALT, digest_method=hashlib.sha256, now=now)


class _ClockedSigner(TimestampSigner):
    """itsdangerous's signer with the clock handed in (its documented hook), so expiry can be shown in tests."""

    def __init__(self, *args, now: Callable[[], float], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._now = now

    def get_timestamp(self) -> int:
        return int(self._now())


def issue(secret: bytes, password: str, now: Callable[[], float] = time.time) -> str:
    """A new token for a browser that just typed ``password``."""
    return _signer(secret, password, now).sign(secrets.token_urlsafe(16)).decode("ascii")


def verify(
    token: str | None, secret: bytes, password: str, max_age_s: float, now: Callable[[], float] = time.time
) -> bool:
    """Whether ``token`` was issued under this secret and password, at most ``max_age_s`` ago (and not later
    than now)."""
    if not token:
        return False
    try:
        _signer(secret, password, now).unsign(token, max_age=int(max_age_s))
    except (BadSignature, UnicodeError, ValueError):  # expired, tampered, another key, or not a token at all
        return False
    return True
