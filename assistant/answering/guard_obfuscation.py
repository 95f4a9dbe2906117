"""Undo the obfuscation that only exists to slip past a filter, so the guard reads the words an attempt hides.

A question is checked as written and once more as `readable(question)`. Ordinary text is left as it is by every
step, so the second reading can only add what obfuscation hid: invisible characters inside words, look-alike
letters from other scripts and full-width forms, letters spaced out or split by dots and dashes, light leetspeak,
words joined by underscores (SYSTEM_PROMPT), misspellings of the few words every attempt needs, and base64.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata

from assistant.answering.guard_words import FLAGS

# Zero-width characters and the soft hyphen are invisible in a chat box: inside a word they only split it for a filter.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
# Cyrillic and Greek letters that look like Latin ones. Dutch and English questions have no other use for them.
_LOOK_ALIKES = str.maketrans(
    "аеорсхуіјѕԁһкмтвнАЕОРСХУІЈЅВНКМТαοερνιτυκΑΟΕΡΝΙΤΥΚΜΒ",
    "aeopcxyijsdhkmtbhAEOPCXYIJSBHKMTaoepvituk" + "AOEPNITYKMB",
)
# Letters spaced out ("n e g e e r   j e   r e g e l s", words apart by two or more spaces), or split by single
# dots, dashes or stars ("I-g-n-o-r-e", "n.e.g.e.e.r"). Abbreviations ("t.a.v.", "e.g.") lose their dots, harmlessly.
_SPACED_LETTERS = re.compile(r"(?<!\S)(?:\w {1,3}){3,}\w(?!\S)")
_SPLIT_LETTERS = re.compile(r"\b(?:\w[.*-]){3,}\w\b")
_LEET_WORD = re.compile(r"\b(?=[\w@$]*[a-z])(?=[\w@$]*[0134578@$])[\w@$]+", FLAGS)
_LEET = str.maketrans("0134578@$", "oieastbas")
_UNDERSCORED = re.compile(r"(?<=[A-Za-z])_(?=[A-Za-z])")

# The words nearly every attempt needs; a misspelling one edit away ("instrucites", "ignroe", "promt") is read as
# the word. Only these: a general spelling corrector would turn school words into them.
_KEY_WORDS = (
    "negeer",
    "ignore",
    "disregard",
    "instructies",
    "instructie",
    "instructions",
    "instruction",
    "prompt",
    "systeemprompt",
    "richtlijnen",
    "guidelines",
    "configuratie",
    "configuration",
)
_WORD = re.compile(r"[^\W\d_]{5,}")

# base64 long enough to hold an instruction, decoded when it is readable text.
_BASE64 = re.compile(r"(?<![\w+/])[A-Za-z0-9+/]{16,}={0,2}(?![\w+/=])")


def _one_edit_apart(word: str, key: str) -> bool:
    """Damerau distance 1: one letter inserted, deleted, replaced, or two neighbours swapped."""
    if word == key or abs(len(word) - len(key)) > 1:
        return False
    if len(word) == len(key):
        diff = [i for i, (a, b) in enumerate(zip(word, key, strict=True)) if a != b]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == key[diff[1]]
        return len(diff) == 1 or (swapped and word[diff[1]] == key[diff[0]])
    short, long = sorted((word, key), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _respelled(match: re.Match[str]) -> str:
    word = match.group(0)
    lower = word.lower()
    return next((key for key in _KEY_WORDS if _one_edit_apart(lower, key)), word)


def _decoded(match: re.Match[str]) -> str:
    token = match.group(0)
    try:
        text = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return token
    readable = sum(ch.isalpha() or ch == " " for ch in text) >= 0.9 * len(text) and " " in text
    return f"{token} ({text})" if readable else token


def readable(text: str) -> str:
    """The question with every obfuscation undone; ordinary text comes back unchanged."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_LOOK_ALIKES)
    text = _BASE64.sub(_decoded, text)
    text = _SPACED_LETTERS.sub(
        lambda run: " ".join(word.replace(" ", "") for word in re.split(r" {2,}", run.group(0))), text
    )
    text = _SPLIT_LETTERS.sub(lambda run: re.sub(r"[.*-]", "", run.group(0)), text)
    text = _LEET_WORD.sub(lambda word: word.group(0).translate(_LEET), text)
    text = _UNDERSCORED.sub(" ", text)
    return _WORD.sub(_respelled, text)
