"""The metric functions on hand-made results: pure data, no engine."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answering.types import MarkerCheck
from assistant.evaluation.gold import GoldCase, GoldPassage
from assistant.evaluation.metrics import (
    METRICS,
    answer_language,
    answered_share,
    breakdown,
    citation_problems,
    citation_validity,
    failures,
    hit_any,
    hit_at_k,
    judged,
    key_point_coverage,
    language_match,
    latency_percentile,
    markers_removed,
    mrr,
    quote_precision,
    recall_at_k,
    refusal_accuracy,
    refusal_precision,
    refusal_recall,
    refused_share,
    score_all,
)
from assistant.evaluation.records import CaseResult, CitedPassage

GOLD_TEXT = "Vertrouwen is geen doel op zich. Het is een middel om samen te groeien."
OTHER_TEXT = "Een rooster laat zien wat een school belangrijk vindt. Tijd is schaars."


def case(
    case_id: str = "c1",
    *,
    answerable: bool = True,
    lang: str = "nl",
    phrases: tuple[str, ...] = ("Vertrouwen is geen doel op zich",),
    key_points: tuple[str, ...] = (),
    kind: str = "",
    split: str = "dev",
) -> GoldCase:
    gold = (GoldPassage("blog", phrases),) if answerable else ()
    kind = kind or ("direct" if answerable else "out-of-domain")
    return GoldCase(case_id, ("Is vertrouwen een doel?",), answerable, lang, gold, key_points, kind, split)


def cite(n: int, passage: str = GOLD_TEXT, *quotes: str, post: str = "blog") -> CitedPassage:
    return CitedPassage(n, post, passage, quotes or (passage.split(". ")[0] + ".",))


def result(
    gold_case: GoldCase,
    *citations: CitedPassage,
    answer: str = "",
    refused: bool = False,
    latency: float = 10.0,
    retrieved: tuple[CitedPassage, ...] = (),
) -> CaseResult:
    if not answer and citations:
        answer = "\n\n".join(f"“{' … '.join(c.quotes)}” [{c.n}]" for c in citations)
    return CaseResult(gold_case, answer, refused, citations, latency, retrieved=retrieved)


def test_hit_at_k_counts_a_gold_passage_among_the_first_k_citations():
    second = result(case("second"), cite(1, OTHER_TEXT), cite(2))
    first = result(case("first"), cite(1))

    assert hit_at_k([second, first], 1).per_case == {"second": 0.0, "first": 1.0}
    assert hit_at_k([second, first], 3).overall == 1.0
    assert mrr([second, first]).per_case == {"second": 0.5, "first": 1.0}
    assert mrr([second, first]).overall == 0.75


def test_hit_any_counts_a_gold_passage_wherever_it_is_cited():
    third = result(case("third"), cite(1, OTHER_TEXT), cite(2, OTHER_TEXT), cite(3))
    missing = result(case("missing"), cite(1, OTHER_TEXT))
    off_topic = result(case("off", answerable=False), refused=True)

    assert hit_any([third, missing, off_topic]).per_case == {"third": 1.0, "missing": 0.0, "off": None}


def test_markers_removed_is_the_share_of_all_markers_written_not_a_mean_of_shares():
    one_of_one = replace(result(case("a"), cite(1)), markers=MarkerCheck(written=1, unsupported=1))
    none_of_nine = replace(result(case("b"), cite(1)), markers=MarkerCheck(written=9, unknown=2))
    quotes = result(case("c"), cite(1))

    score = markers_removed([one_of_one, none_of_nine, quotes])

    assert score.per_case == {"a": 1.0, "b": 0.0, "c": None}
    assert score.overall == 0.1


def test_recall_at_k_reads_what_retrieval_ranked_not_what_was_cited():
    ranked_fourth = (*tuple(cite(n, OTHER_TEXT) for n in (1, 2, 3)), cite(4))
    found_not_cited = result(case("found"), cite(1, OTHER_TEXT), retrieved=ranked_fourth)
    never_found = result(case("lost"), cite(1, OTHER_TEXT), retrieved=(cite(1, OTHER_TEXT),))
    refused_but_found = result(case("refused"), refused=True, retrieved=(cite(1),))
    off_topic = result(case("off", answerable=False), refused=True)
    results = [found_not_cited, never_found, refused_but_found, off_topic]

    assert recall_at_k(results, 3).per_case == {"found": 0.0, "lost": 0.0, "refused": 1.0, "off": None}
    assert recall_at_k(results, 5).per_case == {"found": 1.0, "lost": 0.0, "refused": 1.0, "off": None}


def test_refusal_figures_per_kind_count_only_the_cases_of_that_kind():
    look_alike = result(case("look", kind="look-alike"), refused=True)
    answerable = result(case("direct"), cite(1))
    injection = result(case("inj", answerable=False, kind="injection"), cite(1, OTHER_TEXT))
    uncovered = result(case("unc", answerable=False, kind="uncovered"), refused=True)
    results = [look_alike, answerable, injection, uncovered]

    assert refused_share(results, lambda r: r.case.answerable).overall == 0.5
    assert refused_share(results, lambda r: r.case.kind == "look-alike").per_case["look"] == 1.0
    assert answered_share(results, "injection").overall == 1.0
    assert answered_share(results, "uncovered").overall == 0.0
    assert answered_share(results, "uncovered").per_case["direct"] is None


def test_breakdown_scores_each_split_kind_and_language_on_its_own_cases():
    dev_hit = result(case("dev-hit", split="dev"), cite(1))
    test_miss = result(case("test-miss", split="test", kind="paraphrase"), cite(1, OTHER_TEXT))
    test_english = result(case("test-en", split="test", lang="en", kind="english"), cite(1))

    table = breakdown([dev_hit, test_miss, test_english])

    assert table["all"]["all"]["n"] == 3
    assert table["dev"]["all"]["hit_at_1"] == 1.0
    assert table["test"]["all"]["hit_at_1"] == 0.5
    assert table["test"]["paraphrase"]["hit_at_1"] == 0.0
    assert table["test"]["lang en"]["hit_at_1"] == 1.0
    assert "paraphrase" not in table["dev"]
    assert list(table["test"]) == ["all", "paraphrase", "english", "lang nl", "lang en"]


def test_a_passage_is_gold_only_with_every_phrase_of_the_entry_in_the_right_post():
    two_phrases = case(phrases=("Vertrouwen is geen doel op zich", "om samen te groeien"))
    partial = cite(1, "Vertrouwen is geen doel op zich. Maar ook geen middel.")
    wrong_post = cite(1, GOLD_TEXT, post="ander-blog")
    line_break = cite(1, GOLD_TEXT.replace("middel om", "middel\nom"))

    assert hit_at_k([result(two_phrases, partial)], 1).overall == 0.0
    assert hit_at_k([result(two_phrases, wrong_post)], 1).overall == 0.0
    assert hit_at_k([result(two_phrases, line_break)], 1).overall == 1.0


def test_retrieval_metrics_skip_unanswerable_cases_and_count_a_refusal_as_a_miss():
    refused = result(case("refused"), refused=True, answer="Daar gaan de blogs niet over.")
    declined = result(
        case("declined", answerable=False), refused=True, answer="Daar gaan de blogs niet over."
    )

    score = hit_at_k([refused, declined], 1)

    assert score.per_case == {"refused": 0.0, "declined": None}
    assert score.overall == 0.0
    assert mrr([declined]).overall is None


def test_quote_precision_needs_a_gold_phrase_inside_the_first_citations_quoted_sentences():
    quoted_elsewhere = result(case("elsewhere"), cite(1, GOLD_TEXT, "Het is een middel om samen te groeien."))
    quoted = result(case("quoted"), cite(1, GOLD_TEXT, "Vertrouwen is geen doel op zich."))
    spanning = result(
        case("spanning", phrases=("doel op zich. Het is een middel",)),
        cite(1, GOLD_TEXT, "Vertrouwen is geen doel op zich.", "Het is een middel om samen te groeien."),
    )
    second_citation = result(case("second"), cite(1, OTHER_TEXT), cite(2))

    assert quote_precision([quoted_elsewhere, quoted, spanning, second_citation]).per_case == {
        "elsewhere": 0.0,
        "quoted": 1.0,
        "spanning": 1.0,
        "second": 0.0,
    }


def test_citation_validity_flags_markers_without_a_source_and_quotes_not_in_the_passage():
    valid = result(case("valid"), cite(1), cite(2, OTHER_TEXT))
    dangling = result(case("dangling"), cite(1), answer="Vertrouwen is een middel [1], geen doel [3].")
    made_up = result(case("made-up"), cite(1), answer="“Vertrouwen is het allerbelangrijkste.” [1]")
    bad_quote = result(case("bad-quote"), CitedPassage(1, "blog", GOLD_TEXT, ("Vertrouwen is alles.",)))

    assert citation_validity([valid, dangling, made_up, bad_quote]).per_case == {
        "valid": 1.0,
        "dangling": 0.0,
        "made-up": 0.0,
        "bad-quote": 0.0,
    }
    assert citation_problems(dangling) == ["[3] refers to no source"]


def test_citation_validity_accepts_quotes_joined_by_an_ellipsis_and_quotes_within_quotes():
    passage = "Hij zei: “Mijn deur staat altijd open.” Toch kwam niemand. Dat zegt iets."
    answer = (
        "In de blog “Titel” staat hierover:\n\n“Hij zei: “Mijn deur staat altijd open.” … Dat zegt iets.” [1]"
    )
    quotes = ("Hij zei: “Mijn deur staat altijd open.”", "Dat zegt iets.")

    assert citation_problems(result(case(), CitedPassage(1, "blog", passage, quotes), answer=answer)) == []


def test_citation_validity_does_not_count_answers_that_cite_nothing():
    refusal = result(case("refusal", answerable=False), refused=True, answer="Daar gaan de blogs niet over.")

    assert citation_validity([refusal]).per_case == {"refusal": None}
    assert citation_validity([refusal]).overall is None


def test_refusal_precision_recall_and_accuracy_treat_a_refusal_as_the_positive():
    results = [
        result(case("refused-right", answerable=False), refused=True),
        result(case("refused-wrong"), refused=True),
        result(case("answered-wrong", answerable=False), cite(1)),
        result(case("answered-right"), cite(1)),
    ]

    assert refusal_precision(results).overall == 0.5
    assert refusal_recall(results).overall == 0.5
    assert refusal_accuracy(results).overall == 0.5
    assert refusal_recall(results).per_case["answered-right"] is None


def test_refusal_precision_is_undefined_when_nothing_was_refused():
    results = [result(case("a"), cite(1)), result(case("b", answerable=False), cite(1))]

    assert refusal_precision(results).overall is None
    assert refusal_recall(results).overall == 0.0


@pytest.mark.parametrize(
    ("answer", "lang"),
    [
        (
            "Here is what the posts say about this (quoted in Dutch):\n\n“Vertrouwen is geen doel op zich.” [1]",
            "en",
        ),
        ("In de blog “What is trust?” staat hierover:\n\n“Vertrouwen is geen doel op zich.” [1]", "nl"),
        ("The posts don't cover this, so I can't give you an answer grounded in them.", "en"),
        ("“Vertrouwen is geen doel op zich. Het is een middel om samen te groeien.” [1]", "nl"),
    ],
)
def test_answer_language_reads_the_answers_own_words_not_its_dutch_quotes(answer, lang):
    assert answer_language(answer) == lang


def test_language_match_compares_with_the_cases_language():
    english = result(
        case("en", lang="en"), answer="Here is what the posts say about this:\n\n“Vertrouwen.” [1]"
    )
    dutch_reply = result(case("nl-for-en", lang="en"), answer="Daar gaan de blogs niet over.")

    assert language_match([english, dutch_reply]).per_case == {"en": 1.0, "nl-for-en": 0.0}


def test_key_point_coverage_is_the_share_found_case_insensitively():
    covered = result(
        case("c", key_points=("Middel", "samen  te groeien", "gedrag")),
        answer="“Het is een middel om samen te\ngroeien.” [1]",
    )
    no_points = result(case("none", answerable=False), refused=True, answer="Nee.")

    score = key_point_coverage([covered, no_points])

    assert score.per_case == {"c": pytest.approx(2 / 3), "none": None}


def test_latency_percentiles_cover_every_case():
    results = [result(case(f"c{i}"), latency=float(ms)) for i, ms in enumerate([10, 20, 30, 40, 1000])]

    assert latency_percentile(results, 50).overall == 30.0
    assert latency_percentile(results, 95).overall == pytest.approx(808.0)
    assert latency_percentile(results, 50).per_case["c4"] == 1000.0


def test_judged_scores_leave_out_refusals_and_unjudged_answers():
    scored = CaseResult(case("scored"), "x [1]", False, (cite(1),), 1.0, judge={"faithfulness": 0.5})
    unjudged = result(case("unjudged"), cite(1))
    refusal = CaseResult(case("refusal"), "Nee.", True, (), 1.0, judge={"faithfulness": 1.0})

    score = judged([scored, unjudged, refusal], "faithfulness")

    assert score.per_case == {"scored": 0.5, "unjudged": None, "refusal": None}
    assert score.overall == 0.5


def test_failures_name_each_case_with_the_metrics_it_failed():
    results = [
        result(case("good"), cite(1, GOLD_TEXT, "Vertrouwen is geen doel op zich.")),
        result(case("missed"), cite(1, OTHER_TEXT)),
        result(case("not-refused", answerable=False), cite(1)),
    ]

    failed = failures(score_all(results), METRICS)

    assert failed == {
        "missed": ["hit_at_1", "quote_precision"],
        "not-refused": ["refusal_accuracy"],
    }
