"""The coach's page ("Beheer"): add, replace and delete posts, re-index, and read what leaders asked.

A page script of ``st.navigation``. Closed unless a password is configured; login attempts are limited per
browser session and per client. Buttons only queue an action in ``st.session_state`` (their callbacks may also
clear the inputs), and the next run carries it out in place, with a progress bar.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from assistant.corpus.dates import ACCEPTED_FORMS, SHORT_MONTHS, local_moment
from assistant.corpus.model import Post
from assistant.errors import (
    AssistantError,
    BadInputError,
    EmbedderMismatchError,
    IndexBusyError,
    IndexUnavailableError,
    PostConflictError,
    PostNotFoundError,
)
from assistant.journal import AskedQuestion, Journal
from assistant.web import resources
from assistant.web.access import LoginThrottle, client_address, configured_password, password_matches
from assistant.web.cards import escape_markdown, format_date

if TYPE_CHECKING:
    from assistant.engine import Engine, PastedPost

PASTE_FIELDS = ("paste_text", "paste_title", "paste_url", "paste_date")
# The formats ``Engine.read_pasted`` reads; "auto" lets it tell from the text.
PASTE_FORMATS = {
    "auto": "Automatisch",
    "md": "Markdown",
    "txt": "Gewone tekst",
    "html": "HTML (webpagina)",
}
REFRESH_S = 30  # how often the question and feedback lists re-read the journal while the page is open
# How the recent-questions table says whether a question was answered, by refusal reason.
ANSWERED = {
    "": "nee",
    "off_topic": "nee",
    "manipulation": "nee, poging tot misleiding",
    "too_long": "nee, te lang",
    "empty": "nee, leeg",
}

log = logging.getLogger("assistant.web.coach")  # a page script runs as __main__


def counted(number: int, one: str = "beoordeling", many: str = "beoordelingen") -> str:
    return f"{number} {one if number == 1 else many}"


def size_text(size: int) -> str:
    """Bytes as a Dutch reader counts them: ``850 bytes``, ``12,5 kB``, ``2 MB``."""
    if size < 1000:
        return f"{size} bytes"
    value, unit = (size / 1000, "kB") if size < 1_000_000 else (size / 1_000_000, "MB")
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + f" {unit}"


def local_time(iso: str) -> str:
    """A journal timestamp (ISO, UTC) as the coach's clock shows it: ``27 nov 2026 14:05`` (Europe/Amsterdam)."""
    try:
        local = local_moment(iso)
    except ValueError:
        return iso
    return f"{local.day} {SHORT_MONTHS[local.month - 1]} {local.year} {local:%H:%M}"


def page_message(error: AssistantError) -> str:
    """What the page says about an error: Dutch, in the page's words (the CLI's English stays in the log)."""
    if isinstance(error, BadInputError):
        return f"{error.source}: {error.dutch or 'Kompas kan deze tekst niet lezen.'}"
    if isinstance(error, PostConflictError):
        return "Deze blog bestaat al; vink ‘Vervangen’ aan om hem te vervangen, of geef deze tekst een andere titel."
    if isinstance(error, PostNotFoundError):
        return "Deze blog staat niet (meer) in Kompas; misschien is hij net verwijderd."
    if isinstance(error, IndexBusyError):
        return "Kompas is nog bezig met een andere wijziging. Probeer het over een minuut opnieuw."
    if isinstance(error, EmbedderMismatchError):
        return (
            "De blogs zijn gelezen met een andere instelling dan Kompas nu gebruikt. Kies op het tabblad "
            "‘Blogs’ voor ‘Alle blogs opnieuw inlezen’."
        )
    if isinstance(error, IndexUnavailableError):
        return "Kompas kan de opgeslagen blogs nu niet bereiken. Probeer het later opnieuw; de details staan in het logboek."
    return "Er ging iets mis in de instellingen van Kompas; de details staan in het logboek."


def show_error(error: AssistantError) -> None:
    log.warning("the coach's page showed an error: %s", error)
    st.error(escape_markdown(page_message(error)))


