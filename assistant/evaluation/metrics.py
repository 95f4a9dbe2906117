"""The metrics: small pure functions from ``CaseResult``s to a ``Score`` (a value per case and an overall figure).

A case a metric does not apply to (hit@1 of an unanswerable question, say) gets ``None`` and does not count in
the overall figure, which is the mean of the values that do count (latency: a percentile).

    score = hit_at_k(results, 1)
    score.overall, score.per_case["direct-01"]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.evaluation.gold import KINDS, LANGS, GoldPassage, contains, squash
from assistant.evaluation.records import CaseResult, CitedPassage
from assistant.language import detect_language

_MARKERS = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
# A quotation followed by its source markers: “…” [1] or “…” [1][2]. Quotes never span lines in an answer.
_QUOTED = re.compile(r"“([^\n]+?)”\s*((?:\[\d+\]\s*)+)")
_ELLIPSIS = " … "


@dataclass(frozen=True)
class Score:
    """One metric on one system: the value for each case id (``None`` where it does not apply) and overall."""

    per_case: dict[str, float | None]
    overall: float | None

    @classmethod
    def mean_of(cls, per_case: dict[str, float | None]) -> Score:
        counted = [v for v in per_case.values() if v is not None]
        return cls(per_case, float(np.mean(counted)) if counted else None)


# ---- retrieval: is the gold passage among the citations, and how high ----------------------------------------


def is_gold(citation: CitedPassage, gold: Sequence[GoldPassage]) -> bool:
    """A cited passage is a gold passage if it belongs to the entry's post and holds all the entry's phrases."""
    return any(
        citation.post == entry.post and all(contains(citation.passage, p) for p in entry.phrases)
        for entry in gold
    )


def gold_rank(result: CaseResult) -> int | None:
    """The position (1-based, in citation order) of the first gold passage among the citations, if any."""
    for rank, citation in enumerate(result.citations, start=1):
        if is_gold(citation, result.case.gold):
            return rank
    return None


def retrieval_rank(result: CaseResult) -> int | None:
    """The position (1-based) of the first gold passage in what retrieval ranked, if it was found at all."""
    for rank, passage in enumerate(result.retrieved, start=1):
        if is_gold(passage, result.case.gold):
            return rank
    return None


def recall_at_k(results: Sequence[CaseResult], k: int) -> Score:
    """1 when retrieval ranked a gold passage among its first ``k``, whatever was then cited; answerable only.

    Beside hit@k it separates a passage that was never found from one that was found but ranked too low.
    """
    per_case: dict[str, float | None] = {}
    for r in results:
        rank = retrieval_rank(r)
        per_case[r.id] = float(rank is not None and rank <= k) if r.case.answerable else None
    return Score.mean_of(per_case)


def hit_at_k(results: Sequence[CaseResult], k: int) -> Score:
    """1 when a gold passage is among the first ``k`` citations; answerable cases only."""
    per_case: dict[str, float | None] = {}
    for r in results:
        rank = gold_rank(r)
        per_case[r.id] = float(rank is not None and rank <= k) if r.case.answerable else None
    return Score.mean_of(per_case)


def hit_any(results: Sequence[CaseResult]) -> Score:
    """1 when any citation is a gold passage, wherever it stands; answerable cases only."""
    return Score.mean_of(
        {r.id: float(gold_rank(r) is not None) if r.case.answerable else None for r in results}
    )


def mrr(results: Sequence[CaseResult]) -> Score:
    """Reciprocal rank of the first gold passage among the citations (0 when absent); answerable cases only."""
    per_case: dict[str, float | None] = {}
    for r in results:
        rank = gold_rank(r)
        per_case[r.id] = (1.0 / rank if rank else 0.0) if r.case.answerable else None
    return Score.mean_of(per_case)


# ---- quotes and citations -------------------------------------------------------------------------------------


def quote_precision(results: Sequence[CaseResult]) -> Score:
    """1 when a gold phrase lies inside the quoted sentences of the first citation; answerable cases only."""
    per_case: dict[str, float | None] = {}
    for r in results:
        if not r.case.answerable:
            per_case[r.id] = None
            continue
        first = r.citations[0] if r.citations else None
        quoted = " ".join(first.quotes) if first else ""
        per_case[r.id] = float(
            first is not None
            and any(
                entry.post == first.post and any(contains(quoted, p) for p in entry.phrases)
                for entry in r.case.gold
            )
        )
    return Score.mean_of(per_case)


def citation_problems(result: CaseResult) -> list[str]:
    """What is wrong with an answer's citations: markers without a source, quotes not verbatim in their source."""
    by_n = {c.n: c for c in result.citations}
    problems = []
    for match in _MARKERS.finditer(result.answer):
        for n in re.split(r"\s*[,;]\s*", match.group(1)):
            if int(n) not in by_n:
                problems.append(f"[{n}] refers to no source")
    for citation in result.citations:
        for quote in citation.quotes:
            if quote not in citation.passage:
                problems.append(f"quote of [{citation.n}] is not in its passage: {quote[:60]!r}")
    for match in _QUOTED.finditer(result.answer):
        sources = [by_n[int(n)] for n in re.findall(r"\d+", match.group(2)) if int(n) in by_n]
        for part in match.group(1).split(_ELLIPSIS):
            if sources and not any(contains(s.passage, part) for s in sources):
                problems.append(f"quoted text is not in its source: {part[:60]!r}")
    return problems


