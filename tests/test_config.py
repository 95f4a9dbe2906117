"""Which source wins for a setting, and that secrets stay secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.config import Settings, load_settings
from assistant.errors import ConfigError


@pytest.fixture
def dotenv(tmp_path: Path) -> Path:
    """A .env file in the working folder (the ``isolated`` fixture made it the test's own)."""
    path = tmp_path / ".env"
    path.write_text("ASSISTANT_DATA_DIR=from-dotenv\n", encoding="utf-8")
    return path


def test_dotenv_file_wins_over_the_default(dotenv):
    assert Settings().data_dir == Path("from-dotenv")


def test_environment_variable_wins_over_the_dotenv_file(dotenv, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", "from-env")

    assert Settings().data_dir == Path("from-env")


def test_explicit_value_wins_over_environment_and_dotenv(dotenv, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", "from-env")

    assert Settings(data_dir=Path("explicit")).data_dir == Path("explicit")


def test_openai_api_key_is_read_but_never_shown(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-zeer-geheim")

    settings = Settings()

    assert settings.openai_api_key.get_secret_value() == "sk-test-zeer-geheim"
    assert "zeer-geheim" not in repr(settings)
    assert "zeer-geheim" not in str(settings)


def test_unknown_embedder_is_refused_naming_the_value():
    with pytest.raises(ValidationError, match="word2vec"):
        Settings(embedder="word2vec")


def test_a_bad_value_from_the_environment_is_one_error_naming_its_variable(monkeypatch):
    monkeypatch.setenv("ASSISTANT_CHROMA_PORT", "achtduizend")

    with pytest.raises(ConfigError, match=r"^ASSISTANT_CHROMA_PORT: .*integer.*'achtduizend'"):
        load_settings()


def test_a_refused_embedder_keeps_the_validators_own_words(monkeypatch):
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "word2vec")

    with pytest.raises(ConfigError) as refused:
        load_settings()

    assert str(refused.value) == (
        "ASSISTANT_EMBEDDER: unknown embedder 'word2vec': use e5-small, openai:<model> or fastembed:<model>"
    )
