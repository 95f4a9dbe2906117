"""The JSON contract of ``assistant ask`` on an ingested corpus (run in-process): one JSON object per turn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from blog_corpus import indexed_corpus
from click.testing import Result
from command_line import run_on, stderr_lines

from assistant.config import Settings
from assistant.embedding_cache import CachedEmbedding

pytestmark = pytest.mark.timeout(180)

CITATION_KEYS = {"n", "post", "title", "section", "url", "passage", "quote"}
TURN_KEYS = {
    "question",
    "answer",
    "refused",
    "related_only",
    "refusal_reason",
    "mode",
    "citations",
    "timings_ms",
    "turn",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, embedder: CachedEmbedding) -> Settings:
    """The posts, ingested by this process, whose index is closed before ``assistant`` opens it."""
    return indexed_corpus(tmp_path_factory.mktemp("cli"), embedder)


def ask(corpus: Settings, *args: str | Path) -> Result:
    """Run ``assistant ask`` on the corpus (no LLM configured)."""
    return run_on(corpus, "ask", *args)


def json_lines(result: Result) -> list[dict]:
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_ask_json_prints_one_object_per_turn(corpus: Settings) -> None:
    result = ask(corpus, "--json", "Hoe geef ik feedback aan een collega?", "En hoe doe ik dat concreet?")

    first, second = json_lines(result)
    assert set(first) >= TURN_KEYS and set(second) >= TURN_KEYS
    assert (first["turn"], second["turn"]) == (1, 2)
    assert (first["question"], second["question"]) == (
        "Hoe geef ik feedback aan een collega?",
        "En hoe doe ik dat concreet?",
    )
    assert (
        second["standalone_question"] == "Hoe geef ik feedback aan een collega? En hoe doe ik dat concreet?"
    )
    for answer in (first, second):
        assert (answer["refused"], answer["mode"]) == (False, "extractive")
        assert answer["timings_ms"]["total_ms"] > 0
        assert answer["citations"]
        for citation in answer["citations"]:
            assert set(citation) >= CITATION_KEYS
            assert citation["quote"] in citation["passage"]
            assert f"[{citation['n']}]" in answer["answer"]
    top = first["citations"][0]
    assert (top["n"], top["post"], top["title"], top["url"]) == (
        1,
        "feedback",
        "Feedback die aankomt",
        "https://example.org/feedback",
    )
    assert top["section"] == "Zo geef je feedback die helpt"


def test_ask_batch_prints_objects_with_id_and_turn(corpus: Settings, tmp_path: Path) -> None:
    batch = tmp_path / "vragen.jsonl"
    conversations = [
        {"id": "feedback", "turns": ["Hoe geef ik feedback aan een collega?", "En hoe doe ik dat concreet?"]},
        {"id": "recept", "turns": ["Wat is een goed recept voor appeltaart?"]},
    ]
    batch.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in conversations) + "\n")

    objects = json_lines(ask(corpus, "--batch", batch))

    assert [(o["id"], o["turn"]) for o in objects] == [("feedback", 1), ("feedback", 2), ("recept", 1)]
    assert all(set(o) >= TURN_KEYS for o in objects)
    assert [o["refused"] for o in objects] == [False, False, True]
    assert objects[2]["citations"] == []


def test_malformed_batch_line_exits_1_naming_the_line(corpus: Settings, tmp_path: Path) -> None:
    batch = tmp_path / "vragen.jsonl"
    batch.write_text('{"id": "a", "turns": ["Hoe geef ik feedback?"]}\n{"id": "b", "turns": [\n')

    result = ask(corpus, "--batch", batch)

    assert result.exit_code == 1
    assert result.stdout == ""
    (line,) = stderr_lines(result)
    assert "line 2 is not JSON" in line
    assert str(batch) in line
