"""Words for search: Dutch stemming and stop words, character n-grams, and telling Dutch from English.

Corpus and questions go through the same functions, so the lexical index and its queries always agree (the
trap of a stemmer forgotten on one side cannot happen).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN

_WORD = re.compile(r"\w+", re.UNICODE)

# Question words, fillers, ordinals ("de tweede") and verdicts ("is dat verstandig?"): they name no topic, so
# they count neither for BM25 nor for whether the corpus covers a question.
_EXTRA_DUTCH = frozenset(
    """
    waarom welke welk wanneer waar waarmee hoe jij jou jouw mijn we wij onze ons kun kan kunt moet
    moeten mag zou zouden doe doet eigenlijk precies even graag iets dingen ding manier manieren goed
    goede zeggen zegt volgens blog blogs artikel beste echt vaak vind vinden krijg krijgen gaat gaan ga
    maak maken waarop daarbij daarmee dus erover ermee wel heel concreet uitleggen vertel noem geef
    eerste tweede derde vierde vijfde laatste verder mis uitleg toelichten verstandig erg normaal beter
    slecht slechte handig belangrijk nodig moeilijk lastig makkelijk gewoon juist slim raar oké okay
    """.split()
)
_EXTRA_ENGLISH = frozenset(
    """
    what how why which when where who do does can could should would my your you i me we our is are be
    about according blog post posts tell give some good best way ways really things thing make get it
    this that first second third last more explain wise bad okay normal important
    """.split()
)
STOP_WORDS = frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN) | _EXTRA_DUTCH | _EXTRA_ENGLISH

_DUTCH_MARKERS = frozenset(
    "de het een en van ik je jij is dat wat hoe niet met voor op zijn als mijn waarom welke ze wij we hun er "
    "bij ook maar om dan nog kan naar uit zo wordt worden mij me heb hebben team".split()
)
_ENGLISH_MARKERS = frozenset(
    "the a an and of i you is that what how not with for on are my why which they we their there be to in "
    "it do does can should could would this these those about".split()
)

_stemmer_lock = threading.Lock()
_stemmer = Stemmer.Stemmer("dutch")


def words(text: str) -> list[str]:
    """Lower-cased words of two or more letters or digits."""
    return [w for w in _WORD.findall(text.lower()) if len(w) > 1]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    with _stemmer_lock:  # PyStemmer objects are not thread-safe
        return _stemmer.stemWord(word)


def content_stems(text: str) -> list[str]:
    """Stemmed words that carry meaning: stop words and question words removed."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def char_ngrams(text: str, sizes: tuple[int, ...] = (3, 4, 5)) -> list[str]:
    """Character n-grams of each content word, padded so word starts and ends count (matches compounds)."""
    grams: list[str] = []
    for word in words(text):
        if word in STOP_WORDS:
            continue
        padded = f"_{word}_"
        for size in sizes:
            grams += [padded[i : i + size] for i in range(max(1, len(padded) - size + 1))]
    return grams


def detect_language(text: str) -> str:
    """``"en"`` when the text reads as English, else ``"nl"`` (the product's main language)."""
    tokens = _WORD.findall(text.lower())
    dutch = sum(t in _DUTCH_MARKERS for t in tokens)
    english = sum(t in _ENGLISH_MARKERS for t in tokens)
    return "en" if english > dutch else "nl"
