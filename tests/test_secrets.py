"""Secrets (the OpenAI key, the Chroma token) never reach logs, error messages, notices or the settings' repr."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from command_line import run_assistant
from conftest import post_md
from openai_server import OpenAIServer

from assistant.config import Settings
from assistant.engine import Engine

API_KEY = "sk-kompas-SECRET-7f3a9c"
CHROMA_TOKEN = "chroma-SECRET-token-55"
POST = post_md(
    "Vertrouwen",
    {
        "Bouwstenen": [
            "Dat zijn de bouwstenen van vertrouwen: zichtbaarheid, eerlijkheid en nabijheid. Mensen vertrouwen je als je "
            "doet wat je zegt, ook in de kleine dingen van elke dag."
        ]
    },
)


def assert_secret_free(*texts: str) -> None:
    for text in texts:
        assert API_KEY not in text and CHROMA_TOKEN not in text
        assert API_KEY[-8:] not in text, "not even the key's tail"


@pytest.mark.parametrize("status", [401, 500])
def test_a_failing_llm_leaves_the_key_out_of_logs_and_answers(
    status: int, tmp_path: Path, write_files, embedder, caplog: pytest.LogCaptureFixture
):
    write_files({"vertrouwen.md": POST})
    with OpenAIServer() as server:
        server.script(status=status)
        settings = Settings(
            data_dir=tmp_path / "data",
            corpus_dir=tmp_path / "corpus",
            openai_api_key=API_KEY,
            openai_base_url=server.base_url,
            chroma_token=CHROMA_TOKEN,
            llm_timeout_s=5,
        )
        engine = Engine(settings, embedder=embedder)
        engine.ingest()
        with caplog.at_level(logging.DEBUG):
            answer = engine.ask("Wat zijn de bouwstenen van vertrouwen?")
        assert server.requests, "the LLM was really called"
    assert answer.notice
    assert_secret_free(caplog.text, answer.text, answer.notice, str(answer.to_json()))


def test_settings_never_show_their_secrets():
    settings = Settings(openai_api_key=API_KEY, chroma_token=CHROMA_TOKEN)
    assert_secret_free(repr(settings), str(settings), str(settings.model_dump()))


def test_the_cli_keeps_the_key_out_of_its_output_when_the_llm_fails(
    tmp_path: Path, write_files, embedder, caplog: pytest.LogCaptureFixture
):
    write_files({"vertrouwen.md": POST})
    Engine(Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus"), embedder=embedder).ingest()
    with OpenAIServer() as server, caplog.at_level(logging.DEBUG):
        server.script(status=401)
        result = run_assistant(
            "ask",
            "Wat zijn de bouwstenen van vertrouwen?",
            "--data-dir",
            tmp_path / "data",
            "--corpus-dir",
            tmp_path / "corpus",
            env={"OPENAI_API_KEY": API_KEY, "OPENAI_BASE_URL": server.base_url},
        )
    assert server.requests, "the LLM was really called"
    assert result.exit_code == 0, result.stderr
    assert "bouwstenen" in result.stdout
    assert_secret_free(result.stdout, result.stderr, caplog.text)
