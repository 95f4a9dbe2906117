"""What the assistant will not do: follow instructions hidden in a question, or answer outside the posts."""

from __future__ import annotations

import re

MAX_QUESTION_CHARS = 1000

_MANIPULATION = re.compile(
    r"negeer\b.{0,40}\b(instructie|opdracht|regel|prompt)|vergeet\b.{0,40}\b(instructie|opdracht|regel)"
    r"|\bignore\b.{0,40}\b(instruction|prompt|rule|above)|\bdisregard\b.{0,40}\b(instruction|prompt|rule)"
    r"|system\s?prompt|systeem\s?prompt|systeembericht|\bjailbreak|developer mode"
    r"|\bje bent (nu|vanaf nu)\b|\byou are now\b|\bact as\b|\bdoe alsof je\b|\bpretend (to be|you)"
    r"|(toon|laat zien|herhaal|geef|vertel|print|reveal|show|repeat).{0,30}\b(instructies|instructions|prompt)\b"
    r"|vergeet\b.{0,20}\b(blog|bronnen|posts)|\bforget\b.{0,20}\b(blog|posts|sources)"
    r"|\b(schrijf|write|dicht|compose)\b.{0,40}(brief|gedicht|poem|essay|verhaal|story|e-?mail|letter|lied|song|code)"
    r"|^\s*(zeg|say|beweer|claim|schrijf op)\s+(dat|that)\b",
    re.IGNORECASE | re.DOTALL,
)


def is_manipulation(question: str) -> bool:
    """Whether a question tries to change or reveal the assistant's instructions."""
    return bool(_MANIPULATION.search(question))


def refusal_text(lang: str, topics: list[str]) -> str:
    """Say the posts do not cover it, and name topics they do cover."""
    listed = "; ".join(f"“{t}”" for t in topics[:4])
    if lang == "en":
        text = "The posts don't cover this, so I can't give you an answer grounded in them."
        return text + (f" I can help with questions about, for example: {listed}." if listed else "")
    text = "Daar gaan de blogs niet over, dus daar kan ik je geen onderbouwd antwoord op geven."
    return text + (f" Ik help je graag met vragen over bijvoorbeeld: {listed}." if listed else "")


def manipulation_text(lang: str) -> str:
    if lang == "en":
        return (
            "I can't do that. I only answer questions about leadership and trust, based on the coach's posts."
        )
    return "Daar ga ik niet op in. Ik beantwoord alleen vragen over leiderschap en vertrouwen, op basis van de blogs."


def too_long_text(lang: str, limit: int = MAX_QUESTION_CHARS) -> str:
    if lang == "en":
        return f"Your question is too long (at most {limit} characters). Could you ask it more briefly?"
    return f"Je vraag is te lang (maximaal {limit} tekens). Kun je hem korter stellen?"
