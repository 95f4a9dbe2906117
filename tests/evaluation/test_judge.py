"""The LLM judge: its prompt in the repo, its verdicts read, and never built or used without an LLM."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.base.llms.types import CompletionResponse, LLMMetadata
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_completion_callback
from pydantic import Field

from assistant.config import Settings
from assistant.errors import BadInputError, ConfigError
from assistant.evaluation.gold import load_gold
from assistant.evaluation.judge import Judge, load_judge_prompt, make_judge, parse_verdict
from assistant.evaluation.metrics import JUDGE_METRICS, METRICS, score_all
from assistant.evaluation.records import CaseResult, CitedPassage
from assistant.evaluation.runner import EvalOptions, evaluate, judge_results

EVAL = Path(__file__).resolve().parents[2] / "eval"


class ScriptedLLM(CustomLLM):
    """Replies with the same text every time and remembers the prompts it was given."""

    reply: str = ""
    prompts: list[str] = Field(default_factory=list)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        self.prompts.append(prompt)
        return CompletionResponse(text=self.reply)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any):
        yield self.complete(prompt)


def test_the_judge_prompt_in_the_repo_has_every_slot():
    prompt = load_judge_prompt(EVAL / "judge_prompt.md")

    assert "faithfulness" in prompt and "relevance" in prompt


def test_a_judge_prompt_without_its_slots_is_rejected(tmp_path):
    path = tmp_path / "judge.md"
    path.write_text("Beoordeel {{question}}.")

    with pytest.raises(BadInputError, match=r"lacks \{\{answer\}\}, \{\{sources\}\}"):
        load_judge_prompt(path)


def test_the_judge_sees_question_answer_and_sources_and_its_verdict_becomes_scores():
    llm = ScriptedLLM(
        reply='Oordeel:\n{"statements": [{"statement": "a", "supported": true}, '
        '{"statement": "b", "supported": false}], "relevance": 4}'
    )
    judge = Judge(llm, load_judge_prompt(EVAL / "judge_prompt.md"))

    scores = judge.score("Is vertrouwen een doel?", "Nee, een middel [1].", ["Het is een middel."])

    assert scores == {"faithfulness": 0.5, "relevance": 0.75}
    [prompt] = llm.prompts
    assert "Is vertrouwen een doel?" in prompt
    assert "Nee, een middel [1]." in prompt
    assert '<bron n="1">\nHet is een middel.\n</bron>' in prompt


@pytest.mark.parametrize(
    ("reply", "scores"),
    [
        ("geen json", {}),
        ('{"statements": [], "relevance": 9}', {}),
        ('{"statements": [{"supported": true}], "relevance": 1}', {"faithfulness": 1.0, "relevance": 0.0}),
        ('{"relevance": 5} en verder niets', {"relevance": 1.0}),
    ],
)
def test_an_unusable_part_of_a_verdict_is_left_out(reply, scores):
    assert parse_verdict(reply) == scores


def test_no_judge_without_an_llm(tmp_path):
    with pytest.raises(ConfigError, match="needs an LLM"):
        make_judge(Settings(data_dir=tmp_path), EVAL / "judge_prompt.md")


def test_llm_answers_or_a_judge_are_refused_before_anything_is_loaded(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus")
    cases = load_gold(EVAL / "gold.jsonl")
    judge = Judge(ScriptedLLM(), "{{question}}{{answer}}{{sources}}")

    with pytest.raises(ConfigError, match="--answerer llm needs an LLM"):
        evaluate(settings, cases, EVAL / "fixtures", EvalOptions(answerer="llm"))
    with pytest.raises(ConfigError, match="only scores LLM answers"):
        evaluate(settings, cases, EVAL / "fixtures", EvalOptions(answerer="extractive"), judge=judge)
    assert not (tmp_path / "data").exists()


def test_judged_answers_get_faithfulness_and_relevance_and_refusals_are_not_judged():
    [answerable, *_] = load_gold(EVAL / "gold.jsonl")
    cited = (CitedPassage(1, "blog", "Het is een middel.", ("Het is een middel.",)),)
    answers = [
        CaseResult(answerable, "Een middel [1].", False, cited, 10.0, mode="llm"),
        CaseResult(replace(answerable, id="refused"), "Daar gaan de blogs niet over.", True, (), 5.0),
    ]
    llm = ScriptedLLM(reply='{"statements": [{"statement": "a", "supported": true}], "relevance": 5}')

    judged = judge_results(Judge(llm, "{{question}}{{answer}}{{sources}}"), answers)
    scores = score_all(judged, METRICS + JUDGE_METRICS)

    assert len(llm.prompts) == 1
    assert scores["faithfulness"].per_case == {answerable.id: 1.0, "refused": None}
    assert scores["relevance"].overall == 1.0


def test_quotes_the_llm_answer_fell_back_to_are_not_judged():
    [answerable, *_] = load_gold(EVAL / "gold.jsonl")
    cited = (CitedPassage(1, "blog", "Het is een middel.", ("Het is een middel.",)),)
    fallback = CaseResult(answerable, "“Het is een middel.” [1]", False, cited, 10.0, mode="extractive")
    llm = ScriptedLLM(reply='{"statements": [], "relevance": 5}')

    judged = judge_results(Judge(llm, "{{question}}{{answer}}{{sources}}"), [fallback])

    assert llm.prompts == []
    assert score_all(judged, JUDGE_METRICS)["judged"].per_case == {answerable.id: None}
