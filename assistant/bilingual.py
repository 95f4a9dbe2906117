"""English words to Dutch ones, from the FreeDict dictionaries Debian installs, for the lexical side of English questions.

The posts are Dutch, so an English question's own words match nothing in BM25. FreeDict's English–Dutch and
Dutch–English dictionaries (``dict-freedict-eng-nld``, ``dict-freedict-nld-eng``; dictd format: an ``.index`` of
headword, offset and length in base 64, and a gzipped ``.dict``) give each English word its Dutch translations:
eng-nld directly, nld-eng read backwards. They are GPL-2+ and this project is MIT, so they are read from the system
package at run time and never shipped: without them, ``Dictionary.load`` gives an empty dictionary and English
questions are searched as they are, as before.

English words are looked up by their Snowball stem (teachers → teacher); each translation's Dutch content words
(stop words dropped: "vertrouwen hebben in" → "vertrouwen") are what is searched. A question becomes groups of
alternatives, one group per content word: the word itself (teams, feedback and names are the same in Dutch) and its
translations. Lexical search scores each group by its best alternative, so a word with ten translations counts
once; the dense side embeds the question's words each followed by its translation the posts use most.

The posts' own words complete the dictionary (``Vocabulary``): every Dutch word of the posts is embedded once (on
the passage side, through the embedder's persistent cache), and an English word's nearest ones by the multilingual
embedder join its translations (teachers → leerkrachten, innovation → innovatie, unprepared → onvoorbereid): the
field's words a general dictionary lacks. Of the dictionary's translations only those the posts use are kept, which
drops words the blog never uses. Without the dictionaries the nearest words alone translate.

    dictionary = installed_dictionary(Path("/usr/share/dictd"))
    dictionary.translations("teachers")     # ("lerares", "onderwijzeres", ..., "leraar", ...)
    question = dictionary.question("How do I build trust?")
    question.groups                          # (("build", "aanbouw", "bouw", ...), ("trust", "fiducie", ...))
    question.dutch_words(frequency)          # "build bouwen trust vertrouwen"
    dutch = corpus_words(texts)                       # the posts' words
    vocabulary = Vocabulary.of(dutch, embed_words(embedder, dutch))
    vocabulary.nearest(embedder.get_query_embedding("teachers"))   # ("leerkrachten",)
"""

from __future__ import annotations

import gzip
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import Stemmer
from llama_index.core.embeddings import BaseEmbedding

from assistant.language import STOP_WORDS, stem, words

ENGLISH_DUTCH = "freedict-eng-nld"
DUTCH_ENGLISH = "freedict-nld-eng"
NAMES = (ENGLISH_DUTCH, DUTCH_ENGLISH)
PACKAGES = "dict-freedict-eng-nld dict-freedict-nld-eng"
_BASE64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_NUMBERING = re.compile(r"^\s*\d+\.\s*")
_NOTES = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_SEPARATORS = re.compile(r"[,;]")

# An English word's nearest words of the posts that count as its translations: at most this many, each at least
# this similar (e5-small places any two single words 0.80–1.0 apart) and within the margin of the nearest one.
# Chosen on dev; words shorter than three letters are too ambiguous to translate to.
NEAREST_WORDS = 3
NEAREST_FLOOR = 0.88
NEAREST_MARGIN = 0.02
SHORTEST_WORD = 3
_EMBED_BATCH = 256

_english_stemmer = Stemmer.Stemmer("english")
_stemmer_lock = threading.Lock()


def english_stem(word: str) -> str:
    with _stemmer_lock:  # PyStemmer objects are not thread-safe
        return _english_stemmer.stemWord(word)


@dataclass(frozen=True)
class Dictionary:
    """English stem → the Dutch content words of its translations (empty when no dictionary is installed)."""

    by_stem: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""

    def __bool__(self) -> bool:
        return bool(self.by_stem)

    def translations(self, english_word: str) -> tuple[str, ...]:
        """The Dutch words an English word can translate to; () when the dictionary has none."""
        return self.by_stem.get(english_stem(english_word.lower()), ())

    def question(
        self, text: str, near: Callable[[str], tuple[str, ...]] | None = None, used: Vocabulary | None = None
    ) -> EnglishQuestion:
        """An English question's content words, each with its Dutch translations: with ``used``, only those the
        posts use; with ``near``, also the posts' words nearest to it."""
        groups, translated = [], {}
        for word in content_words(text):
            translated[word] = tuple(t for t in self.translations(word) if used is None or t in used)
            groups.append(tuple(dict.fromkeys((word, *translated[word], *(near(word) if near else ())))))
        return EnglishQuestion(tuple(groups), translated)

    @classmethod
    def load(cls, folder: Path) -> Dictionary:
        """The dictionaries found in ``folder``; an empty one, never an error, when they are missing or broken."""
        pairs: dict[str, dict[str, None]] = {}
        found = []
        for name, english_first in ((ENGLISH_DUTCH, True), (DUTCH_ENGLISH, False)):
            try:
                entries = list(_entries(folder / f"{name}.index", folder / f"{name}.dict.dz"))
            except (OSError, ValueError, EOFError, UnicodeDecodeError):
                continue
            found.append(name)
            for headword, translations in entries:
                for english, dutch in _pairs(headword, translations, english_first):
                    pairs.setdefault(english_stem(english), {}).update(dict.fromkeys(dutch))
        return cls({stem: tuple(dutch) for stem, dutch in pairs.items() if dutch}, " + ".join(found))