def readable_title(slug: str, titles: dict[str, str]) -> str:
    """A post's title; for a post that is gone, its name in words rather than its file name."""
    return titles.get(slug) or slug.replace("-", " ").capitalize()


# ---- reading input -------------------------------------------------------------------------------------------


def load_upload(engine: Engine, name: str, data: bytes) -> Post:
    """Validate an uploaded file as ``assistant add`` would, after the page's own size limit."""
    limit = engine.settings.max_upload_bytes
    if len(data) > limit:
        problem = (
            f"dit bestand is te groot ({size_text(len(data))}); Kompas neemt bestanden tot {size_text(limit)}. "
            "Verdeel de tekst over kleinere bestanden, of plak hem in delen."
        )
        raise BadInputError(name, problem, problem)
    return engine.read_upload(name, data)


def load_pasted(engine: Engine, text: str, fmt: str, title: str, url: str, date: str) -> PastedPost:
    limit = engine.settings.max_upload_bytes
    if len(text.encode("utf-8")) > limit:
        problem = (
            f"de tekst is te lang ({size_text(len(text.encode('utf-8')))}); Kompas neemt tot {size_text(limit)}. "
            "Plak hem in delen."
        )
        raise BadInputError("Geplakte tekst", problem, problem)
    return engine.read_pasted(
        text,
        fmt,
        source="Geplakte tekst",
        overrides={"title": title.strip(), "url": url.strip(), "date": date.strip()},
    )


@dataclass(frozen=True)
class Action:
    """What a button asked for, carried out at the top of the next run: save, remove, reindex, clear_journal."""

    kind: str
    post: Post | None = None
    replace: bool = False
    slug: str = ""
    title: str = ""
    upload_id: str = ""


def queue(action: Action, clear: tuple[str, ...] = ()) -> None:
    st.session_state["coach_action"] = action
    st.session_state.pop("confirm_delete", None)
    st.session_state.pop("confirm_clear", None)
    for key in clear:
        st.session_state[key] = ""
    if clear:
        st.session_state.pop("paste_replace", None)


def cancel_delete() -> None:
    st.session_state.pop("confirm_delete", None)


def cancel_clear() -> None:
    st.session_state.pop("confirm_clear", None)


def progress_callback(bar, titles: dict[str, str]):
    """The engine's ``progress(slug, done, total)`` drawn on a Streamlit progress bar, naming the post's title."""

    def update(description: str, done: int, total: int) -> None:
        title = escape_markdown(readable_title(description.removeprefix("embedding "), titles))
        bar.progress(
            min(done / total, 1.0) if total else 0.0, text=f"“{title}”: {done} van {total} zinnen gelezen"
        )

    return update


def carry_out(engine: Engine, action: Action) -> None:
    """Do a queued action in place; success and errors show as messages."""
    try:
        if action.kind == "save":
            bar = st.progress(0.0, text="Bezig met toevoegen…")
            titles = {action.post.slug: action.post.title}
            result = engine.add_post(
                action.post, replace=action.replace, progress=progress_callback(bar, titles)
            )
            bar.empty()
            if action.upload_id:  # a file uploader cannot be emptied from code: remember what is done
                st.session_state.setdefault("saved_uploads", set()).add(action.upload_id)
            verb = "vervangen" if action.replace else "toegevoegd"
            if not result.changed:
                verb = "ongewijzigd (de tekst was al zo)"
            st.success(f"“{escape_markdown(action.post.title)}” is {verb}.")
        elif action.kind == "remove":
            engine.remove(action.slug)
            st.success(f"“{escape_markdown(action.title or action.slug)}” is verwijderd.")
        elif action.kind == "reindex":
            bar = st.progress(0.0, text="Alle blogs opnieuw inlezen…")
            titles = {p.slug: p.title for p in engine.posts()}
            report = engine.reindex(progress=progress_callback(bar, titles))
            bar.empty()
            st.success(f"Alle blogs zijn opnieuw ingelezen: {counted(len(report.added), 'blog', 'blogs')}.")
            for error in report.errors:
                show_error(error)
        elif action.kind == "clear_journal":
            questions, feedback = resources.journal().clear()
            st.success(
                f"Het vragenlog is gewist: {counted(questions, 'vraag', 'vragen')} en {counted(feedback)}."
            )
    except AssistantError as error:
        show_error(error)
    except sqlite3.Error as error:
        log.warning("the question log could not be changed: %s", error)
        st.error(
            "Het vragenlog kon niet worden gewist. Probeer het opnieuw; de details staan in het logboek."
        )


