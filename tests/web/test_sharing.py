"""One engine per process, shared by sessions, and posts written by another process reach it without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import post_md
from streamlit.testing.v1 import AppTest

from assistant.web import resources
from web.steps import ask, cited_titles, last_answer, new_app, start_app, to_chat

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

POLDER = post_md(
    "Op de fiets door de polder",
    {
        "": [
            "Elke ochtend fiets ik door de polder naar school. Tussen de weilanden en de molens ordenen mijn "
            "gedachten zich, zodat ik rustig aan de dag begin."
        ]
    },
)
QUESTION = "Waarom fiets je elke ochtend door de polder?"


def cli_add(path: Path, settings) -> None:
    """``assistant add`` in its own process, as the coach would run it next to the app."""
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "assistant"),
            "add",
            str(path),
            "--data-dir",
            str(settings.data_dir),
            "--corpus-dir",
            str(settings.corpus_dir),
        ],
        env={"PATH": os.environ["PATH"], "OMP_WAIT_POLICY": "PASSIVE"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr


def polder_file(tmp_path: Path) -> Path:
    path = tmp_path / "inbox" / "polder.md"
    path.parent.mkdir()
    path.write_text(POLDER, encoding="utf-8")
    return path


def assert_cites_the_polder_post(at: AppTest) -> None:
    ask(at, QUESTION)
    assert "Op de fiets door de polder" in " ".join(cited_titles(at)), last_answer(at)
    assert "fiets ik door de polder" in last_answer(at)


def test_sessions_share_one_engine(site):
    first = start_app()
    engine = resources.engine()
    second = new_app().run()

    assert not second.exception
    assert resources.engine() is engine
    ask(first, "Wat zijn de bouwstenen van vertrouwen?")
    assert not second.chat_message  # the conversation is per session


def test_a_post_added_with_the_cli_while_the_app_runs_is_cited_by_the_next_answer(app, site, tmp_path):
    ask(app, QUESTION)
    assert "Daar gaan de blogs niet over" in last_answer(app)  # the open session has seen the old index

    cli_add(polder_file(tmp_path), site)

    assert_cites_the_polder_post(app)
    assert "1 blog" not in " ".join(m.value for m in app.sidebar.markdown)
    assert "3 blogs" in " ".join(m.value for m in app.sidebar.markdown)


def test_after_a_reindex_on_the_coachs_page_cli_additions_still_reach_the_app(coach_app, site, tmp_path):
    coach_app.button(key="reindex").click().run()
    assert not coach_app.exception
    ask(to_chat(coach_app), "Wat zijn de bouwstenen van vertrouwen?")

    cli_add(polder_file(tmp_path), site)

    assert_cites_the_polder_post(coach_app)
