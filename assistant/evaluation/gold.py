"""The gold set: one JSON object per line, each a question (or a conversation) and what a good answer cites.

The format is described in ``eval/README.md``. Every line is checked on load; a bad line is an error naming the
file, the line and the field, so a typo in the gold set never silently becomes a failing case.

    cases = load_gold(Path("eval/gold.jsonl"))
    cases[0].question          # the last turn: the one that is scored
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.chunking import Chunk
from assistant.errors import BadInputError
from assistant.jsonl import read_jsonl

LANGS = ("nl", "en")
# Answerable kinds first, then the ones that must be declined (see eval/README.md for what each means).
ANSWERABLE_KINDS = ("direct", "paraphrase", "english", "follow-up", "look-alike")
DECLINE_KINDS = ("uncovered", "out-of-domain", "injection")
KINDS = ANSWERABLE_KINDS + DECLINE_KINDS
# ``dev`` is for choosing methods, weights, thresholds and word lists; ``test`` is only ever scored.
SPLITS = ("dev", "test")
_FIELDS = ("id", "turns", "answerable", "lang", "gold", "key_points", "kind", "split")


@dataclass(frozen=True)
class GoldPassage:
    """A passage that should be cited: a post's slug and phrases that occur verbatim in one of its chunks."""

    post: str
    phrases: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"post": self.post, "phrases": list(self.phrases)}


@dataclass(frozen=True)
class GoldCase:
    """One case: the turns of a conversation (the last one is scored) and what its answer should contain."""

    id: str
    turns: tuple[str, ...]
    answerable: bool
    lang: str
    gold: tuple[GoldPassage, ...]
    key_points: tuple[str, ...]
    kind: str
    split: str = "dev"

    @property
    def question(self) -> str:
        return self.turns[-1]

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "turns": list(self.turns),
            "answerable": self.answerable,
            "lang": self.lang,
            "gold": [g.to_json() for g in self.gold],
            "key_points": list(self.key_points),
            "kind": self.kind,
            "split": self.split,
        }


def load_gold(path: Path) -> list[GoldCase]:
    """Read and check a gold set; raise ``BadInputError`` naming the line and field of the first problem."""
    cases: list[GoldCase] = []
    seen: dict[str, int] = {}
    for number, item in read_jsonl(path):
        try:
            case = parse_case(item)
        except ValueError as error:
            raise BadInputError(path, f"line {number}: {error}") from None
        if case.id in seen:
            raise BadInputError(
                path, f"line {number}: id {case.id!r} is already used on line {seen[case.id]}"
            )
        seen[case.id] = number
        cases.append(case)
    if not cases:
        raise BadInputError(path, "the gold set has no cases")
    return cases


def parse_case(item: object) -> GoldCase:
    """Check one decoded line and turn it into a ``GoldCase``; ``ValueError`` says what is wrong."""
    if not isinstance(item, dict):
        raise ValueError(f"expected an object, got {type(item).__name__}")
    missing = [f for f in _FIELDS if f not in item]
    if missing:
        raise ValueError(f"missing field(s) {', '.join(missing)}")
    case_id = item["id"]
    if not isinstance(case_id, str) or not case_id.strip():
        raise ValueError(f'"id" must be a non-empty string, got {case_id!r}')
    turns = _strings(item["turns"], "turns", case_id)
    if not turns:
        raise ValueError(f'{case_id}: "turns" needs at least one question')
    if not isinstance(item["answerable"], bool):
        raise ValueError(f'{case_id}: "answerable" must be true or false, got {item["answerable"]!r}')
    if item["lang"] not in LANGS:
        raise ValueError(f'{case_id}: "lang" must be one of {", ".join(LANGS)}, got {item["lang"]!r}')
    if item["kind"] not in KINDS:
        raise ValueError(f'{case_id}: "kind" must be one of {", ".join(KINDS)}, got {item["kind"]!r}')
    if item["split"] not in SPLITS:
        raise ValueError(f'{case_id}: "split" must be one of {", ".join(SPLITS)}, got {item["split"]!r}')
    if item["answerable"] != (item["kind"] in ANSWERABLE_KINDS):
        expected = "true" if item["kind"] in ANSWERABLE_KINDS else "false"
        raise ValueError(f'{case_id}: a {item["kind"]} case must have "answerable": {expected}')
    gold = _passages(item["gold"], case_id)
    key_points = _strings(item["key_points"], "key_points", case_id)
    if item["answerable"] and not gold:
        raise ValueError(f'{case_id}: an answerable case needs at least one "gold" passage')
    if not item["answerable"] and (gold or key_points):
        raise ValueError(f'{case_id}: an unanswerable case must have empty "gold" and "key_points"')
    return GoldCase(
        case_id, turns, item["answerable"], item["lang"], gold, key_points, item["kind"], item["split"]
    )


