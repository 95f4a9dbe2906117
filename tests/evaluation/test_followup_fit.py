"""Fitting the follow-up decision: topic switches built from standalone cases, and a model that separates."""

from __future__ import annotations

from assistant.answering.followup import OwnRetrieval
from assistant.evaluation.followup_fit import Sample, figures, fit_model, topic_switches
from assistant.evaluation.gold import GoldCase, GoldPassage


def case(case_id: str, turns: tuple[str, ...], post: str, kind: str = "direct", lang: str = "nl") -> GoldCase:
    return GoldCase(case_id, turns, True, lang, (GoldPassage(post, ("x",)),), (), kind)


CASES = [
    case("a", ("Wat zijn de bouwstenen van vertrouwen?",), "vertrouwen"),
    case("b", ("Hoe geef ik feedback?",), "feedback"),
    case("c", ("Hoe verlaag ik de werkdruk?", "Hoe begin ik?"), "werkdruk", kind="follow-up"),
    case("d", ("How do I give feedback?",), "feedback", kind="english", lang="en"),
]


def test_topic_switch_opens_with_a_first_turn_about_another_post_in_the_same_language() -> None:
    switches = {s.case.id: s for s in topic_switches(CASES)}

    # "c" is a follow-up, not a standalone case; "d" has no English opener about another post.
    assert set(switches) == {"a", "b"}
    assert switches["a"].history[0].question in ("Hoe geef ik feedback?", "Hoe verlaag ik de werkdruk?")
    assert switches["b"].history[0].question in (
        "Wat zijn de bouwstenen van vertrouwen?",
        "Hoe verlaag ik de werkdruk?",
    )
    assert not any(s.follows for s in switches.values())


def sample(follows: bool, words: int, standout: float, focus: float, alone: int | None, joined: int | None):
    return Sample("post", follows, OwnRetrieval(words, standout, focus), alone, joined)


def test_fitted_model_joins_bare_flat_questions_and_keeps_worded_focused_ones() -> None:
    samples = [sample(True, w, 0.01, 0.4, None, 1) for w in (0, 1, 2, 2, 3)]
    samples += [sample(False, w, 0.06, 0.8, 1, None) for w in (4, 6, 8, 10, 12)]

    model = fit_model(samples)

    assert all(model.leans_on_conversation(s.signals) == s.follows for s in samples)


def test_figures_score_each_group_by_the_rank_of_the_chosen_query() -> None:
    samples = [sample(True, 1, 0.0, 0.4, None, 1), sample(False, 9, 0.1, 1.0, 1, 12)]

    result = figures(samples, lambda i, s: s.follows)

    assert result == {"follow_up_r1": 1.0, "follow_up_r10": 1.0, "switch_r1": 1.0, "switch_r10": 1.0}