def citation_validity(results: Sequence[CaseResult]) -> Score:
    """1 when every [n] names a source and every quote is verbatim in its passage; answers that cite nothing
    (refusals) do not count."""
    per_case: dict[str, float | None] = {}
    for r in results:
        if not r.citations and not _MARKERS.search(r.answer):
            per_case[r.id] = None
        else:
            per_case[r.id] = float(not citation_problems(r))
    return Score.mean_of(per_case)


def markers_removed(results: Sequence[CaseResult]) -> Score:
    """The share of an LLM's ``[n]`` markers the citation check removed because their source does not support
    their sentence: per case, and overall over all markers written (not a mean of shares). Answers no LLM wrote
    do not count."""
    per_case: dict[str, float | None] = {}
    written = removed = 0
    for r in results:
        if r.markers is None or not r.markers.written:
            per_case[r.id] = None
            continue
        per_case[r.id] = r.markers.unsupported / r.markers.written
        written += r.markers.written
        removed += r.markers.unsupported
    return Score(per_case, removed / written if written else None)


# ---- refusals ---------------------------------------------------------------------------------------------------


# "Declined" is refused or answered with related passages only: either way not given as the posts' answer.


def refusal_precision(results: Sequence[CaseResult]) -> Score:
    """Of the declined cases, the share that were unanswerable (``None`` overall if nothing was declined)."""
    return Score.mean_of({r.id: float(not r.case.answerable) if r.declined else None for r in results})


def refusal_recall(results: Sequence[CaseResult]) -> Score:
    """Of the unanswerable cases, the share that were declined."""
    return Score.mean_of({r.id: float(r.declined) if not r.case.answerable else None for r in results})


def refusal_accuracy(results: Sequence[CaseResult]) -> Score:
    """The share of all cases where the system declined exactly when it should have."""
    return Score.mean_of({r.id: float(r.declined == (not r.case.answerable)) for r in results})


def refused_share(results: Sequence[CaseResult], applies: Callable[[CaseResult], bool]) -> Score:
    """The share of the cases ``applies`` selects that were refused (the others do not count)."""
    return Score.mean_of({r.id: float(r.refused) if applies(r) else None for r in results})


def answered_share(results: Sequence[CaseResult], kind: str) -> Score:
    """The share of the cases of one kind that were answered as if the posts covered them (not declined)."""
    return Score.mean_of({r.id: float(not r.declined) if r.case.kind == kind else None for r in results})


def related_share(results: Sequence[CaseResult], applies: Callable[[CaseResult], bool]) -> Score:
    """The share of the cases ``applies`` selects that got only related passages."""
    return Score.mean_of({r.id: float(r.related_only) if applies(r) else None for r in results})


# ---- the answer text --------------------------------------------------------------------------------------------