def installed(folder: Path) -> bool:
    """Whether both dictionaries are in ``folder`` (without reading them)."""
    return all((folder / f"{name}{ext}").is_file() for name in NAMES for ext in (".index", ".dict.dz"))


@lru_cache(maxsize=4)
def installed_dictionary(folder: Path) -> Dictionary:
    """The dictionaries in ``folder``, read once per process (about a second)."""
    return Dictionary.load(folder)


@dataclass(frozen=True)
class EnglishQuestion:
    """Per content word of an English question: the word first, then its Dutch translations."""

    groups: tuple[tuple[str, ...], ...]
    # Per content word, only the dictionary's translations (without the posts' nearest words).
    translated: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def dutch_words(self, frequency: Callable[[str], int]) -> str:
        """The question's content words, each followed by its translation that occurs in most passages
        (``frequency``: in how many passages a word occurs); a word without one stays alone."""
        out: list[str] = []
        for word, *translations in self.groups:
            used = [t for t in translations if frequency(t) > 0]
            out += [word, max(used, key=frequency)] if used else [word]
        return " ".join(out)


def content_words(question: str) -> list[str]:
    """A question's distinct content words, in order: what is translated, one group each."""
    return list(dict.fromkeys(w for w in words(question) if w not in STOP_WORDS))


def corpus_words(texts: Iterable[str]) -> list[str]:
    """The distinct content words of ``texts`` that can be translated to: letters only, ``SHORTEST_WORD`` or
    longer, stop words left out; sorted."""
    return sorted(
        {
            w
            for text in texts
            for w in words(text)
            if len(w) >= SHORTEST_WORD and w.isalpha() and w not in STOP_WORDS
        }
    )


def embed_words(embedder: BaseEmbedding, dutch: list[str]) -> np.ndarray:
    """One unit row per word, embedded on the passage side (so a cached embedder keeps them on disk)."""
    rows = [
        np.asarray(embedder.get_text_embedding_batch(dutch[start : start + _EMBED_BATCH]), dtype=np.float32)
        for start in range(0, len(dutch), _EMBED_BATCH)
    ]
    vectors = np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


@dataclass(frozen=True)
class Vocabulary:
    """The posts' Dutch words, each with its vector: what an English word's translations are looked for among."""

    words: tuple[str, ...] = ()
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    stems: frozenset[str] = frozenset()

    @classmethod
    def of(cls, dutch: list[str], vectors: np.ndarray) -> Vocabulary:
        return cls(tuple(dutch), vectors, frozenset(stem(w) for w in dutch))

    def __bool__(self) -> bool:
        return bool(self.words)

    def __contains__(self, dutch: object) -> bool:
        """Whether the posts use a Dutch word (in any form: by its stem)."""
        return isinstance(dutch, str) and stem(dutch) in self.stems

    def nearest(self, vector: list[float]) -> tuple[str, ...]:
        """The posts' words nearest to an English word's (query-side) vector: up to ``NEAREST_WORDS``, at least
        ``NEAREST_FLOOR`` similar and within ``NEAREST_MARGIN`` of the nearest."""
        return self.nearest_many([vector])[0]

    def nearest_many(self, vectors: list[list[float]]) -> list[tuple[str, ...]]:
        """``nearest`` for several words at once: one matrix product instead of one per word, which took 8 ms
        each on this loaded machine (a question's words: about 90 ms)."""
        if not self.words or not vectors:
            return [() for _ in vectors]
        similarities = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1) @ self.vectors.T
        return [self._nearest(similarity) for similarity in similarities]

    def _nearest(self, similarity: np.ndarray) -> tuple[str, ...]:
        best = np.argsort(-similarity)[:NEAREST_WORDS]
        bar = max(NEAREST_FLOOR, float(similarity[best[0]]) - NEAREST_MARGIN)
        return tuple(self.words[i] for i in best if similarity[i] >= bar)


def _pairs(headword: str, translations: list[str], english_first: bool) -> Iterator[tuple[str, list[str]]]:
    """(single English word, Dutch content words) for one dictionary entry, whichever way it translates."""
    if english_first:
        english, dutch = [headword], translations
    else:
        english, dutch = translations, [headword]
    dutch_words = [w for text in dutch for w in words(text) if w not in STOP_WORDS]
    for phrase in english:
        single = words(phrase)
        if len(single) == 1 and single[0] not in STOP_WORDS and dutch_words:
            yield single[0], dutch_words


def _entries(index: Path, data: Path) -> Iterator[tuple[str, list[str]]]:
    """(headword, translations) of a dictd dictionary: each entry's body is its headword line, then numbered
    lines of comma-separated translations."""
    with gzip.open(data) as compressed:
        body = compressed.read()
    for line in index.read_text(encoding="utf-8").splitlines():
        headword, offset, length = line.split("\t")
        if headword.startswith("00database") or "..." in headword:
            continue
        start = _decode(offset)
        text = _normalized(body[start : start + _decode(length)].decode("utf-8"))
        translations = [
            t.strip()
            for entry_line in text.split("\n")[1:]
            for t in _SEPARATORS.split(_NOTES.sub(" ", _NUMBERING.sub("", entry_line)))
            if t.strip() and "..." not in t
        ]
        if translations:
            yield _normalized(headword), translations


def _decode(number: str) -> int:
    value = 0
    for char in number:
        value = value * 64 + _BASE64[char]
    return value


def _normalized(text: str) -> str:
    """NFKC folds the dictionaries' ligature "ĳ" into "ij", as the posts write it."""
    return unicodedata.normalize("NFKC", text).lower()