# ---- login ---------------------------------------------------------------------------------------------------


def secrets() -> dict[str, object]:
    try:
        return st.secrets.to_dict() if st.secrets.load_if_toml_exists() else {}
    except Exception:  # a broken secrets.toml must not open (or crash) the page
        return {}


def this_client() -> str:
    """Who is connecting, for the per-client login limit (only a salted hash of it is kept)."""
    try:
        return client_address(st.context.ip_address, st.context.headers)
    except Exception:  # no request context (bare mode): one shared client
        return client_address(None, None)


def too_many_attempts(seconds: float) -> None:
    st.error(f"Te veel pogingen. Probeer het over {max(1, math.ceil(seconds))} seconden opnieuw.")


def login(expected: str) -> None:
    with st.form("login", clear_on_submit=True):
        typed = st.text_input("Wachtwoord", type="password", key="login_password")
        submitted = st.form_submit_button("Inloggen", key="login_submit", type="primary")
    if not submitted:
        return
    limit = resources.settings().login_attempts_per_session
    throttle = st.session_state.get("login_throttle")
    if not isinstance(throttle, LoginThrottle) or throttle.limit != limit:
        throttle = st.session_state["login_throttle"] = LoginThrottle(limit)
    now = time.monotonic()
    if not throttle.allowed(now):
        too_many_attempts(throttle.wait_s(now))
        return
    wait = resources.login_limiter().attempt(this_client(), now)
    if wait > 0:
        log.warning("too many login attempts on the coach's page from one client")
        too_many_attempts(wait)
        return
    throttle.record(now)
    if password_matches(typed or "", expected):
        log.info("the coach logged in")
        st.session_state["coach_logged_in"] = True
        st.rerun()
    log.info("a wrong password was tried on the coach's page")
    st.error("Dat wachtwoord klopt niet.")


# Why a reload logs the coach out (the login lives in st.session_state, which a reload starts afresh): a login
# that survives it needs a cookie, and Streamlit 1.67 gives a page script no safe way to set one. Reading is
# possible (st.context.cookies), but a script cannot send a Set-Cookie header; the only way from a page is
# JavaScript (st.html(unsafe_allow_javascript=True) writing document.cookie), which cannot make the cookie
# HttpOnly: any script that ever got into the page could read the token and use it elsewhere for hours. The
# safe way, an HttpOnly cookie set by a server route of st.App (Streamlit's experimental ASGI mode), means
# serving Kompas differently (app.py, `assistant serve`); that is left for a change of its own.


def log_out() -> None:
    st.session_state["coach_logged_in"] = False


# ---- the sections of the page --------------------------------------------------------------------------------


def preview(
    engine: Engine,
    post: Post,
    key: str,
    clear: tuple[str, ...] = (),
    upload_id: str = "",
    read_as: str = "",
) -> None:
    """Show what a post will become (its parts under their headings) and the button that saves it."""
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(post.title)}**")
        facts = [format_date(post.date), post.url, f"{post.word_count} woorden"]
        if read_as:
            facts.append(f"gelezen als {read_as}")
        st.caption(escape_markdown(" · ".join(f for f in facts if f)))
        parts = len(post.sections)
        st.markdown(f"Kompas vond {parts} {'deel' if parts == 1 else 'delen'}:")
        st.markdown(
            "\n".join(
                f"- {escape_markdown(s.heading) if s.heading else '*(begin, zonder kopje)*'}: "
                f"{len(s.paragraphs)} {'alinea' if len(s.paragraphs) == 1 else 'alinea’s'}"
                for s in post.sections
            )
        )
        exists = engine.corpus.find(post.slug) is not None
        replace = False
        if exists:
            st.warning(
                "Er staat al een blog met deze titel in Kompas. Vink ‘Vervangen’ aan om hem te vervangen, "
                "of geef deze tekst een andere titel."
            )
            replace = st.checkbox("Vervangen", key=f"{key}_replace")
        st.button(
            "Vervangen" if replace else "Toevoegen",
            key=f"{key}_save",
            type="primary",
            on_click=queue,
            args=(Action("save", post=post, replace=replace, upload_id=upload_id), clear),
        )


