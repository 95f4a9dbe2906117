"""The LLM path's figures, per split, as counts: each LLM system beside the extractive answers to the same cases.

Read from the JSON report (``report.to_json``), like the other reports: first cited passage gold, any cited passage
gold (overall and per kind), the markers the support check removed, the cases that must be declined and were,
how many answers the judge scored, and how the recorded replies served the run.

    print("\\n".join(llm_markdown(report)))
"""

from __future__ import annotations

from assistant.evaluation.gold import ANSWERABLE_KINDS, DECLINE_KINDS

EXTRACTIVE_SUFFIX = "-extractive"


def _count(hits: int, total: int) -> str:
    return f"{hits} / {total} ({hits / total:.2f})" if total else "–"


def _cases(report: dict, system: str, split: str) -> list[dict]:
    return [c for c in report["systems"][system]["cases"] if split == "all" or c["split"] == split]


def _hits(cases: list[dict], metric: str, kind: str | None = None) -> str:
    values = [c["scores"].get(metric) for c in cases if kind is None or c["kind"] == kind]
    counted = [v for v in values if v is not None]
    return _count(sum(v == 1 for v in counted), len(counted))


def _markers(cases: list[dict]) -> str:
    checked = [c["markers"] for c in cases if c.get("markers")]
    if not checked:
        return "–"
    written = sum(m["written"] for m in checked)
    unsupported = sum(m["unsupported"] for m in checked)
    unknown = sum(m["unknown"] for m in checked)
    return f"{unsupported} of {written}" + (f" (and {unknown} naming no source)" if unknown else "")


def _declined(cases: list[dict], kind: str) -> str:
    of_kind = [c for c in cases if c["kind"] == kind]
    return _count(sum(c["refused"] or c["related_only"] for c in of_kind), len(of_kind))


def _written(cases: list[dict]) -> list[dict]:
    """The cases whose answer the LLM wrote: not refused, and not the quotes it fell back to."""
    return [c for c in cases if c.get("mode") == "llm" and not c["refused"]]


def _judged(cases: list[dict]) -> str:
    written = _written(cases)
    if not written:
        return "–"
    judged = [c["judge"] for c in written if c["judge"]]
    figure = f"{len(judged)} of {len(written)}"
    for name in ("faithfulness", "relevance"):
        values = [j[name] for j in judged if name in j]
        if values:
            figure += f", {name} {sum(values) / len(values):.2f}"
    return figure


def _recall_given(report: dict, system: str, cases: list[dict]) -> str:
    """How often the gold passage was among the passages the LLM was given (recall@k at that k)."""
    given = report["systems"][system].get("llm_passages")
    return _hits(cases, f"recall_at_{given}") if given else "–"


def llm_systems(report: dict) -> list[str]:
    """Our systems whose answers an LLM wrote, then the extractive ones run beside them."""
    ours = [name for name, s in report["systems"].items() if s.get("llm_passages")]
    beside = [name for name in report["systems"] if name.endswith(EXTRACTIVE_SUFFIX)]
    return ours + beside


def llm_table(report: dict, split: str) -> list[str]:
    systems = llm_systems(report)
    cases = {s: _cases(report, s, split) for s in systems}
    is_llm = {s: bool(report["systems"][s].get("llm_passages")) for s in systems}
    kinds = [k for k in ANSWERABLE_KINDS if any(c["kind"] == k for c in cases[systems[0]])]
    rows: list[list[str]] = [
        ["gold passage among those the LLM was given", *(_recall_given(report, s, cases[s]) for s in systems)]
    ]
    for metric, label in (
        ("hit_at_1", "first cited passage holds the gold phrase"),
        ("hit_any", "a cited passage holds it"),
    ):
        rows.append([label, *(_hits(cases[s], metric) for s in systems)])
        rows += [[f"  {kind}", *(_hits(cases[s], metric, kind) for s in systems)] for kind in kinds]
    answered = {s: [c for c in cases[s] if not c["refused"]] for s in systems}
    rows.append(
        [
            "answers the LLM wrote (not refused, not fallen back to quotes)",
            *(f"{len(_written(cases[s]))} of {len(answered[s])}" if is_llm[s] else "–" for s in systems),
        ]
    )
    rows.append(["markers the support check removed", *(_markers(cases[s]) for s in systems)])
    for kind in DECLINE_KINDS:
        if any(c["kind"] == kind for c in cases[systems[0]]):
            rows.append([f"{kind} declined", *(_declined(cases[s], kind) for s in systems)])
    if report.get("judge") == "on":
        rows.append(["LLM answers judged", *(_judged(cases[s]) if is_llm[s] else "–" for s in systems)])
    elif report.get("judge"):
        rows.append(["LLM answers judged", *("skipped" if is_llm[s] else "–" for s in systems)])
    header = ["figure", *systems]
    lines = ["| " + " | ".join(header) + " |", "|:---|" + "---:|" * len(systems)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def llm_markdown(report: dict) -> list[str]:
    """Per split (test first), the LLM table; then how the recordings served the run."""
    if not llm_systems(report):
        return []
    splits = [
        s
        for s in ("test", "dev")
        if any(c["split"] == s for c in report["systems"][llm_systems(report)[0]]["cases"])
    ]
    lines: list[str] = []
    for split in splits:
        lines += [f"#### The LLM path, split {split}", "", *llm_table(report, split), ""]
    replay = report.get("recordings")
    if replay:
        lines.append(
            f"- recorded replies: {replay['folder']} ({replay['recorded']} recorded); {replay['replayed']} requests "
            f"replayed, {replay['not_recorded']} not recorded"
            + (
                f" (written to {replay['pending']}; {replay.get('held', 0)} more wait behind them in their "
                "conversations; those cases fell back as when a model fails: the figures are not final)"
                if replay["not_recorded"]
                else ""
            )
        )
    return lines
