"""The coach's password: where it comes from, how it is compared, how often one may try."""

from __future__ import annotations

import hashlib
import threading

from pydantic import SecretStr

from assistant.config import Settings
from assistant.web.access import (
    ClientThrottle,
    LoginThrottle,
    client_address,
    configured_password,
    password_matches,
    same_origin,
)


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
    throttle = LoginThrottle(limit=5)
    for second in range(5):
        assert throttle.allowed(100.0 + second)
        throttle.record(100.0 + second)

    assert not throttle.allowed(130.0)
    assert throttle.wait_s(130.0) == 30.0
    assert throttle.allowed(160.0)


def test_a_remote_connection_is_known_by_its_own_address_whatever_its_headers_claim():
    assert client_address("203.0.113.7", {"X-Forwarded-For": "198.51.100.1"}) == "203.0.113.7"


def test_behind_a_local_proxy_the_client_is_the_last_forwarded_address():
    headers = {"x-forwarded-for": "10.0.0.1, 198.51.100.23", "Host": "kompas.example"}

    assert client_address(None, headers) == "198.51.100.23"
    assert client_address(None, {"X-Real-IP": "198.51.100.24"}) == "198.51.100.24"


def test_without_an_address_or_proxy_headers_all_sessions_are_one_local_client():
    assert client_address(None, {}) == client_address(None, None) == "local"
    assert client_address(object(), {}) == "local"  # AppTest hands a mock, not a string


def test_a_loopback_connection_counts_as_no_address_as_in_streamlits_context():
    assert client_address("127.0.0.1", {}) == client_address("::1", None) == "local"
    assert client_address("127.0.0.1", {"X-Forwarded-For": "198.51.100.23"}) == "198.51.100.23"


def test_the_client_limit_is_a_sliding_minute_per_client():
    throttle = ClientThrottle(limit=3)
    for second in (0.0, 10.0, 20.0):
        assert throttle.attempt("198.51.100.23", second) == 0

    assert throttle.attempt("198.51.100.23", 30.0) == 30.0  # until the first attempt is a minute old
    assert throttle.attempt("198.51.100.99", 30.0) == 0  # another client is not held up
    assert throttle.attempt("198.51.100.23", 60.0) == 0
    assert throttle.attempt("198.51.100.23", 61.0) == 9.0


def test_the_client_limit_keeps_only_a_salted_hash_of_the_address():
    throttle = ClientThrottle(limit=20)
    throttle.attempt("198.51.100.23", 0.0)

    [key] = throttle.clients()
    assert key == throttle.key("198.51.100.23")
    assert key != hashlib.sha256(b"198.51.100.23").hexdigest()  # salted: no lookup table finds it
    assert key != ClientThrottle(limit=20).key("198.51.100.23")  # a new salt per process
    assert "198.51.100.23" not in repr(vars(throttle))


def test_the_client_limit_holds_under_concurrent_sessions():
    throttle = ClientThrottle(limit=20)
    allowed: list[bool] = []

    def try_five() -> None:
        for _ in range(5):
            allowed.append(throttle.attempt("198.51.100.23", 100.0) == 0)

    threads = [threading.Thread(target=try_five) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert allowed.count(True) == 20


def test_idle_clients_are_forgotten_when_the_table_is_full():
    throttle = ClientThrottle(limit=1, max_clients=2)
    throttle.attempt("a", 0.0)
    throttle.attempt("b", 0.0)

    throttle.attempt("c", 100.0)

    assert throttle.clients() == [throttle.key("c")]


def test_a_request_the_browser_marks_as_from_this_site_is_same_origin():
    assert same_origin({"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:8501"})
    assert same_origin({"sec-fetch-site": "none"})  # typed or bookmarked by the user


def test_a_request_from_another_site_is_not_whatever_its_origin_claims():
    assert not same_origin(
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://kompas.example", "Host": "kompas.example"}
    )
    assert not same_origin({"Sec-Fetch-Site": "same-site"})


def test_without_fetch_metadata_the_origin_must_name_this_host():
    assert same_origin({"Origin": "https://kompas.example", "Host": "kompas.example"})
    assert same_origin(
        {"Origin": "https://kompas.example", "Host": "127.0.0.1:8501", "X-Forwarded-Host": "kompas.example"}
    )
    assert not same_origin({"Origin": "https://elders.example", "Host": "kompas.example"})
    assert not same_origin({"Origin": "null", "Host": "kompas.example"})


def test_a_request_from_no_browser_at_all_is_not_a_cross_site_one():
    assert same_origin({"Host": "kompas.example"})
