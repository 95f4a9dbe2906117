"""Fixtures for the web app: an indexed copy of the seed corpus per test, the app under ``AppTest``, the app
served for real (``web/served.py``) and Debian's Chromium to look at it.

The seed post is embedded once per session into a template folder; each test gets its own copy, so tests stay
isolated without paying ~10 s of embedding each. A served app and the browser last a module (``pytestmark`` of
each browser module marks it slow and skips it without Chromium).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from conftest import SEED_MD, post_md
from streamlit.testing.v1 import AppTest

from assistant.config import Settings
from assistant.embedders import embeddings_cache_path
from assistant.embedding_cache import with_cache
from assistant.engine import Engine
from assistant.journal import Journal
from web.served import CHROMIUM, OUTPUT, copy_site, served
from web.steps import log_in, start_app

PASSWORD = "kapitein-aan-boord"
WRONG_PASSWORD = "stuurman"
LOGIN_ATTEMPTS_PER_MINUTE = 4

# As served (``server.streamlit_flags``); AppTest reads no config file from the test's folder.
st.config.set_option("runner.magicEnabled", False)

# A second post, so the corpus has more than one title; it is about something the seed post is not.
FEEDBACK_POST = post_md(
    "Feedback geven zonder te kwetsen",
    {
        "": [
            "Feedback geven is een vak. Een schoolleider die feedback geeft, laat zien dat hij betrokken is."
        ],
        "Eerst vragen, dan zeggen": [
            "Begin een feedbackgesprek met een vraag. Vraag wat de ander zelf ziet, voordat je zegt wat jij zag."
        ],
    },
    date="2024-03-08",
    url="https://www.onderwijskapitein.nl/feedback-geven/",
)

# Plain text with two headings, as a coach pastes it from the blog onto the coach's page.
PLAIN_WITH_HEADINGS = """Op de fiets door de polder

Elke ochtend fiets ik door de polder naar school. De weilanden ordenen mijn gedachten.
Zo begin ik rustig aan de dag.

Wat de molens me leren

Een molen draait alleen als er wind is. Ook een team heeft wind nodig om in beweging te komen.
Die wind maak je als schoolleider niet alleen.
"""


@pytest.fixture(scope="session")
def indexed_template(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """Corpus and data folders with the seed post and the feedback post indexed (built once).

    The data folder's embedding cache holds the posts' vectors, as after ``assistant ingest``, so the app's own
    embedder finds them when a test re-indexes.
    """
    root = tmp_path_factory.mktemp("web-template")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_MD, corpus / SEED_MD.name)
    (corpus / "feedback-geven-zonder-te-kwetsen.md").write_text(FEEDBACK_POST, encoding="utf-8")
    settings = Settings(data_dir=root / "data", corpus_dir=corpus)
    cached = with_cache(embedder, embeddings_cache_path(settings), settings.embedder)
    # Closed at once: an open client in this process would hide other processes' writes from the app.
    with Engine(settings, embedder=cached) as engine:
        engine.ingest()
    cached.close()
    return root


@pytest.fixture
def site_root(indexed_template: Path, tmp_path: Path) -> Path:
    """This test's own indexed copy: its ``corpus`` and ``data`` folders in the test's folder."""
    return copy_site(indexed_template, tmp_path)


@pytest.fixture
def site(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """This test's own indexed copy, and the environment the app builds its ``Settings`` from."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(site_root / "data"))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(site_root / "corpus"))
    return Settings()


@pytest.fixture
def app(site: Settings) -> Iterator[AppTest]:
    """The app, run once on the chat page."""
    yield start_app()
    st.cache_resource.clear()  # releases the engine, which closes its index


@pytest.fixture
def coach_app(site: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """The app with a coach's password, logged in on the coach's page."""
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD", PASSWORD)
    at = start_app()
    at.switch_page("coach.py").run()
    log_in(at, PASSWORD)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    yield at
    st.cache_resource.clear()


@pytest.fixture
def journal(site: Settings) -> Journal:
    return Journal.in_folder(site.data_dir)


@pytest.fixture(scope="module")
def server(indexed_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Plain ``streamlit run`` of the app over a copy of the indexed posts, with a coach's password (the coach's
    page is open to the browser tests that log in), for the whole module; its address."""
    root = copy_site(indexed_template, tmp_path_factory.mktemp("browser-site"))
    with served(root, {"ASSISTANT_ADMIN_PASSWORD": PASSWORD}, streamlit_run=True) as running:
        print(f"\nstreamlit served /_stcore/health after {running.seconds_to_health:.2f} s")
        yield running.url


@pytest.fixture(scope="module")
def coach_server(indexed_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``assistant serve`` (with its login routes) over a copy of the indexed posts, with a coach's password, for
    the whole module; its address. Neither the password nor a wrong one may appear in what it prints."""
    root = copy_site(indexed_template, tmp_path_factory.mktemp("login-site"))
    env = {
        "ASSISTANT_ADMIN_PASSWORD": PASSWORD,
        "ASSISTANT_LOGIN_ATTEMPTS_PER_MINUTE": str(LOGIN_ATTEMPTS_PER_MINUTE),
        "ASSISTANT_ALLOW_PRIVATE_URLS": "true",  # the coach's page may fetch posts from the tests' blog on loopback
    }
    with served(root, env) as running:
        yield running.url
    printed = running.printed()
    assert PASSWORD not in printed and WRONG_PASSWORD not in printed


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, for the whole module (screenshots go to ``OUTPUT``)."""
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser):
    """A fresh browser context (its own cookies), wide screen, Dutch."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A fresh page on its own context: a new Streamlit session once it opens the app."""
    return context.new_page()
