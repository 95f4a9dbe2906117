"""The coach's login cookie: it verifies until it expires, and not after tampering, under another secret, or once
the password changed. Where its secret comes from."""

from __future__ import annotations

import stat
import threading

from pydantic import SecretStr

from assistant.config import Settings
from assistant.web.login_cookie import SECRET_FILE, issue, server_secret, verify

SECRET = b"s" * 32
PASSWORD = "kapitein-aan-boord"
TWELVE_HOURS = 12 * 3600
ISSUED = 1_800_000_000.0


def at(seconds: float):
    return lambda: seconds


def test_a_fresh_token_verifies_under_its_secret_and_password():
    token = issue(SECRET, PASSWORD, now=at(ISSUED))

    assert verify(token, SECRET, PASSWORD, TWELVE_HOURS, now=at(ISSUED + 60))


def test_a_token_expires_after_its_lifetime():
    token = issue(SECRET, PASSWORD, now=at(ISSUED))

    assert verify(token, SECRET, PASSWORD, TWELVE_HOURS, now=at(ISSUED + TWELVE_HOURS))
    assert not verify(token, SECRET, PASSWORD, TWELVE_HOURS, now=at(ISSUED + TWELVE_HOURS + 1))


def test_a_shorter_lifetime_setting_ends_tokens_issued_under_a_longer_one():
    token = issue(SECRET, PASSWORD, now=at(ISSUED))

    assert not verify(token, SECRET, PASSWORD, 3600, now=at(ISSUED + 2 * 3600))


def test_a_token_dated_in_the_future_is_refused():
    token = issue(SECRET, PASSWORD, now=at(ISSUED + 3600))

    assert not verify(token, SECRET, PASSWORD, TWELVE_HOURS, now=at(ISSUED))


def test_a_tampered_token_is_refused():
    token = issue(SECRET, PASSWORD, now=at(ISSUED))
    nonce, timestamp, signature = token.split(".")
    later = issue(SECRET, PASSWORD, now=at(ISSUED + 3600)).split(".")[1]

    for forged in (
        f"{nonce}x.{timestamp}.{signature}",  # another value
        f"{nonce}.{later}.{signature}",  # a later time, to live longer
        f"{nonce}.{timestamp}.{signature[:-2]}",  # a cut signature
        f"{nonce}.{timestamp}",  # none at all
    ):
        assert not verify(forged, SECRET, PASSWORD, TWELVE_HOURS, now=at(ISSUED + 60)), forged


def test_a_token_from_another_secret_is_refused():
    token = issue(b"t" * 32, PASSWORD, now=at(ISSUED))

    assert not verify(token, SECRET, PASSWORD, TWELVE_HOURS, now=at(ISSUED + 60))


def test_changing_the_password_ends_every_login():
    token = issue(SECRET, PASSWORD, now=at(ISSUED))

    assert not verify(token, SECRET, "een-nieuw-wachtwoord", TWELVE_HOURS, now=at(ISSUED + 60))


def test_what_is_not_a_token_is_refused_without_error():
    for junk in (None, "", "kapitein-aan-boord", "a.b.c", "é.ü.ß", "." * 500):
        assert not verify(junk, SECRET, PASSWORD, TWELVE_HOURS)


def test_the_token_holds_neither_the_password_nor_the_secret():
    token = issue(SECRET, PASSWORD)

    assert PASSWORD not in token
    assert SECRET.decode() not in token


def test_two_logins_get_different_tokens():
    assert issue(SECRET, PASSWORD, now=at(ISSUED)) != issue(SECRET, PASSWORD, now=at(ISSUED))


def test_the_secret_is_made_once_in_the_data_folder_readable_by_its_owner_only(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")

    first = server_secret(settings)

    assert len(first) == 32
    assert server_secret(settings) == first
    mode = stat.S_IMODE((tmp_path / "data" / SECRET_FILE).stat().st_mode)
    assert mode == 0o600
    assert [p.name for p in (tmp_path / "data").iterdir()] == [SECRET_FILE]  # no draft left behind


def test_processes_starting_at_once_agree_on_one_secret(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    found: list[bytes] = []
    threads = [threading.Thread(target=lambda: found.append(server_secret(settings))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(found) == 8 and len(set(found)) == 1


def test_the_secret_setting_wins_over_the_data_folder(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", login_secret=SecretStr("gedeeld-tussen-instanties"))

    assert server_secret(settings) == b"gedeeld-tussen-instanties"
    assert not (tmp_path / "data" / SECRET_FILE).exists()


def test_deleting_the_secret_file_ends_every_login(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    token = issue(server_secret(settings), PASSWORD)

    (tmp_path / "data" / SECRET_FILE).unlink()

    assert not verify(token, server_secret(settings), PASSWORD, TWELVE_HOURS)
