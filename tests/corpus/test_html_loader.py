"""HTML blog pages: the post is found among the page's chrome and split into sections under its headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.loaders import load_post
from assistant.errors import BadInputError

BLOG_PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>Vertrouwen in teams | De Onderwijskapitein</title>
  <script>var tracker = "SCRIPT-IN-HEAD"; window.alert("SCRIPT-ALERT");</script>
  <style>body { font-family: "STYLE-TEXT"; }</style>
</head>
<body onload="track('ONLOAD-HANDLER')">
  <header class="site-header">
    <div class="logo">HEADER-LOGO De Onderwijskapitein</div>
    <nav><ul>
      <li><a href="/">NAV-HOME</a></li><li><a href="/blog">NAV-BLOG</a></li><li><a href="/contact">NAV-CONTACT</a></li>
    </ul></nav>
  </header>
  <main><article>
    <h1>Vertrouwen in teams</h1>
    <p>Vertrouwen is de basis van elk goed functionerend team. Zonder vertrouwen durven mensen geen fouten te
       maken en leren ze niet van elkaar.</p>
    <h2>Waarom vertrouwen ertoe doet</h2>
    <p onclick="steal('CLICK-HANDLER')">Schoolleiders merken het dagelijks: waar vertrouwen is, wordt
       samengewerkt. Teams die elkaar vertrouwen bespreken problemen open.</p>
    <p>Dat vraagt iets van de leider: die geeft zelf het goede voorbeeld en durft <em>kwetsbaar</em> te zijn.</p>
    <h2>Wat als vertrouwen beschadigd is?</h2>
    <p>Herstel kost tijd. Drie stappen helpen daarbij:</p>
    <ul>
      <li>Erken wat er is gebeurd.</li>
      <li>Spreek verwachtingen uit.</li>
      <li>Houd je aan je afspraken.</li>
    </ul>
    <p>Wie deze stappen volgt, ziet het team langzaam weer opbloeien.</p>
    <script>document.write("SCRIPT-IN-BODY")</script>
  </article></main>
  <footer><p>FOOTER-TEXT © 2024 De Onderwijskapitein</p>
    <form><input name="q" placeholder="FORM-PLACEHOLDER"><button>FORM-BUTTON</button></form>
  </footer>
</body>
</html>
"""


def _write(tmp_path: Path, html: str, name: str = "post.html") -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def test_html_title_sections_and_paragraphs_are_extracted(tmp_path: Path) -> None:
    post = load_post(_write(tmp_path, BLOG_PAGE))

    assert post.title == "Vertrouwen in teams"
    assert [s.heading for s in post.sections] == [
        "",
        "Waarom vertrouwen ertoe doet",
        "Wat als vertrouwen beschadigd is?",
    ]
    assert post.sections[0].paragraphs[0].startswith("Vertrouwen is de basis")
    assert "durft kwetsbaar te zijn." in post.sections[1].paragraphs[1]
    assert post.sections[2].paragraphs == (
        "Herstel kost tijd. Drie stappen helpen daarbij:",
        "Erken wat er is gebeurd.",
        "Spreek verwachtingen uit.",
        "Houd je aan je afspraken.",
        "Wie deze stappen volgt, ziet het team langzaam weer opbloeien.",
    )


def test_html_navigation_and_scripts_are_dropped(tmp_path: Path) -> None:
    text = load_post(_write(tmp_path, BLOG_PAGE)).text

    for boilerplate in ("NAV-", "HEADER-LOGO", "SCRIPT-", "STYLE-TEXT", "HANDLER", "FOOTER-TEXT", "FORM-"):
        assert boilerplate not in text
    assert "<" not in text


def test_html_title_heading_is_not_repeated_as_a_section(tmp_path: Path) -> None:
    post = load_post(_write(tmp_path, BLOG_PAGE))

    assert post.text.count("Vertrouwen in teams") == 0
    assert all(s.heading != post.title for s in post.sections)


def test_html_meta_author_date_and_canonical_url_are_read(tmp_path: Path) -> None:
    head = (
        '<meta name="author" content="René Rensen">\n'
        '<meta property="article:published_time" content="2024-05-17T10:00:00+02:00">\n'
        '<link rel="canonical" href="https://onderwijskapitein.nl/vertrouwen-in-teams/">\n'
    )
    post = load_post(_write(tmp_path, BLOG_PAGE.replace("</head>", head + "</head>")))

    assert post.author == "René Rensen"
    assert post.date == "2024-05-17"
    assert post.url == "https://onderwijskapitein.nl/vertrouwen-in-teams/"


def test_html_date_is_not_guessed_from_the_text(tmp_path: Path) -> None:
    page = BLOG_PAGE.replace("Herstel kost tijd.", "Herstel kost tijd, zo bleek op 3 maart 2021.")

    post = load_post(_write(tmp_path, page))

    assert post.date == ""
    assert post.author == ""


def test_html_short_page_keeps_its_headings(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Korte post</title></head><body><nav>Home</nav><h1>Korte post</h1>"
        "<p>Een korte tekst over leiderschap.</p><h2>Tweede deel</h2><p>Nog een zin.</p></body></html>"
    )

    post = load_post(_write(tmp_path, page))

    assert post.title == "Korte post"
    assert [(s.heading, s.paragraphs) for s in post.sections] == [
        ("", ("Een korte tekst over leiderschap.",)),
        ("Tweede deel", ("Nog een zin.",)),
    ]
    assert "Home" not in post.text


def test_html_without_text_is_rejected(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Leeg</title><script>alert('x')</script></head>"
        "<body><nav><a href='/'>Home</a></nav><footer>© 2024</footer></body></html>"
    )

    with pytest.raises(BadInputError, match="no readable text found in the HTML"):
        load_post(_write(tmp_path, page))


def test_html_with_unclosed_tags_still_loads(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Kapotte pagina</title><body><div><h1>Kapotte pagina<p>Eerste alinea zonder "
        "afsluiting <b>vet<p>Tweede alinea over het team<h2>Stappen<ul><li>een<li>twee</div></span></i>"
    )

    post = load_post(_write(tmp_path, page))

    assert post.title == "Kapotte pagina"
    assert "Eerste alinea zonder afsluiting vet" in post.text
    assert [s.heading for s in post.sections][-1] == "Stappen"
    assert post.sections[-1].paragraphs == ("een", "twee")


def test_html_with_xml_declaration_loads(tmp_path: Path) -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + BLOG_PAGE.replace("<!DOCTYPE html>\n", "")

    post = load_post(_write(tmp_path, page, "post.xhtml.html"))

    assert post.title == "Vertrouwen in teams"
    assert len(post.sections) == 3