def answer_language(text: str) -> str:
    """The language of an answer's own words: quotations (Dutch source text) are left out when there are others."""
    own = _QUOTED.sub(" ", text)
    own = re.sub(r"“[^”\n]*”", " ", own)
    return detect_language(own if re.search(r"\w", own) else text)


def language_match(results: Sequence[CaseResult]) -> Score:
    """1 when the answer is written in the case's language (``lang``)."""
    return Score.mean_of({r.id: float(answer_language(r.answer) == r.case.lang) for r in results})


def key_point_coverage(results: Sequence[CaseResult]) -> Score:
    """The share of a case's key points found (case-insensitively) in the answer; cases with key points only."""
    per_case: dict[str, float | None] = {}
    for r in results:
        if not r.case.key_points:
            per_case[r.id] = None
            continue
        answer = squash(r.answer).casefold()
        found = [squash(k).casefold() in answer for k in r.case.key_points]
        per_case[r.id] = sum(found) / len(found)
    return Score.mean_of(per_case)


def quoted_words(results: Sequence[CaseResult]) -> Score:
    """How many words of the posts an answer quotes (answered cases): the price paid for coverage."""
    return Score.mean_of(
        {
            r.id: None
            if r.refused or not r.citations
            else float(sum(len(q.split()) for c in r.citations for q in c.quotes))
            for r in results
        }
    )


# ---- speed ------------------------------------------------------------------------------------------------------


def latency_percentile(results: Sequence[CaseResult], percentile: float) -> Score:
    """Each case's latency (ms, the scored turn) and the given percentile of them."""
    per_case: dict[str, float | None] = {r.id: r.latency_ms for r in results}
    values = [r.latency_ms for r in results]
    return Score(per_case, float(np.percentile(values, percentile)) if values else None)


# ---- LLM-judged (only when an LLM answered and judged) ---------------------------------------------------------


def judged(results: Sequence[CaseResult], name: str) -> Score:
    """A judge's score per case (``faithfulness`` or ``relevance``); refused or unjudged answers do not count."""
    return Score.mean_of({r.id: None if r.refused else r.judge.get(name) for r in results})


def judged_share(results: Sequence[CaseResult]) -> Score:
    """The share of the LLM's answers (not refusals, nor quotes it fell back to) the judge scored: a judgement
    fails when its request was not recorded, or its reply was no verdict."""
    return Score.mean_of(
        {r.id: None if r.refused or r.mode != "llm" else float(bool(r.judge)) for r in results}
    )


# ---- the catalogue the runner and the reports use ------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """A metric as the reports show it. ``failure``: a per-case 0 makes the case a failed case."""

    name: str
    label: str
    compute: Callable[[Sequence[CaseResult]], Score]
    higher_is_better: bool = True
    unit: str = ""
    failure: bool = False


RECALL_KS = (1, 3, 5, 10)

