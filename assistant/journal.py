"""Remember what leaders asked and what they thought of the answers, so the coach can see the gaps.

One SQLite file in the data folder (``journal.sqlite3``). It holds questions, whether they were answered, which
passages were cited, and thumbs up or down: never a name, an IP address, a session or anything else that
identifies a person (each answer gets a random id of its own, so not even two questions of one conversation can
be linked). Each call opens its own connection, so threads (the web app's sessions) and processes can share it.

Entries older than ``retention_days`` are deleted when the journal opens and at most once an hour afterwards;
``retention_days=0`` turns the log off. Deleted rows are overwritten in the file (``secure_delete``).

    journal = Journal.in_folder(settings.data_dir, retention_days=settings.log_retention_days)
    answer_id = journal.record_answer(answer)
    journal.record_feedback(answer_id, 1, answer)
    journal.unanswered()   # [Gap(question="hoe maak ik een rooster", count=3, ...)]
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.answering.types import Answer

FILE_NAME = "journal.sqlite3"
DEFAULT_RETENTION_DAYS = 90
PURGE_INTERVAL_S = 3600.0
MANIPULATION = "manipulation"
# Refusals that are no topic for a next post: the question was an attack, too long to read, or empty.
NOT_A_GAP = (MANIPULATION, "too_long", "empty")
# A question the posts did not answer and that names a topic (SQL, with NOT_A_GAP as its parameters).
_GAP = f"((refused = 1 AND refusal_reason NOT IN ({', '.join('?' for _ in NOT_A_GAP)})) OR related_only = 1)"
# A reason is a remark, not a letter: longer text is cut.
MAX_REASON_CHARS = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    answer_id TEXT PRIMARY KEY,
    asked_at TEXT NOT NULL,
    question TEXT NOT NULL,
    standalone_question TEXT NOT NULL,
    refused INTEGER NOT NULL,
    mode TEXT NOT NULL,
    sources TEXT NOT NULL,
    related_only INTEGER NOT NULL DEFAULT 0,
    refusal_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT PRIMARY KEY,
    given_at TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score IN (0, 1)),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    passages TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
"""


@dataclass(frozen=True)
class AskedQuestion:
    """One question as the journal keeps it; ``sources`` are the cited posts and sections."""

    answer_id: str
    asked_at: str
    question: str
    standalone_question: str
    refused: bool
    mode: str
    sources: list[dict[str, object]]
    related_only: bool = False
    refusal_reason: str = ""  # "off_topic", "manipulation", "too_long", "empty"; "" when answered


@dataclass(frozen=True)
class Gap:
    """A question the posts could not answer, with how often (in any wording that normalizes alike) it came."""

    question: str
    count: int
    last_asked: str


@dataclass(frozen=True)
class Feedback:
    """A thumbs up (1) or down (0) on one answer, with what was asked, answered and cited."""

    answer_id: str
    given_at: str
    score: int
    question: str
    answer: str
    passages: list[dict[str, object]]
    # Why a thumbs down, if the leader said ("de bron klopt niet", free text); "" otherwise.
    reason: str = ""


@dataclass(frozen=True)
class FeedbackCounts:
    up: int
    down: int


