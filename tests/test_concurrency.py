"""Many sessions asking while the coach adds and removes posts: every answer well-formed, none fails."""

from __future__ import annotations

import threading
import time

import pytest
from conftest import post_md

from assistant.engine import Engine

THREADS = 16
QUESTIONS = [
    "Wat zijn de bouwstenen van vertrouwen?",
    "Hoe geef ik feedback die landt?",
    "Hoe maak ik vergaderingen korter?",
    "Wat doe ik tegen werkdruk in mijn team?",
]

TRUST = post_md(
    "Vertrouwen",
    {
        "Bouwstenen": [
            "Dat zijn de bouwstenen van vertrouwen: zichtbaarheid, eerlijkheid en nabijheid. Mensen vertrouwen je als "
            "je doet wat je zegt. Vertrouwen groeit in kleine dagelijkse keuzes van een leidinggevende."
        ]
    },
)
FEEDBACK = post_md(
    "Feedback",
    {
        "Feedback die landt": [
            "Feedback geven die landt begint bij een concrete waarneming. Benoem wat je zag en wat het effect was. "
            "Vraag daarna hoe de ander het ziet, en spreek samen een volgende stap af."
        ]
    },
)
MEETINGS = post_md(
    "Vergaderen",
    {
        "Korter vergaderen": [
            "Een vergadering wordt korter met een agenda die vragen stelt in plaats van onderwerpen noemt. Zet "
            "informatie in een mail en gebruik de vergadering voor besluiten. Sluit af met wie wat doet."
        ]
    },
)
WORKLOAD = post_md(
    "Werkdruk",
    {
        "Grenzen": [
            "Werkdruk daalt als je samen met je team een stoplijst maakt van taken die niets opleveren. Stel grenzen "
            "aan mail in de avond. Geef zelf het goede voorbeeld als leidinggevende."
        ]
    },
)


def well_formed(answer) -> bool:
    if answer.refused:
        return not answer.citations
    numbers = {c.n for c in answer.citations}
    markers = {int(n) for n in __import__("re").findall(r"\[(\d+)\]", answer.text)}
    return (
        bool(answer.citations)
        and markers <= numbers
        and all(q in c.passage for c in answer.citations for q in c.quotes)
    )


@pytest.mark.timeout(600)
def test_sixteen_sessions_ask_while_posts_are_added_and_removed(engine: Engine, write_files):
    write_files({"vertrouwen.md": TRUST, "feedback.md": FEEDBACK})
    engine.ingest()
    engine.ask("warm up")
    errors: list[BaseException] = []
    malformed: list[str] = []
    latencies: list[float] = []
    writer_done = threading.Event()
    lock = threading.Lock()

    def reader(number: int) -> None:
        asked = 0
        while not writer_done.is_set() or asked < 3:
            question = QUESTIONS[(number + asked) % len(QUESTIONS)]
            started = time.perf_counter()
            try:
                answer = engine.ask(question)
            except BaseException as error:  # anything escaping is a failure of this test
                with lock:
                    errors.append(error)
                return
            with lock:
                latencies.append(time.perf_counter() - started)
                if not well_formed(answer):
                    malformed.append(f"{question}: {answer.text[:80]}")
            asked += 1

    def writer() -> None:
        try:
            for _ in range(2):
                for name, text in (("vergaderen.md", MEETINGS), ("werkdruk.md", WORKLOAD)):
                    engine.add([write_files({name: text}, engine.settings.data_dir.parent / "inbox") / name])
                engine.remove("vergaderen")
            engine.remove("feedback")
        except BaseException as error:
            errors.append(error)
        finally:
            writer_done.set()

    readers = [threading.Thread(target=reader, args=(n,)) for n in range(THREADS)]
    started = time.perf_counter()
    for thread in [*readers, threading.Thread(target=writer)]:
        thread.start()
    for thread in readers:
        thread.join(timeout=500)
    elapsed = time.perf_counter() - started

    assert not errors, errors[:3]
    assert not malformed, malformed[:3]
    assert set(engine.index.posts()) == {"vertrouwen", "werkdruk"}
    final = engine.ask("Wat doe ik tegen werkdruk in mijn team?")
    assert final.citations and final.citations[0].chunk.post_slug == "werkdruk"
    assert all(
        c.chunk.post_slug in {"vertrouwen", "werkdruk"} for c in engine.ask("Hoe geef ik feedback?").citations
    )
    latencies.sort()
    print(
        f"\n{THREADS} threads, {len(latencies)} answers in {elapsed:.1f} s: {len(latencies) / elapsed:.1f}/s, "
        f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms"
    )
