"""The corpus folder is the source of truth: one file per post, written atomically, scanned safely."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import post_md

from assistant.corpus.folder import CorpusFolder
from assistant.corpus.loaders import load_text
from assistant.corpus.loaders.markdown import post_to_markdown
from assistant.corpus.model import Post
from assistant.errors import BadInputError, PostConflictError, PostNotFoundError

WriteFiles = Callable[[dict[str, str | bytes]], Path]
TEAM = post_md("Vertrouwen in het team", {"": ["Vertrouwen groeit in kleine momenten."]})
FEEDBACK = post_md("Feedback geven", {"": ["Goede feedback is concreet."], "Ritme": ["Geef vaak feedback."]})


def _post(markdown: str) -> Post:
    return load_text(markdown, "md")


@pytest.fixture
def corpus(tmp_path: Path) -> CorpusFolder:
    return CorpusFolder(tmp_path / "corpus")


def _files(corpus: CorpusFolder) -> list[str]:
    """Every file in the corpus, hidden ones included, so a leftover temporary file would show."""
    return sorted(str(p.relative_to(corpus.root)) for p in corpus.root.rglob("*") if p.is_file())


def test_write_creates_slug_md_with_the_normalized_markdown(corpus: CorpusFolder) -> None:
    post = _post(TEAM)

    path, changed = corpus.write(post)

    assert (path, changed) == (corpus.root / "vertrouwen-in-het-team.md", True)
    assert path.read_text(encoding="utf-8") == post_to_markdown(post)
    assert _files(corpus) == ["vertrouwen-in-het-team.md"]


def test_failed_write_leaves_no_temporary_file(corpus: CorpusFolder) -> None:
    post = _post(TEAM)
    (corpus.root / f"{post.slug}.md").mkdir(
        parents=True
    )  # a folder where the file should go: the rename fails

    with pytest.raises(OSError):
        corpus.write(post)

    assert _files(corpus) == []


def test_writing_the_same_post_again_changes_nothing(corpus: CorpusFolder) -> None:
    post = _post(TEAM)
    path, _ = corpus.write(post)
    written = path.stat().st_mtime_ns

    assert corpus.write(post) == (path, False)
    assert path.stat().st_mtime_ns == written


def test_other_post_with_the_same_slug_is_a_conflict(corpus: CorpusFolder) -> None:
    path, _ = corpus.write(_post(TEAM))
    before = path.read_bytes()
    other = _post(post_md("Vertrouwen in het team", {"": ["Een heel andere tekst."]}))

    with pytest.raises(PostConflictError, match="vertrouwen-in-het-team"):
        corpus.write(other)

    assert path.read_bytes() == before


def test_replace_overwrites_a_post_with_the_same_slug(corpus: CorpusFolder) -> None:
    corpus.write(_post(TEAM))
    other = _post(post_md("Vertrouwen in het team", {"": ["Een heel andere tekst."]}))

    path, changed = corpus.write(other, replace=True)

    assert changed
    assert corpus.load(path) == other


def test_replacing_a_txt_post_leaves_only_the_md(corpus: CorpusFolder, write_files: WriteFiles) -> None:
    write_files({"vertrouwen-in-het-team.txt": "Vertrouwen groeit langzaam.\nHet vraagt geduld.\n"})

    _, changed = corpus.write(_post(TEAM), replace=True)

    assert changed
    assert _files(corpus) == ["vertrouwen-in-het-team.md"]


def test_scan_reports_a_broken_file_and_loads_the_others(
    corpus: CorpusFolder, write_files: WriteFiles
) -> None:
    write_files({"team.md": TEAM, "kapot.md": "---\ntitle: [kapot\n---\n\nTekst.\n", "feedback.md": FEEDBACK})

    scan = corpus.scan()

    assert sorted(scan.posts) == ["feedback", "team"]
    assert [error.source for error in scan.errors] == [str(corpus.root / "kapot.md")]


def test_scan_slugs_come_from_file_names(corpus: CorpusFolder, write_files: WriteFiles) -> None:
    write_files({"Mijn Post.md": TEAM})

    scan = corpus.scan()

    assert scan.files == {"mijn-post": corpus.root / "Mijn Post.md"}
    assert scan.posts["mijn-post"].title == "Vertrouwen in het team"


def test_second_file_with_the_same_slug_is_an_error(corpus: CorpusFolder, write_files: WriteFiles) -> None:
    write_files({"team.md": TEAM, "team.txt": "Vertrouwen groeit langzaam.\nHet vraagt geduld.\n"})

    scan = corpus.scan()

    assert scan.files == {"team": corpus.root / "team.md"}
    assert len(scan.errors) == 1
    assert scan.errors[0].source == str(corpus.root / "team.txt")
    assert "same slug 'team'" in scan.errors[0].problem


def test_hidden_files_and_underscore_folders_are_ignored(
    corpus: CorpusFolder, write_files: WriteFiles
) -> None:
    write_files(
        {
            "team.md": TEAM,
            ".verborgen.md": FEEDBACK,
            ".git/notes.md": FEEDBACK,
            "_drafts/concept.md": FEEDBACK,
            "notities.csv": "a,b\n",
        }
    )

    scan = corpus.scan()

    assert (list(scan.posts), scan.errors) == (["team"], [])


def test_posts_in_subfolders_are_found(corpus: CorpusFolder, write_files: WriteFiles) -> None:
    write_files({"2024/team.md": TEAM})

    assert list(corpus.scan().posts) == ["team"]


def test_remove_deletes_the_post_file(corpus: CorpusFolder) -> None:
    path, _ = corpus.write(_post(TEAM))

    assert corpus.remove("vertrouwen-in-het-team") == path
    assert _files(corpus) == []


def test_remove_of_an_unknown_slug_is_not_found(corpus: CorpusFolder, write_files: WriteFiles) -> None:
    write_files({"team.md": TEAM})

    with pytest.raises(PostNotFoundError, match="'onbekend'"):
        corpus.remove("onbekend")


def test_paths_outside_the_corpus_are_rejected(
    corpus: CorpusFolder, tmp_path: Path, write_files: WriteFiles
) -> None:
    write_files({"team.md": TEAM})
    outside = tmp_path / "elders" / "team.md"
    write_files({"team.md": TEAM}, outside.parent)

    with pytest.raises(BadInputError, match="outside the corpus folder"):
        corpus.scan([outside])
    with pytest.raises(BadInputError, match="outside the corpus folder"):
        corpus.scan([corpus.root / ".." / "elders"])
