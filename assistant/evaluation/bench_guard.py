"""``assistant bench --guard``: the manipulation guard's time on adversarial questions of the longest length asked.

The guard runs before anything else on every question, so its worst case is every leader's wait. Regular
expressions show their worst on long runs of the words they look for: one word or a pair repeated to the length
limit, and random sequences of them (a question of 111 repeated "vanaf nu" once never finished). The questions are
drawn with a fixed seed, so two runs time the same ones. Time is CPU time of this process, which a loaded machine
disturbs less than the wall clock.

    result = run_guard_bench()
    print(guard_markdown(result))
"""

from __future__ import annotations

import os
import random
import statistics
import time

from assistant.answering.guard import MAX_QUESTION_CHARS, is_manipulation

# The words the guard's patterns turn on, in both languages, with the punctuation between them; underscores join
# the phrases that are meant to repeat as one.
TRIGGER_WORDS = (
    "je jij jou jouw you your de het the een a die dat that which waarmee als if zonder without niet not kun wil "
    "zou can could would ben bent are were was is wat what welke hoe how negeer vergeet ignore forget regels rules "
    "instructies instructions prompt systeem system blogs posts van of voor for in op met with speel play rol role "
    "wees be vanaf nu voortaan from now on en and dan then maar but vertel tell laat zien show geef give schrijf "
    "write antwoord answer eigen own kennis knowledge ai chatbot taalmodel model : , ' \" ( [ - . ? please kun_je "
    "vanaf_nu from_now_on i_want_you_to ik_wil_dat_je doe_alsof pretend_to_be"
).split()
SEED = 11
TARGET_SECONDS = 0.25


def adversarial_questions(limit: int = MAX_QUESTION_CHARS, random_ones: int = 100) -> list[str]:
    """Each trigger word repeated to ``limit`` characters, then pairs of them, then ``random_ones`` random runs."""
    draw = random.Random(SEED)
    phrases = [word.replace("_", " ") for word in TRIGGER_WORDS]

    def repeated(text: str) -> str:
        text += " "
        return (text * (limit // len(text) + 1))[:limit]

    singles = [repeated(phrase) for phrase in phrases]
    pairs = [repeated(f"{phrase} {draw.choice(phrases)}") for phrase in phrases]
    runs = [" ".join(draw.choice(phrases) for _ in range(limit // 3))[:limit] for _ in range(random_ones)]
    return singles + pairs + runs


def run_guard_bench(random_ones: int = 100) -> dict[str, object]:
    """Time the guard on each adversarial question once; the slowest ones with their openings."""
    timings = []
    for question in adversarial_questions(random_ones=random_ones):
        started = time.process_time()
        is_manipulation(question)
        timings.append((time.process_time() - started, question))
    seconds = sorted(t for t, _ in timings)
    slowest = sorted(timings, key=lambda item: item[0], reverse=True)[:5]
    return {
        "questions": len(timings),
        "characters": MAX_QUESTION_CHARS,
        "median_s": round(statistics.median(seconds), 4),
        "p99_s": round(seconds[min(len(seconds) - 1, int(0.99 * len(seconds)))], 4),
        "worst_s": round(seconds[-1], 4),
        "target_s": TARGET_SECONDS,
        "slowest": [{"seconds": round(t, 4), "opening": q[:60]} for t, q in slowest],
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def guard_markdown(result: dict[str, object]) -> str:
    """The bench's figures as a short Markdown report."""
    worst = result["worst_s"]
    verdict = "within" if worst <= result["target_s"] else "OVER"
    lines = [
        f"# The manipulation guard on {result['questions']} adversarial questions of "
        f"{result['characters']} characters",
        "",
        "| median | p99 | worst | target |",
        "|---:|---:|---:|---:|",
        f"| {result['median_s']} s | {result['p99_s']} s | {worst} s | ≤ {result['target_s']} s ({verdict}) |",
        "",
        "CPU time of one call each. The slowest:",
        "",
        *(f"- {item['seconds']} s: `{item['opening']}…`" for item in result["slowest"]),
        "",
        f"Load average: {' / '.join(str(v) for v in result['load_average'])}.",
    ]
    return "\n".join(lines)
