"""Hostile and broken files at every loader: a clear BadInputError or a clean post, never a crash or a hang."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.corpus.loaders import load_post, load_text
from assistant.corpus.model import Post
from assistant.engine import Engine
from assistant.errors import BadInputError

SUFFIXES = [".md", ".txt", ".html", ".docx"]
NASTY_CHARACTERS = "\u200f\u200e\u202e\u200b\ufeff\x00\u00ad\u2028\u2029😀👩‍🏫\ud7ff\t\r\n<>&#*_[]`\\"
PER_LOADER_LIMIT_S = 5.0

nasty_text = st.text(
    alphabet=st.one_of(st.sampled_from(NASTY_CHARACTERS), st.characters(blacklist_categories=("Cs",))),
    max_size=2000,
)


def load_within_limit(path: Path) -> Post | None:
    """Load a file; return None for a clean rejection; fail on any other exception or a slow load."""
    started = time.perf_counter()
    try:
        return load_post(path)
    except BadInputError as error:
        assert str(path) in str(error) and error.problem
        return None
    finally:
        assert time.perf_counter() - started < PER_LOADER_LIMIT_S, f"{path.name} took too long"


def assert_clean(post: Post | None) -> None:
    if post is None:
        return
    assert post.title and post.slug and post.sections
    assert "\x00" not in post.text
    assert all(paragraph for section in post.sections for paragraph in section.paragraphs)


@pytest.mark.parametrize("suffix", SUFFIXES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000))
def test_random_bytes_are_rejected_or_loaded_cleanly(tmp_path: Path, suffix: str, data: bytes):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    assert_clean(load_within_limit(path))


@pytest.mark.parametrize("suffix", [".md", ".txt", ".html"])
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=nasty_text)
def test_random_unicode_is_rejected_or_loaded_cleanly(tmp_path: Path, suffix: str, text: str):
    path = tmp_path / f"unicode{suffix}"
    path.write_text(f"Titel\n\n{text}", encoding="utf-8", errors="surrogatepass")
    assert_clean(load_within_limit(path))


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
@settings(max_examples=60, deadline=None)
@given(text=nasty_text)
def test_random_pasted_text_is_rejected_or_loaded_cleanly(fmt: str, text: str):
    try:
        assert_clean(load_text(text, fmt, overrides={"title": "Geplakt"}))
    except BadInputError as error:
        assert error.problem


@pytest.mark.parametrize("suffix", [".md", ".txt", ".html"])
def test_a_huge_single_line_is_rejected_quickly(tmp_path: Path, suffix: str):
    path = tmp_path / f"huge{suffix}"
    path.write_text("Titel\n\n" + "woord " * 150_000 + "\n", encoding="utf-8")
    assert load_within_limit(path) is None  # 150,000 words: over the limit


def test_deeply_nested_html_is_handled_quickly(tmp_path: Path):
    path = tmp_path / "nested.html"
    path.write_text(
        "<html><body>" + "<div>" * 20_000 + "Diep verstopt." + "</div>" * 20_000 + "</body></html>"
    )
    assert_clean(load_within_limit(path))


def test_scripts_and_event_handlers_never_reach_the_post(tmp_path: Path):
    path = tmp_path / "evil.html"
    path.write_text(
        "<html><head><title>Leiderschap</title><script>alert('x')</script></head><body>"
        '<h1>Leiderschap</h1><p onclick="steal()">Vertrouwen groeit in kleine dingen. Luister eerst.</p>'
        "<img src=x onerror=\"steal()\"><style>p{color:red}</style><iframe src='https://evil'></iframe>"
        '<p>Een leider <a href="javascript:steal()">doet</a> wat hij zegt.</p><script>steal()</script></body></html>'
    )
    post = load_within_limit(path)
    assert post is not None
    for trace in ("alert", "steal", "onclick", "onerror", "javascript", "color:red", "<"):
        assert trace not in post.text


@pytest.mark.parametrize(
    "name, content",
    [
        ("not-a-zip.docx", b"PK\x03\x04 this is not really a zip"),
        ("html-as.docx", b"<html><body>Hallo</body></html>"),
        ("empty-zip.docx", b"PK\x05\x06" + b"\x00" * 18),
    ],
)
def test_broken_word_files_are_rejected(tmp_path: Path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    assert load_within_limit(path) is None


def test_a_word_zip_bomb_is_rejected_quickly(tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * 200_000_000)
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert load_within_limit(path) is None


@pytest.mark.parametrize(
    "front_matter",
    [
        "title: [een, lijst]",
        "title: {a: 1}",
        "date: gisteren",
        "date: 2024-13-45",
        "tags: {a: 1}",
        "url: javascript:alert(1)",
        "author: [x]",
        "title: 12\nurl: 5",
        "- gewoon\n- een lijst",
    ],
)
def test_front_matter_of_the_wrong_type_is_rejected_or_coerced(tmp_path: Path, front_matter: str):
    path = tmp_path / "post.md"
    path.write_text(f"---\n{front_matter}\n---\n\nTekst van de post.\n", encoding="utf-8")
    assert_clean(load_within_limit(path))


def test_adding_hostile_files_never_changes_the_corpus(engine: Engine, write_files, tmp_path: Path):
    write_files(
        {"bestaand.md": "---\ntitle: Bestaand\n---\n\nVertrouwen groeit langzaam. Het vraagt geduld.\n"}
    )
    engine.ingest()
    corpus = engine.settings.corpus_dir
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    hostile = write_files(
        {
            "leeg.md": "",
            "binair.txt": b"\x00\x01\x02" * 100,
            "raar.pdf": b"%PDF-1.4",
            "latin.txt": b"caf\xe9 au lait",
            "geen-titel.md": "Alleen tekst, geen titel.",
            "kapot.docx": b"PK\x03\x04 nope",
        },
        tmp_path / "inbox",
    )
    for path in sorted(hostile.iterdir()):
        with pytest.raises(BadInputError):
            engine.add([path])
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before
    assert set(engine.index.posts()) == {"bestaand"}