def upload_section(engine: Engine) -> None:
    st.subheader("Bestanden toevoegen")
    megabytes = max(1, math.ceil(engine.settings.max_upload_bytes / 1_000_000))
    files = st.file_uploader(
        f"Blogs als .md, .txt, .html of .docx (elk hoogstens {megabytes} MB)",
        type=[s.lstrip(".") for s in engine.file_suffixes],
        accept_multiple_files=True,
        max_upload_size=megabytes,
        key="upload_files",
    )
    files = files or []
    most = engine.settings.max_upload_files
    if len(files) > most:
        st.error(
            f"Je koos {len(files)} bestanden; Kompas neemt er hoogstens {most} tegelijk. Haal er "
            f"{len(files) - most} weg (met ✕) en voeg de rest daarna toe."
        )
        return
    saved: set[str] = st.session_state.get("saved_uploads", set())
    loaded: dict[str, Post | BadInputError] = st.session_state.setdefault("loaded_uploads", {})
    for number, upload in enumerate(files):
        if upload.file_id not in loaded:
            try:
                loaded[upload.file_id] = load_upload(engine, upload.name, upload.getvalue())
            except BadInputError as error:
                loaded[upload.file_id] = error
        result = loaded[upload.file_id]
        if isinstance(result, BadInputError):
            show_error(result)
        elif upload.file_id in saved:
            st.caption(
                f"✓ {escape_markdown(upload.name)} is opgeslagen als “{escape_markdown(result.title)}”."
            )
        else:
            preview(engine, result, f"upload_{number}", upload_id=upload.file_id)


def paste_section(engine: Engine) -> None:
    st.subheader("Tekst plakken")
    title = st.text_input(
        "Titel", key="paste_title", placeholder="Leeg laten: dan is de eerste regel de titel"
    )
    left, middle, right = st.columns([3, 2, 2])
    url = left.text_input("Adres van de blog", key="paste_url", placeholder="https://…")
    date = middle.text_input(
        "Datum", key="paste_date", placeholder="14-03-2025", help=f"Bijvoorbeeld {ACCEPTED_FORMS}."
    )
    fmt = right.selectbox(
        "Opmaak",
        list(PASTE_FORMATS),
        format_func=PASTE_FORMATS.get,
        key="paste_format",
        help="Automatisch: tekst met kopjes als # Kopje is Markdown; anders herkent Kompas de kopjes zelf.",
    )
    text = st.text_area("Tekst", key="paste_text", height=220)
    if not (text or "").strip():
        return
    try:
        pasted = load_pasted(engine, text, fmt, title or "", url or "", date or "")
    except BadInputError as error:
        show_error(error)
        return
    read_as = PASTE_FORMATS[pasted.fmt].lower() if fmt == "auto" else ""
    preview(engine, pasted.post, "paste", PASTE_FIELDS, read_as=read_as)


