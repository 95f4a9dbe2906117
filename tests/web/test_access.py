"""The coach's password: where it comes from, how it is compared, how often one may try."""

from __future__ import annotations

from pydantic import SecretStr

from assistant.config import Settings
from assistant.web.access import LoginThrottle, configured_password, password_matches


def test_environment_password_wins_over_streamlit_secrets(monkeypatch):
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", "uit-de-omgeving")

    assert configured_password(Settings(), {"admin_password": "uit-secrets"}) == "uit-de-omgeving"


def test_secrets_are_used_when_no_environment_password_is_set():
    assert configured_password(Settings(), {"admin_password": "uit-secrets"}) == "uit-secrets"


def test_no_or_empty_password_means_the_page_stays_closed():
    assert configured_password(Settings(), {}) is None
    assert configured_password(Settings(admin_password=SecretStr("")), {"admin_password": ""}) is None


def test_password_is_never_shown_in_the_settings(monkeypatch):
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", "zeer-geheim-wachtwoord")

    assert "zeer-geheim" not in repr(Settings())


def test_passwords_must_match_exactly():
    assert password_matches("kapitein", "kapitein")
    assert not password_matches("Kapitein", "kapitein")
    assert not password_matches("kapitein ", "kapitein")
    assert password_matches("stuurhut-ë", "stuurhut-ë")


def test_five_attempts_a_minute_then_wait_until_the_oldest_expires():
    throttle = LoginThrottle()
    for second in range(5):
        assert throttle.allowed(100.0 + second)
        throttle.record(100.0 + second)

    assert not throttle.allowed(130.0)
    assert throttle.wait_s(130.0) == 30.0
    assert throttle.allowed(160.0)