class Journal:
    """The questions-and-feedback log in one SQLite file (WAL mode, a connection per call)."""

    def __init__(
        self,
        path: Path,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        clock: Callable[[], float] = time.monotonic,
    ):
        if retention_days < 0:
            raise ValueError(f"retention_days must be 0 or more, not {retention_days}")
        self.path = Path(path)
        self.retention_days = retention_days
        self._clock = clock
        self._purge_lock = threading.Lock()
        self._next_purge = 0.0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            columns = {row["name"] for row in db.execute("PRAGMA table_info(questions)")}
            if "related_only" not in columns:  # journals written before answers could be "related only"
                db.execute("ALTER TABLE questions ADD COLUMN related_only INTEGER NOT NULL DEFAULT 0")
            if "refusal_reason" not in columns:  # journals written before refusals said why
                db.execute("ALTER TABLE questions ADD COLUMN refusal_reason TEXT NOT NULL DEFAULT ''")
            feedback_columns = {row["name"] for row in db.execute("PRAGMA table_info(feedback)")}
            if "reason" not in feedback_columns:  # journals written before a thumbs down could say why
                db.execute("ALTER TABLE feedback ADD COLUMN reason TEXT NOT NULL DEFAULT ''")
        self.purge()

    @classmethod
    def in_folder(cls, data_dir: Path, retention_days: int = DEFAULT_RETENTION_DAYS) -> Journal:
        """The journal of one data folder."""
        return cls(Path(data_dir) / FILE_NAME, retention_days=retention_days)

    @property
    def enabled(self) -> bool:
        """Whether questions are recorded at all (``retention_days`` 0 turns the log off)."""
        return self.retention_days > 0

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA secure_delete=ON")  # what is deleted is overwritten, not left in free pages
        try:
            with db:  # commits, or rolls back on an error
                yield db
        finally:
            db.close()

    # ---- retention --------------------------------------------------------------------------------------------

    def purge(self) -> int:
        """Delete questions and feedback older than the retention (all of them at 0); return how many rows."""
        with self._purge_lock:
            self._next_purge = self._clock() + PURGE_INTERVAL_S
            if not self.enabled:
                return sum(self.clear())
            cutoff = _timestamp(dt.datetime.now(dt.UTC) - dt.timedelta(days=self.retention_days))
            with self._connect() as db:
                deleted = db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
                deleted += db.execute("DELETE FROM feedback WHERE given_at < ?", (cutoff,)).rowcount
            if deleted:
                self._checkpoint()
            return deleted

    def _purge_if_due(self) -> None:
        if self._clock() >= self._next_purge:
            self.purge()

    def clear(self) -> tuple[int, int]:
        """Delete every question and all feedback; return how many of each there were."""
        with self._connect() as db:
            questions = db.execute("DELETE FROM questions").rowcount
            feedback = db.execute("DELETE FROM feedback").rowcount
        self._checkpoint()
        return questions, feedback

    def _checkpoint(self) -> None:
        """Move the write-ahead log into the file and empty it, so no copy of deleted rows stays behind."""
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()

    # ---- writes -----------------------------------------------------------------------------------------------

    def record_answer(self, answer: Answer) -> str:
        """Log a question and how it was answered; return the new answer id (for feedback on it).

        With the log off (retention 0) nothing is written, but the id is returned all the same.
        """
        answer_id = uuid.uuid4().hex
        if not self.enabled:
            return answer_id
        self._purge_if_due()
        sources = [
            {"n": c.n, "post": c.chunk.post_slug, "section": c.chunk.section} for c in answer.citations
        ]
        with self._connect() as db:
            db.execute(
                "INSERT INTO questions (answer_id, asked_at, question, standalone_question, refused, mode, "
                "sources, related_only, refusal_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    _now(),
                    answer.question,
                    answer.standalone_question or answer.question,
                    int(answer.refused),
                    answer.mode,
                    json.dumps(sources, ensure_ascii=False),
                    int(answer.related_only),
                    answer.refusal_reason if answer.refused else "",
                ),
            )
        return answer_id

    def record_feedback(self, answer_id: str, score: int | None, answer: Answer, reason: str = "") -> None:
        """Store thumbs up (1) or down (0) for an answer, with the leader's reason if given (cut to
        ``MAX_REASON_CHARS``); a later verdict replaces it, ``None`` withdraws it."""
        if score not in (None, 0, 1):
            raise ValueError(f"feedback must be 1 (thumbs up) or 0 (thumbs down), not {score!r}")
        if not self.enabled:
            return
        self._purge_if_due()
        if score is None:
            with self._connect() as db:
                db.execute("DELETE FROM feedback WHERE answer_id = ?", (answer_id,))
            return
        passages = [
            {
                "n": c.n,
                "post": c.chunk.post_slug,
                "title": c.chunk.post_title,
                "section": c.chunk.section,
                "passage": c.passage,
                "quote": c.quote,
            }
            for c in answer.citations
        ]
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO feedback (answer_id, given_at, score, question, answer, passages, reason) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    _now(),
                    score,
                    answer.question,
                    answer.text,
                    json.dumps(passages, ensure_ascii=False),
                    reason.strip()[:MAX_REASON_CHARS],
                ),
            )

    # ---- what the coach reads ---------------------------------------------------------------------------------

    def recent_questions(self, limit: int = 50) -> list[AskedQuestion]:
        """The latest questions, newest first."""
        return self._questions("1 = 1", (), limit)

    def manipulation_attempts(self, limit: int = 20) -> list[AskedQuestion]:
        """Questions refused as attempts to make Kompas ignore its rules, newest first."""
        return self._questions("refusal_reason = ?", (MANIPULATION,), limit)

    def _questions(self, where: str, parameters: tuple[object, ...], limit: int) -> list[AskedQuestion]:
        self._purge_if_due()
        with self._connect() as db:
            rows = db.execute(
                f"SELECT * FROM questions WHERE {where} ORDER BY asked_at DESC, rowid DESC LIMIT ?",
                (*parameters, limit),
            ).fetchall()
        return [_asked_question(r) for r in rows]

    def unanswered(self, limit: int = 50) -> list[Gap]:
        """Questions the posts did not answer (refused as off-topic, or only related passages shown), grouped by
        normalized wording: most asked first, then most recent.

        Refusals that say nothing about a missing topic are left out: manipulation attempts (see
        ``manipulation_attempts``), questions too long to read and empty ones. A refusal without a reason
        (journals from before reasons were kept) counts as off-topic.
        """
        self._purge_if_due()
        with self._connect() as db:
            rows = db.execute(
                "SELECT standalone_question, asked_at FROM questions "
                f"WHERE {_GAP} "
                "ORDER BY asked_at DESC, rowid DESC",
                NOT_A_GAP,
            ).fetchall()
        groups: dict[str, list[sqlite3.Row]] = {}
        for row in rows:
            key = normalize_question(row["standalone_question"])
            if key:
                groups.setdefault(key, []).append(row)
        gaps = [
            Gap(question=group[0]["standalone_question"], count=len(group), last_asked=group[0]["asked_at"])
            for group in groups.values()
        ]
        gaps.sort(key=lambda g: g.last_asked, reverse=True)
        gaps.sort(key=lambda g: g.count, reverse=True)
        return gaps[:limit]

    def unanswered_questions(self, limit: int = 1000) -> list[AskedQuestion]:
        """Each question the posts did not answer (refused, or only related passages shown), newest first; not
        the refusals that name no missing topic (manipulation, too long, empty)."""
        return self._questions(_GAP, NOT_A_GAP, limit)

    def feedback(self, limit: int = 50) -> list[Feedback]:
        """The latest feedback, newest first."""
        self._purge_if_due()
        with self._connect() as db:
            rows = db.execute(
                "SELECT * FROM feedback ORDER BY given_at DESC, rowid DESC LIMIT ?", (limit,)
            ).fetchall()
        return [
            Feedback(
                answer_id=r["answer_id"],
                given_at=r["given_at"],
                score=r["score"],
                question=r["question"],
                answer=r["answer"],
                passages=json.loads(r["passages"]),
                reason=r["reason"],
            )
            for r in rows
        ]

    def question_count(self) -> int:
        self._purge_if_due()
        with self._connect() as db:
            return db.execute("SELECT COUNT(*) FROM questions").fetchone()[0]

    def feedback_counts(self) -> FeedbackCounts:
        self._purge_if_due()
        with self._connect() as db:
            up, down = db.execute(
                "SELECT COALESCE(SUM(score = 1), 0), COALESCE(SUM(score = 0), 0) FROM feedback"
            ).fetchone()
        return FeedbackCounts(up=up, down=down)


_PUNCTUATION = re.compile(r"[^\w\s]+")


def normalize_question(question: str) -> str:
    """Lower case, no punctuation, single spaces: "Hoe maak ik een rooster?" and "hoe maak ik een rooster" meet."""
    return " ".join(_PUNCTUATION.sub(" ", question.lower()).split())


def _now() -> str:
    return _timestamp(dt.datetime.now(dt.UTC))


def _timestamp(moment: dt.datetime) -> str:
    """ISO 8601 in UTC to the second: strings of this one form sort as the moments do."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _asked_question(row: sqlite3.Row) -> AskedQuestion:
    return AskedQuestion(
        answer_id=row["answer_id"],
        asked_at=row["asked_at"],
        question=row["question"],
        standalone_question=row["standalone_question"],
        refused=bool(row["refused"]),
        mode=row["mode"],
        sources=json.loads(row["sources"]),
        related_only=bool(row["related_only"]),
        refusal_reason=row["refusal_reason"],
    )