def _strings(value: object, name: str, case_id: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f'{case_id}: "{name}" must be a list of non-empty strings, got {value!r}')
    return tuple(value)


def _passages(value: object, case_id: str) -> tuple[GoldPassage, ...]:
    if not isinstance(value, list):
        raise ValueError(f'{case_id}: "gold" must be a list, got {value!r}')
    passages = []
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("post"), str) or not entry["post"]:
            raise ValueError(f'{case_id}: each "gold" entry needs "post" (a slug), got {entry!r}')
        phrases = _strings(entry.get("phrases"), "phrases", case_id)
        if not phrases:
            raise ValueError(f"{case_id}: gold entry for {entry['post']!r} has no phrases")
        passages.append(GoldPassage(entry["post"], phrases))
    return tuple(passages)


def in_split(cases: Iterable[GoldCase], split: str | None) -> list[GoldCase]:
    """The cases of one split (``None``: all of them)."""
    return [c for c in cases if split is None or c.split == split]


def sample(cases: Sequence[GoldCase], size: int) -> list[GoldCase]:
    """About ``size`` cases of each split, the kinds in proportion (each present kind at least once), picked by a
    hash of their ids: the same cases every run, chosen without reading them (for runs whose every answer costs
    something, such as recording LLM replies). The cases keep their order."""
    chosen: set[str] = set()
    for split in SPLITS:
        in_this = [c for c in cases if c.split == split]
        by_kind = {k: [c for c in in_this if c.kind == k] for k in KINDS}
        by_kind = {
            k: sorted(v, key=lambda c: hashlib.sha256(c.id.encode()).hexdigest())
            for k, v in by_kind.items()
            if v
        }
        if not in_this:
            continue
        shares = {k: size * len(v) / len(in_this) for k, v in by_kind.items()}
        counts = {k: max(1, int(share)) for k, share in shares.items()}
        # largest remainders first, until the split has its size
        for k in sorted(shares, key=lambda k: shares[k] - int(shares[k]), reverse=True):
            if sum(counts.values()) >= size:
                break
            counts[k] += 1
        for kind, members in by_kind.items():
            chosen.update(c.id for c in members[: counts[kind]])
    return [c for c in cases if c.id in chosen]


def fingerprint(cases: Iterable[GoldCase], post_files: Mapping[str, Path]) -> str:
    """A hash of the cases and of the posts they cite, to notice when a frozen split was edited.

    ``post_files`` maps slugs to files; a cited post that is not among them is hashed by its slug alone.
    """
    cases = sorted(cases, key=lambda c: c.id)
    digest = hashlib.sha256()
    for case in cases:
        digest.update(json.dumps(case.to_json(), sort_keys=True, ensure_ascii=False).encode() + b"\n")
    for slug in sorted({g.post for c in cases for g in c.gold}):
        path = post_files.get(slug)
        digest.update(slug.encode() + b"\x1f" + (path.read_bytes() if path else b"") + b"\x1e")
    return digest.hexdigest()[:16]


def phrase_problems(cases: Iterable[GoldCase], chunks: Iterable[Chunk]) -> list[str]:
    """Where the gold set no longer matches the chunks: a phrase in no chunk or in several, an entry split.

    Run after editing a post or the chunker; an empty list means every gold entry identifies one chunk.
    """
    by_post: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_post.setdefault(chunk.post_slug, []).append(chunk)
    problems = []
    for case in cases:
        for entry in case.gold:
            post_chunks = by_post.get(entry.post)
            if post_chunks is None:
                problems.append(f"{case.id}: no post {entry.post!r} in the evaluation corpus")
                continue
            holders: set[str] = set()
            for phrase in entry.phrases:
                found = [c.id for c in post_chunks if contains(c.text, phrase)]
                if len(found) != 1:
                    problems.append(f"{case.id}: {phrase!r} occurs in {len(found)} chunks of {entry.post}")
                holders.update(found)
            if len(holders) > 1:
                problems.append(f"{case.id}: the phrases for {entry.post} lie in different chunks")
    return problems


def contains(text: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs verbatim in ``text``, ignoring differences in whitespace (line breaks)."""
    return squash(phrase) in squash(text)


def squash(text: str) -> str:
    return " ".join(text.split())
