"""LLM-judged faithfulness and answer relevance, with the judge prompt kept in the repo (``eval/judge_prompt.md``).

Only used when an LLM is configured and answered the questions; an offline run never builds a judge, and
``make_judge`` refuses to without an LLM, so the evaluation cannot reach the network by accident.

    judge = make_judge(settings, Path("eval/judge_prompt.md"))
    judge.score(question, answer_text, [passage_1, passage_2])   # {"faithfulness": 0.75, "relevance": 1.0}
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.llms import LLM

from assistant.config import Settings
from assistant.errors import BadInputError, ConfigError

log = logging.getLogger(__name__)

PLACEHOLDERS = ("{{question}}", "{{answer}}", "{{sources}}")


def load_judge_prompt(path: Path) -> str:
    """Read the judge prompt and check it has the ``{{question}}``, ``{{answer}}`` and ``{{sources}}`` slots."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise BadInputError(path, f"cannot read the judge prompt ({error.strerror or error})") from None
    missing = [p for p in PLACEHOLDERS if p not in text]
    if missing:
        raise BadInputError(path, f"the judge prompt lacks {', '.join(missing)}")
    return text


class Judge:
    """Asks an LLM which statements of an answer its cited passages support, and how well it answers."""

    def __init__(self, llm: LLM, prompt: str):
        self.llm = llm
        self.prompt = prompt

    def messages(self, question: str, answer: str, passages: Sequence[str]) -> list[ChatMessage]:
        sources = "\n".join(f'<bron n="{n}">\n{p}\n</bron>' for n, p in enumerate(passages, start=1))
        text = (
            self.prompt.replace("{{question}}", question)
            .replace("{{answer}}", answer)
            .replace("{{sources}}", sources)
        )
        return [ChatMessage(role="user", content=text)]

    def score(self, question: str, answer: str, passages: Sequence[str]) -> dict[str, float]:
        """``faithfulness`` (share of statements supported) and ``relevance`` (0–1); empty if the reply is unusable."""
        try:
            reply = self.llm.chat(self.messages(question, answer, passages)).message.content or ""
        except Exception as error:  # one failed judgement must not stop the evaluation
            log.warning("the judge failed: %s", type(error).__name__)
            return {}
        return parse_verdict(reply)


def parse_verdict(reply: str) -> dict[str, float]:
    """Read the judge's JSON reply (tolerating text around it) into scores between 0 and 1."""
    start, end = reply.find("{"), reply.rfind("}")
    try:
        verdict = json.loads(reply[start : end + 1]) if start >= 0 else None
    except json.JSONDecodeError:
        verdict = None
    if not isinstance(verdict, dict):
        return {}
    scores: dict[str, float] = {}
    statements = verdict.get("statements")
    if isinstance(statements, list) and statements:
        supported = [isinstance(s, dict) and s.get("supported") is True for s in statements]
        scores["faithfulness"] = sum(supported) / len(supported)
    relevance = verdict.get("relevance")
    if isinstance(relevance, int | float) and 1 <= relevance <= 5:
        scores["relevance"] = (float(relevance) - 1) / 4
    return scores


def make_judge(settings: Settings, prompt_path: Path) -> Judge:
    """A judge on the configured LLM; without one this is an error (offline runs are never judged)."""
    if not settings.llm_configured:
        raise ConfigError("the LLM judge needs an LLM: set OPENAI_API_KEY or OPENAI_BASE_URL")
    from assistant.answering.llm import make_llm

    return Judge(make_llm(settings), load_judge_prompt(prompt_path))
