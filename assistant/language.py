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

# Beyond the standard lists, whole grammatical classes that shape a question but never name its topic. Each class
# is listed in full for both languages; no word is here because it moved one evaluation case.
_QUESTION_WORDS = (  # interrogatives: every question has one, so they match every passage alike
    "waarom welke welk wanneer waar waarmee waarop waarover waardoor hoe hoezo wat wie",
    "what how why which when where who whom whose",
)
_PRONOUNS = (  # personal and possessive pronouns the standard lists leave out
    "jij jou jouw jullie we wij onze ons mijzelf jezelf",
    "i me my mine you your yours we us our ours it its they them their",
)
_AUXILIARIES = (  # modal and auxiliary verbs: they carry mood and tense, not content
    "kun kan kunt kunnen moet moeten mag mogen zou zouden zal zullen wil willen doe doet doen ga gaat gaan",
    "do does did can could should would will shall may might must is are was were be been am have has had",
)
_ORDINALS = (  # "de tweede stap": position words, the item they order is what counts
    "eerste tweede derde vierde vijfde zesde zevende achtste negende tiende laatste",
    "first second third fourth fifth sixth seventh eighth ninth tenth last",
)
_SOURCE_WORDS = (  # references to the posts themselves ("volgens de blog"): true of every passage
    "blog blogs artikel artikelen post posts volgens",
    "blog blogs article articles post posts according",
)
_SPEECH_ACTS = (  # verbs that ask for an answer ("vertel", "leg uit"), not what the answer is about
    "vertel noem geef leg uitleggen toelichten beschrijf zeggen zegt",
    "tell name give explain describe say says",
)
_EXTRA = frozenset(
    word
    for group in (_QUESTION_WORDS, _PRONOUNS, _AUXILIARIES, _ORDINALS, _SOURCE_WORDS, _SPEECH_ACTS)
    for words_of_language in group
    for word in words_of_language.split()
)
STOP_WORDS = frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN) | _EXTRA

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