def posts_section(engine: Engine) -> None:
    posts = engine.posts()
    st.subheader(f"Blogs ({len(posts)})")
    if posts:
        st.table(
            [{"Titel": p.title, "Datum": format_date(p.date) or "—", "Delen": p.sections} for p in posts],
            hide_index=True,
        )
    titles = {p.slug: p.title for p in posts}
    dates = {p.slug: format_date(p.date) for p in posts}
    slug = st.selectbox(
        "Blog verwijderen",
        list(titles),
        format_func=lambda s: " · ".join(part for part in (titles[s], dates[s]) if part),
        index=None,
        placeholder="Kies een blog",
        key="delete_slug",
    )
    if st.button("Verwijderen…", key="delete_post", disabled=slug is None):
        st.session_state["confirm_delete"] = slug
    pending = st.session_state.get("confirm_delete")
    if pending:
        title = readable_title(pending, titles)
        st.warning(
            f"Weet je zeker dat je “{escape_markdown(title)}” wilt verwijderen? "
            "De blog verdwijnt uit Kompas en uit de blogmap."
        )
        yes, no = st.columns(2)
        yes.button(
            "Ja, verwijderen",
            key="delete_confirm",
            type="primary",
            on_click=queue,
            args=(Action("remove", slug=pending, title=title),),
        )
        no.button("Annuleren", key="delete_cancel", on_click=cancel_delete)
    st.divider()
    st.markdown(
        "Vindt Kompas blogs niet (meer) goed terug, bijvoorbeeld na een update? Laat Kompas dan alle blogs "
        "uit de blogmap opnieuw inlezen. Dat kan een paar minuten duren."
    )
    st.button("Alle blogs opnieuw inlezen", key="reindex", on_click=queue, args=(Action("reindex"),))


def themes_section(engine: Engine, journal: Journal) -> None:
    """The unanswered questions grouped by subject, most asked first: the coach's list of next posts to write."""
    from assistant.themes import period_text, unanswered_themes

    st.subheader("Waar leiders naar vragen (onderwerpen voor een volgende blog)")
    st.caption(
        "Vragen zonder (volledig) antwoord, gegroepeerd naar onderwerp; het vaakst gevraagde bovenaan."
    )
    with st.spinner("Vragen worden gegroepeerd…"):
        themes = unanswered_themes(journal, engine.embedder, vectors=resources.question_vectors())
    if not themes:
        st.caption("Nog geen.")
        return
    st.table(
        [
            {
                "Onderwerp": t.name,
                "Aantal": t.count,
                "Periode": period_text(t.first_asked, t.last_asked),
                "Voorbeelden": " · ".join(t.examples),
            }
            for t in themes
        ],
        hide_index=True,
    )


def answered_text(question: AskedQuestion) -> str:
    if question.refused:
        return ANSWERED.get(question.refusal_reason, "nee")
    return "deels" if question.related_only else "ja"


def refresh_button(key: str) -> None:
    # A click reruns only the fragment around it, which reads the journal again.
    st.button("Vernieuwen", key=key, icon=":material/refresh:", type="tertiary")


@st.fragment(run_every=REFRESH_S)
def questions_lists(journal: Journal, titles: dict[str, str]) -> None:
    """The question tables, read from the journal again every ``REFRESH_S`` seconds and on "Vernieuwen"."""
    refresh_button("refresh_questions")
    st.subheader("Vragen zonder antwoord")
    st.caption(
        "Waar de blogs (nog) niets over zeggen, of alleen iets wat ernaast ligt: onderwerpen voor een volgende blog."
    )
    gaps = journal.unanswered()
    if gaps:
        st.table(
            [
                {"Vraag": g.question, "Keer gesteld": g.count, "Laatst gesteld": local_time(g.last_asked)}
                for g in gaps
            ],
            hide_index=True,
        )
    else:
        st.caption("Nog geen.")
    st.subheader("Recente vragen")
    recent = journal.recent_questions()
    if recent:
        st.table(
            [
                {
                    "Tijd": local_time(q.asked_at),
                    "Vraag": q.question,
                    "Beantwoord": answered_text(q),
                    "Uit de blogs": ", ".join(
                        dict.fromkeys(readable_title(str(s["post"]), titles) for s in q.sources)
                    ),
                }
                for q in recent
            ],
            hide_index=True,
        )
    else:
        st.caption("Nog geen vragen gesteld.")
    st.subheader("Pogingen om Kompas te misleiden")
    st.caption("Vragen die Kompas zijn regels wilden laten vergeten. Kompas gaf er geen antwoord op.")
    attempts = journal.manipulation_attempts()
    if attempts:
        st.table(
            [{"Tijd": local_time(q.asked_at), "Vraag": q.question} for q in attempts],
            hide_index=True,
        )
    else:
        st.caption("Geen.")


