"""The coach's page under AppTest: a post added by its link (preview, "Vervangen"), and the blog followed by its
feed ("Nu ophalen", the last run's time and result); fetched from a local blog."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.corpus.model import Post, Section
from assistant.evaluation.blog_site import Answer, BlogSite
from web.steps import ask, cited_titles, last_answer, texts, to_chat

pytestmark = pytest.mark.timeout(240)

MOLENS = Post(
    slug="molens",
    title="Wat de molens ons leren over teams",
    sections=(
        Section(
            "",
            (
                "Een molen draait alleen als er wind is. Een team heeft ook wind nodig om in beweging te komen, "
                "en die wind maak je als schoolleider niet alleen.",
                "Vraag je team waar de wind vandaan komt: welke plannen geven energie, en welke kosten alleen "
                "maar kracht zonder dat er iets gemalen wordt?",
            ),
        ),
    ),
    author="René Rensen",
    date="2024-06-01",
)
DIJKEN = Post(
    slug="dijken",
    title="Dijken bouw je samen",
    sections=(
        Section(
            "",
            (
                "Niemand houdt het water alleen tegen. Een dijk is zo sterk als de zwakste plek, en die plek ken "
                "je pas als iedereen durft te zeggen waar het lekt.",
                "Maak het in je team gewoon om een lek te melden. Bedank wie het eerst zag, in plaats van te "
                "zoeken wie het veroorzaakte.",
            ),
        ),
    ),
    author="René Rensen",
    date="2024-07-01",
)


@pytest.fixture
def blog() -> Iterator[BlogSite]:
    with BlogSite([MOLENS, DIJKEN]) as site:
        yield site


@pytest.fixture
def may_fetch_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local blog is on loopback, which the fetcher refuses unless allowed (before the app reads settings)."""
    monkeypatch.setenv("ASSISTANT_ALLOW_PRIVATE_URLS", "true")


def fetch_link(at, address: str):
    at.text_input(key="link_url").input(address)
    at.button(key="link_fetch").click().run()
    assert not at.exception
    return at


def test_a_post_added_by_its_link_is_previewed_saved_and_cited(may_fetch_loopback, coach_app, blog):
    fetch_link(coach_app, blog.url("/blog/molens/"))

    assert MOLENS.title in texts(coach_app.markdown)  # the preview
    assert "/blog/molens/ · 52 woorden" in texts(coach_app.caption)  # the address the cards will link to
    coach_app.button(key="link_save").click().run()

    assert "“Wat de molens ons leren over teams” is toegevoegd." in texts(coach_app.success)
    assert coach_app.text_input(key="link_url").value == ""
    ask(to_chat(coach_app), "Wat heeft een team nodig om in beweging te komen?")
    assert MOLENS.title in " ".join(cited_titles(coach_app)), last_answer(coach_app)


def test_a_link_to_a_post_already_in_kompas_offers_vervangen(may_fetch_loopback, coach_app, blog):
    fetch_link(coach_app, blog.url("/blog/molens/"))
    coach_app.button(key="link_save").click().run()
    blog.posts[0] = Post(
        **{**MOLENS.__dict__, "sections": (Section("", (*MOLENS.sections[0].paragraphs, "Nieuw.")),)}
    )

    fetch_link(coach_app, blog.url("/blog/molens/"))

    assert "Vink ‘Vervangen’ aan" in texts(coach_app.warning)
    coach_app.checkbox(key="link_replace").check().run()
    coach_app.button(key="link_save").click().run()
    assert "is vervangen" in texts(coach_app.success)


def test_a_page_without_a_post_is_refused_in_dutch(may_fetch_loopback, coach_app, blog):
    fetch_link(coach_app, blog.url("/"))

    assert "op deze pagina staat geen blogtekst" in texts(coach_app.error)
    assert not [b for b in coach_app.button if b.key == "link_save"]


def test_an_address_on_the_local_network_is_refused_with_the_guard_on(coach_app, blog):
    fetch_link(coach_app, blog.url("/blog/molens/"))

    assert "alleen pagina’s van het openbare internet" in texts(coach_app.error)
    assert blog.requests == []


def test_following_the_feed_fetches_now_and_shows_the_last_run(may_fetch_loopback, coach_app, blog):
    coach_app.text_input(key="follow_url").input(blog.url("/feed/"))
    coach_app.button(key="follow_sync").click().run()

    assert not coach_app.exception
    assert "Opgehaald: 2 toegevoegd, 0 bijgewerkt, 0 ongewijzigd" in texts(coach_app.success)
    coach_app.run()
    [last] = [c for c in texts(coach_app.caption).split("Laatst opgehaald: ")[1:]]
    assert "Resultaat: 2 toegevoegd" in last
    assert coach_app.text_input(key="follow_url").value == blog.url("/feed/")  # remembered

    coach_app.button(key="follow_sync").click().run()
    assert "Opgehaald: 0 toegevoegd, 0 bijgewerkt, 2 ongewijzigd" in texts(coach_app.success)


def test_a_feed_that_cannot_be_read_says_so_and_is_the_last_runs_result(may_fetch_loopback, coach_app, blog):
    blog.extra["/kapot.xml"] = Answer(b"<html><body><p>geen feed</p></body></html>")
    coach_app.text_input(key="follow_url").input(blog.url("/kapot.xml"))
    coach_app.button(key="follow_sync").click().run()

    assert "dit is geen feed, sitemap of WordPress" in texts(coach_app.error)
    coach_app.run()
    assert "Dat lukte niet: dit is geen feed" in texts(coach_app.caption)


def test_posts_that_failed_are_listed_with_the_last_run(may_fetch_loopback, coach_app, blog):
    blog.extra["/sitemap.xml"] = Answer(
        (
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{blog.url('/blog/molens/')}</loc></url><url><loc>{blog.url('/weg/')}</loc></url></urlset>"
        ).encode(),
        content_type="application/xml",
    )
    coach_app.text_input(key="follow_url").input(blog.url("/sitemap.xml"))
    coach_app.button(key="follow_sync").click().run()

    assert "1 blog kon Kompas niet ophalen" in texts(coach_app.warning)
    coach_app.run()
    assert (
        "Resultaat: 1 toegevoegd, 0 bijgewerkt, 0 ongewijzigd, 0 overgeslagen (geen blog), 1 mislukt"
        in texts(coach_app.caption)
    )
    [failures] = coach_app.expander
    assert failures.label == "Niet gelukt bij de laatste keer (1)"
    assert "/weg/: deze pagina bestaat niet" in texts(failures.markdown)
