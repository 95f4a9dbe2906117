"""Recorded completions: the replay server answers what was recorded, through the real ``openai`` client, and
writes everything else to the pending file; replies are filed from a replies file."""

from __future__ import annotations

import json
from pathlib import Path

import openai
import pytest
from llama_index.core.base.llms.types import ChatMessage

from assistant.answering.llm import make_llm
from assistant.config import Settings
from assistant.errors import BadInputError
from assistant.evaluation.replay import (
    RECORDINGS,
    Recordings,
    ReplayServer,
    read_pending,
    replaying,
    request_key,
)

pytestmark = pytest.mark.timeout(60)

QUESTION = [
    ChatMessage(role="system", content="Antwoord kort."),
    ChatMessage(role="user", content="Wat is vertrouwen?"),
]
REPLY = "Vertrouwen groeit in kleine momenten [1]."


def ask_unrecorded(folder: Path, *conversations: list[ChatMessage]) -> ReplayServer:
    """Ask each conversation of a replay server on ``folder``, expecting "not recorded" for each."""
    with replaying(Settings(_env_file=None), folder) as (settings, server):
        for messages in conversations:
            with pytest.raises(openai.BadRequestError, match="not recorded"):
                make_llm(settings).chat(messages)
    return server


def record(folder: Path, *, reply: str = REPLY) -> None:
    """One round: ask QUESTION unrecorded (it becomes pending), then file ``reply`` for it."""
    ask_unrecorded(folder, QUESTION)
    (pending,) = read_pending(folder / "pending.jsonl")
    replies = folder.parent / "replies.jsonl"
    replies.write_text(json.dumps({"key": pending.key, "reply": reply}) + "\n", encoding="utf-8")
    Recordings(folder).add_replies(replies)


def test_an_unrecorded_request_is_answered_400_and_written_to_the_pending_file_once(tmp_path: Path) -> None:
    folder = tmp_path / "recordings"

    server = ask_unrecorded(folder, QUESTION, QUESTION)

    (pending,) = read_pending(folder / "pending.jsonl")
    assert [p.key for p in server.missing] == [pending.key]
    assert pending.request["messages"] == [
        {"role": "system", "content": "Antwoord kort."},
        {"role": "user", "content": "Wat is vertrouwen?"},
    ]
    assert pending.request["model"] == "stand-in"
    assert "stream" not in pending.request


def test_a_recorded_reply_is_replayed_plain_and_streamed(tmp_path: Path) -> None:
    folder = tmp_path / "recordings"
    record(folder)

    with replaying(Settings(_env_file=None), folder) as (settings, server):
        llm = make_llm(settings)
        plain = llm.chat(QUESTION).message.content
        streamed = [r.delta for r in llm.stream_chat(QUESTION) if r.delta]

    assert plain == REPLY
    assert len(streamed) > 1 and "".join(streamed) == REPLY
    assert (len(server.served), server.missing) == (2, [])
    assert not (folder / "pending.jsonl").exists()


def test_a_changed_prompt_is_not_recorded(tmp_path: Path) -> None:
    folder = tmp_path / "recordings"
    record(folder)
    changed = [ChatMessage(role="system", content="Antwoord heel kort."), QUESTION[1]]

    server = ask_unrecorded(folder, changed)

    assert len(server.missing) == 1


def test_the_key_is_the_model_messages_and_sampling_not_the_delivery() -> None:
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "hoi"}],
        "temperature": 0.2,
        "max_tokens": 5,
    }

    assert request_key(body) == request_key({**body, "stream": True, "stream_options": {"x": 1}})
    for change in ({"model": "n"}, {"temperature": 0.3}, {"max_tokens": 6}, {"messages": []}):
        assert request_key({**body, **change}) != request_key(body)


def test_the_recordings_file_holds_the_request_and_its_reply_one_per_line(tmp_path: Path) -> None:
    folder = tmp_path / "recordings"
    record(folder)

    (line,) = (folder / RECORDINGS).read_text(encoding="utf-8").splitlines()
    recorded = json.loads(line)
    assert recorded["reply"] == REPLY
    assert recorded["request"]["messages"][1]["content"] == "Wat is vertrouwen?"
    assert recorded["key"] == request_key(recorded["request"])


def test_recordings_are_keyed_anew_from_their_requests(tmp_path: Path) -> None:
    folder = tmp_path / "recordings"
    record(folder)
    path = folder / RECORDINGS
    recorded = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**recorded, "key": "an-old-key"}) + "\n", encoding="utf-8")

    assert Recordings(folder).reply(request_key(recorded["request"])) == REPLY


def test_a_reply_for_a_request_that_is_not_pending_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    folder = tmp_path / "recordings"
    ask_unrecorded(folder, QUESTION)
    (pending,) = read_pending(folder / "pending.jsonl")
    replies = tmp_path / "replies.jsonl"
    lines = [{"key": pending.key, "reply": REPLY}, {"key": "0123456789abcdef", "reply": "Iets anders."}]
    replies.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    with pytest.raises(BadInputError, match="line 2: 0123456789abcdef is not a pending request"):
        Recordings(folder).add_replies(replies)

    assert not (folder / RECORDINGS).exists()
    assert [p.key for p in read_pending(folder / "pending.jsonl")] == [pending.key]


def test_filed_replies_leave_the_unanswered_requests_pending(tmp_path: Path) -> None:
    folder = tmp_path / "recordings"
    other = [QUESTION[0], ChatMessage(role="user", content="Wat is feedback?")]
    ask_unrecorded(folder, QUESTION, other)
    first, second = read_pending(folder / "pending.jsonl")
    replies = tmp_path / "replies.jsonl"
    replies.write_text(json.dumps({"key": first.key, "reply": REPLY}) + "\n", encoding="utf-8")

    added = Recordings(folder).add_replies(replies)

    assert (added.added, added.still_pending) == (1, 1)
    assert [p.key for p in read_pending(folder / "pending.jsonl")] == [second.key]
    assert Recordings(folder).reply(first.key) == REPLY


def test_a_new_server_starts_with_an_empty_pending_file(tmp_path: Path) -> None:
    folder = tmp_path / "recordings"
    folder.mkdir()
    (folder / "pending.jsonl").write_text('{"key": "stale"}\n', encoding="utf-8")

    with ReplayServer(Recordings(folder)):
        pass

    assert not (folder / "pending.jsonl").exists()


def test_in_a_conversation_a_request_after_an_unrecorded_one_is_refused_but_not_written(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "recordings"
    later = [QUESTION[0], ChatMessage(role="user", content="En hoe begin ik?")]

    with replaying(Settings(_env_file=None), folder) as (settings, server), server.conversation():
        for messages in (QUESTION, later):
            with pytest.raises(openai.BadRequestError, match="not recorded"):
                make_llm(settings).chat(messages)

    assert [p.request["messages"][-1]["content"] for p in read_pending(folder / "pending.jsonl")] == [
        "Wat is vertrouwen?"
    ]
    assert server.held == 1