def questions_section(journal: Journal, titles: dict[str, str]) -> None:
    questions_lists(journal, titles)
    clear_section(journal)  # outside the fragment: its buttons queue actions the next full run carries out


def clear_section(journal: Journal) -> None:
    st.divider()
    if journal.enabled:
        st.caption(
            f"Vragen en feedback worden {journal.retention_days} dagen bewaard, zonder namen of "
            "IP-adressen; daarna worden ze gewist."
        )
    else:
        st.caption("Het vragenlog staat uit: vragen en feedback worden niet bewaard.")
    if st.button("Vragenlog wissen…", key="clear_journal"):
        st.session_state["confirm_clear"] = True
    if st.session_state.get("confirm_clear"):
        questions, feedback = journal.question_count(), journal.feedback_counts()
        st.warning(
            "Weet je zeker dat je het vragenlog wilt wissen? "
            f"{counted(questions, 'vraag', 'vragen')} en {counted(feedback.up + feedback.down)} verdwijnen; "
            "dat kan niet ongedaan worden gemaakt."
        )
        yes, no = st.columns(2)
        yes.button(
            "Ja, wissen",
            key="clear_journal_confirm",
            type="primary",
            on_click=queue,
            args=(Action("clear_journal"),),
        )
        no.button("Annuleren", key="clear_journal_cancel", on_click=cancel_clear)


@st.fragment(run_every=REFRESH_S)
def feedback_section(journal: Journal) -> None:
    refresh_button("refresh_feedback")
    counts = journal.feedback_counts()
    up, down = st.columns(2)
    up.metric("Duim omhoog", counts.up)
    down.metric("Duim omlaag", counts.down)
    entries = journal.feedback()
    if entries:
        st.table(
            [
                {
                    "Tijd": local_time(f.given_at),
                    "Oordeel": "👍" if f.score else "👎",
                    "Reden": f.reason,
                    "Vraag": f.question,
                    "Antwoord": f.answer,
                    "Uit de blogs": ", ".join(
                        dict.fromkeys(str(p.get("title") or p["post"]) for p in f.passages)
                    ),
                }
                for f in entries
            ],
            hide_index=True,
        )
    else:
        st.caption("Nog geen feedback.")


def render() -> None:
    st.title("Beheer")
    expected = configured_password(resources.settings(), secrets())
    if expected is None:
        st.info(
            "De beheerpagina staat uit: er is geen wachtwoord ingesteld. Zet de omgevingsvariabele "
            "`ASSISTANT_ADMIN_PASSWORD` (of `admin_password` in `.streamlit/secrets.toml`) en start Kompas "
            "opnieuw."
        )
        return
    if not st.session_state.get("coach_logged_in"):
        login(expected)
        return
    st.sidebar.button("Uitloggen", key="logout", on_click=log_out)
    engine = resources.engine()  # waits under "Kompas wordt geladen…" while it still loads
    action = st.session_state.pop("coach_action", None)
    if action is not None:
        carry_out(engine, action)
    try:
        add, posts, questions, feedback = st.tabs(["Toevoegen", "Blogs", "Vragen", "Feedback"])
        with add:
            upload_section(engine)
            paste_section(engine)
        with posts:
            posts_section(engine)
        titles = {p.slug: p.title for p in engine.posts()}
        with questions:
            themes_section(engine, resources.journal())
            questions_section(resources.journal(), titles)
        with feedback:
            feedback_section(resources.journal())
    except AssistantError as error:
        show_error(error)


if __name__ == "__main__":  # st.navigation runs this file as the page script
    render()
