"""Synthetic corpora for ``assistant bench``: posts of realistic length and shape, built from real sentences.

The sentences, headings and titles come from real posts (the seed post and the evaluation fixtures), shuffled
with a seed, so every run builds the same corpora. Posts form one stream and every corpus is a prefix of it: the
1,000-chunk corpus holds the 100-chunk one, which lets the vector cache reuse real vectors where it can.

    stream = SyntheticPosts.from_files(source_files(), seed=7)
    posts = stream.take(chunks=1000)       # the first posts whose chunks add up to at least 1,000
    write_corpus(posts, Path("/tmp/corpus-1000"))
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.chunking import chunk_post, sentence_windows, split_sentences
from assistant.corpus.loaders import load_post
from assistant.corpus.loaders.markdown import post_to_markdown
from assistant.corpus.model import Post, Section

REPO = Path(__file__).resolve().parents[2]

# Fixed questions a school leader might ask about the topics the source posts cover (all Dutch).
QUESTIONS: tuple[str, ...] = (
    "Wat zijn de bouwstenen van vertrouwen?",
    "Hoe bouw ik vertrouwen op in een nieuw team?",
    "Wat gebeurt er in een team waarin vertrouwen ontbreekt?",
    "Hoe herstel je vertrouwen als het beschadigd is?",
    "Waarom is een open deur niet genoeg voor verbinding?",
    "Wat zegt het onderzoek van Google over succesvolle teams?",
    "Welke misvattingen over vertrouwen bestaan er?",
    "Hoe kan ik vandaag al het vertrouwen in mijn team versterken?",
    "Wat bedoel je met relationeel vakmanschap?",
    "Hoe geef ik feedback die echt aankomt?",
    "Waarom komt feedback zo vaak niet aan?",
    "Welke stappen helpen om feedback te geven?",
    "Hoe ga ik om met feedback op mijzelf?",
    "Hoe maak ik vergaderingen die energie geven?",
    "Wat is de rol van de voorzitter in een vergadering?",
    "Waarom komen we eigenlijk samen in een teamvergadering?",
    "Wat zijn de ingrediënten van een goede vergadering?",
    "Hoe ga ik om met weerstand bij een verandering?",
    "Welke vormen van weerstand zijn er?",
    "Wat kan weerstand mij vertellen over mijn team?",
    "Hoe pak ik werkdruk in mijn team aan?",
    "Hoe stel ik grenzen zonder schuldgevoel?",
    "Hoe kiezen we samen wat niet meer hoeft?",
    "Waarom telt mijn eigen voorbeeld bij werkdruk?",
    "Wat vraagt verbindend leiderschap van een schoolleider?",
    "Hoe laat ik als leidinggevende kwetsbaarheid zien?",
    "Hoe zorg ik voor psychologische veiligheid in het team?",
    "Wat doe ik als een collega zichtbaar oververmoeid is?",
    "Hoe houd ik mijn afspraken als leider consequent na?",
    "Hoe begin ik een moeilijk gesprek met een teamlid?",
)


def source_files(roots: Iterable[Path] | None = None) -> list[Path]:
    """The real posts to take sentences from: ``corpus/`` and ``eval/fixtures/`` of the repository."""
    roots = list(roots) if roots is not None else [REPO / "corpus", REPO / "eval" / "fixtures"]
    return sorted(p for root in roots if root.is_dir() for p in root.glob("*.md"))


@dataclass(frozen=True)
class SyntheticPost:
    post: Post
    chunks: int
    windows: int


class SyntheticPosts:
    """A deterministic stream of posts: 600–900 words, an intro and 4–6 ``##`` sections of real sentences."""

    def __init__(self, sentences: list[str], headings: list[str], seed: int = 7):
        if len(sentences) < 20 or not headings:
            raise ValueError("need at least 20 real sentences and one heading to build synthetic posts")
        self._sentences = sentences
        self._headings = headings
        self._rng = random.Random(seed)
        self._deck: list[str] = []
        self._posts: list[SyntheticPost] = []

    @classmethod
    def from_files(cls, paths: list[Path], seed: int = 7) -> SyntheticPosts:
        sentences: list[str] = []
        headings: list[str] = []
        for path in paths:
            post = load_post(path, slug=path.stem)
            headings += [s.heading for s in post.sections if s.heading and s.heading != "Tot slot"]
            for section in post.sections:
                for paragraph in section.paragraphs:
                    sentences += [paragraph[s.start : s.end] for s in split_sentences(paragraph)]
        # Drop fragments an artefact of the source left behind (a stray "." line), keep real short sentences.
        sentences = [s for s in dict.fromkeys(sentences) if s[:1].isalnum() or s[:1] in "“\"'‘("]
        return cls(sentences, list(dict.fromkeys(headings)), seed)

    def take(self, chunks: int) -> list[SyntheticPost]:
        """The first posts of the stream whose chunks add up to at least ``chunks``."""
        total = 0
        for count, item in enumerate(self._iterate(), start=1):
            total += item.chunks
            if total >= chunks:
                return self._posts[:count]
        raise AssertionError("unreachable")  # pragma: no cover

    def first(self, count: int) -> list[SyntheticPost]:
        """The first ``count`` posts of the stream."""
        return list(itertools.islice(self._iterate(), count))

    def _iterate(self):
        index = 0
        while True:
            if index == len(self._posts):
                self._posts.append(self._make(index))
            yield self._posts[index]
            index += 1

    def _sentence(self) -> str:
        if not self._deck:
            self._deck = list(self._sentences)
            self._rng.shuffle(self._deck)
        return self._deck.pop()

    def _paragraph(self, target_words: int) -> str:
        parts: list[str] = []
        while not parts or (sum(len(p.split()) for p in parts) < target_words and len(parts) < 6):
            parts.append(self._sentence())
        return " ".join(parts)

    def _section(self, words: int) -> tuple[str, ...]:
        paragraphs: list[str] = []
        written = 0
        while written < words:
            paragraph = self._paragraph(min(self._rng.randint(20, 80), words - written))
            paragraphs.append(paragraph)
            written += len(paragraph.split())
        return tuple(paragraphs)

    def _make(self, index: int) -> SyntheticPost:
        rng = self._rng
        total_words = rng.randint(600, 900)
        section_count = rng.randint(4, 6)
        headings = rng.sample(self._headings, min(section_count, len(self._headings)))
        while len(headings) < section_count:
            headings.append(rng.choice(self._headings))
        intro_words = int(total_words * rng.uniform(0.08, 0.15))
        weights = [rng.uniform(0.7, 1.3) for _ in range(section_count)]
        body_words = total_words - intro_words
        sections = [Section("", self._section(intro_words))]
        sections += [
            Section(heading, self._section(int(body_words * w / sum(weights))))
            for heading, w in zip(headings, weights, strict=True)
        ]
        if rng.random() < 0.5:
            sections[-1] = Section("Tot slot", sections[-1].paragraphs)
        post = Post(
            slug=f"bench-{index:05d}",
            title=f"{rng.choice(self._headings)} ({index + 1})",
            sections=tuple(sections),
            author="Bench",
            date=f"20{20 + index % 6}-{1 + index % 12:02d}-{1 + index % 28:02d}",
            source="assistant bench (synthetic)",
        )
        chunks = chunk_post(post)
        return SyntheticPost(post, len(chunks), len(sentence_windows(chunks, post.text)))


def write_corpus(posts: list[SyntheticPost], folder: Path) -> None:
    """Write the posts as the corpus's Markdown, one ``<slug>.md`` each."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in posts:
        (folder / f"{item.post.slug}.md").write_text(post_to_markdown(item.post), encoding="utf-8")