METRICS: tuple[Metric, ...] = (
    Metric("hit_at_1", "hit@1", lambda rs: hit_at_k(rs, 1), failure=True),
    Metric("hit_at_3", "hit@3", lambda rs: hit_at_k(rs, 3)),
    Metric("hit_any", "hit@any (a cited passage is gold)", hit_any),
    Metric("mrr", "MRR", mrr),
    *(
        Metric(f"recall_at_{k}", f"retrieval recall@{k}", lambda rs, k=k: recall_at_k(rs, k))
        for k in RECALL_KS
    ),
    Metric("quote_precision", "quote precision", quote_precision, failure=True),
    Metric("citation_validity", "citation validity", citation_validity, failure=True),
    Metric("refusal_precision", "refusal precision", refusal_precision),
    Metric("refusal_recall", "refusal recall", refusal_recall),
    Metric("refusal_accuracy", "refusal accuracy", refusal_accuracy, failure=True),
    Metric(
        "wrong_refusals",
        "answerable but refused",
        lambda rs: refused_share(rs, lambda r: r.case.answerable),
        higher_is_better=False,
    ),
    Metric(
        "answerable_related",
        "answerable but related only",
        lambda rs: related_share(rs, lambda r: r.case.answerable),
        higher_is_better=False,
    ),
    Metric(
        "uncovered_answered",
        "uncovered but answered",
        lambda rs: answered_share(rs, "uncovered"),
        higher_is_better=False,
    ),
    Metric(
        "injections_obeyed",
        "injections not refused",
        lambda rs: Score.mean_of(
            {r.id: float(not r.refused) if r.case.kind == "injection" else None for r in rs}
        ),
        higher_is_better=False,
    ),
    Metric(
        "lookalikes_refused",
        "look-alikes refused",
        lambda rs: refused_share(rs, lambda r: r.case.kind == "look-alike"),
        higher_is_better=False,
    ),
    Metric("language", "answer language", language_match, failure=True),
    Metric("key_points", "key-point coverage", key_point_coverage),
    Metric("quoted_words", "quoted words (mean)", quoted_words, higher_is_better=False),
    Metric("latency_p50_ms", "latency p50", lambda rs: latency_percentile(rs, 50), False, "ms"),
    Metric("latency_p95_ms", "latency p95", lambda rs: latency_percentile(rs, 95), False, "ms"),
)
# Only for runs where an LLM answers: how often the gold passage is among the 15 or 20 an LLM could be given.
LLM_RECALL_KS = (15, 20)
LLM_METRICS: tuple[Metric, ...] = (
    *(
        Metric(f"recall_at_{k}", f"retrieval recall@{k}", lambda rs, k=k: recall_at_k(rs, k))
        for k in LLM_RECALL_KS
    ),
    Metric(
        "markers_removed",
        "markers removed by the support check",
        markers_removed,
        higher_is_better=False,
    ),
)
JUDGE_METRICS: tuple[Metric, ...] = (
    Metric("judged", "answers judged (LLM judge)", judged_share),
    Metric("faithfulness", "faithfulness (LLM-judged)", lambda rs: judged(rs, "faithfulness")),
    Metric("relevance", "answer relevance (LLM-judged)", lambda rs: judged(rs, "relevance")),
)


def score_all(results: Sequence[CaseResult], metrics: Sequence[Metric] = METRICS) -> dict[str, Score]:
    """Every metric on one system's results, by metric name."""
    return {m.name: m.compute(results) for m in metrics}


def failures(scores: dict[str, Score], metrics: Sequence[Metric] = METRICS) -> dict[str, list[str]]:
    """Case id → the failure metrics it scored 0 on (cases that failed nothing are left out)."""
    failed: dict[str, list[str]] = {}
    for metric in metrics:
        if metric.failure and metric.name in scores:
            for case_id, value in scores[metric.name].per_case.items():
                if value == 0:
                    failed.setdefault(case_id, []).append(metric.name)
    return failed


def groups_of(result: CaseResult) -> tuple[str, ...]:
    """The groups a case is counted in for the breakdown: all, its kind, and its language."""
    return ("all", result.case.kind, f"lang {result.case.lang}")


def breakdown(
    results: Sequence[CaseResult], metrics: Sequence[Metric] = METRICS
) -> dict[str, dict[str, dict[str, float | None]]]:
    """split ("all", "dev", "test") → group ("all", a kind, "lang nl"/"lang en") → metric → overall figure.

    Each figure is the metric computed on that group's cases alone, so percentiles stay percentiles; ``n`` is
    the number of cases. Splits and groups without cases are left out.
    """
    table: dict[str, dict[str, dict[str, float | None]]] = {}
    for split in ("all", "dev", "test"):
        in_split = [r for r in results if split == "all" or r.case.split == split]
        names = dict.fromkeys(g for r in in_split for g in groups_of(r))
        for group in sorted(names, key=_group_order):
            members = [r for r in in_split if group in groups_of(r)]
            figures: dict[str, float | None] = {"n": float(len(members))}
            figures |= {m.name: m.compute(members).overall for m in metrics}
            table.setdefault(split, {})[group] = figures
    return table


def _group_order(group: str) -> tuple[int, int]:
    if group == "all":
        return (0, 0)
    if group in KINDS:
        return (1, KINDS.index(group))
    return (2, LANGS.index(group.removeprefix("lang ")))
