"""The coach's page ("Beheer"): add, replace and delete posts, re-index, and read what leaders asked.

A page script of ``st.navigation``. Closed unless a password is configured; login attempts are limited per
browser session and per client. Buttons only queue an action in ``st.session_state`` (their callbacks may also
clear the inputs), and the next run carries it out in place, with a progress bar.
"""

from __future__ import annotations

import logging
import math
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from assistant.chunking import chunk_post
from assistant.corpus.loaders import SUPPORTED_SUFFIXES, load_text
from assistant.corpus.model import Post
from assistant.errors import AssistantError, BadInputError
from assistant.journal import Journal
from assistant.web import resources
from assistant.web.access import LoginThrottle, client_address, configured_password, password_matches
from assistant.web.cards import escape_markdown, format_date

if TYPE_CHECKING:
    from assistant.engine import Engine

PASTE_FIELDS = ("paste_text", "paste_title", "paste_url", "paste_date")
PASTE_FORMATS = {"md": "Markdown", "txt": "Platte tekst", "html": "HTML"}

log = logging.getLogger("assistant.web.coach")  # a page script runs as __main__


def counted(number: int, one: str = "beoordeling", many: str = "beoordelingen") -> str:
    return f"{number} {one if number == 1 else many}"


def size_text(size: int) -> str:
    """Bytes as a Dutch reader counts them: ``850 bytes``, ``12,5 kB``, ``2 MB``."""
    if size < 1000:
        return f"{size} bytes"
    value, unit = (size / 1000, "kB") if size < 1_000_000 else (size / 1_000_000, "MB")
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + f" {unit}"


# ---- reading input -------------------------------------------------------------------------------------------


def load_upload(engine: Engine, name: str, data: bytes) -> Post:
    """Validate an uploaded file through the same loader as ``assistant add``; errors name the upload."""
    limit = engine.settings.max_upload_bytes
    if len(data) > limit:
        raise BadInputError(
            name,
            f"dit bestand is te groot ({size_text(len(data))}); Kompas neemt bestanden tot {size_text(limit)}. "
            "Verdeel de tekst over kleinere bestanden, of plak hem in delen.",
        )
    # The loader picks the format by suffix and, for .txt and .docx, may take the title from the file name.
    safe_name = re.sub(r"[^\w.\- ]+", "_", Path(name).name).strip(" .") or "upload"
    with tempfile.TemporaryDirectory(prefix="kompas-upload-") as folder:
        path = Path(folder) / safe_name
        path.write_bytes(data)
        try:
            return engine.load(path)
        except BadInputError as error:
            raise BadInputError(name, error.problem) from None


def load_pasted(engine: Engine, text: str, fmt: str, title: str, url: str, date: str) -> Post:
    limit = engine.settings.max_upload_bytes
    if len(text.encode("utf-8")) > limit:
        raise BadInputError(
            "geplakte tekst",
            f"de tekst is te lang ({size_text(len(text.encode('utf-8')))}); Kompas neemt tot {size_text(limit)}. "
            "Plak hem in delen.",
        )
    return load_text(
        text,
        fmt,
        source="geplakte tekst",
        overrides={"title": title.strip(), "url": url.strip(), "date": date.strip()},
        max_words=engine.settings.max_post_words,
    )


@dataclass(frozen=True)
class Action:
    """What a button asked for, carried out at the top of the next run: save, remove, reindex, clear_journal."""

    kind: str
    post: Post | None = None
    replace: bool = False
    slug: str = ""
    upload_id: str = ""


def queue(action: Action, clear: tuple[str, ...] = ()) -> None:
    st.session_state["coach_action"] = action
    st.session_state.pop("confirm_delete", None)
    st.session_state.pop("confirm_clear", None)
    for key in clear:
        st.session_state[key] = ""


def cancel_delete() -> None:
    st.session_state.pop("confirm_delete", None)


def cancel_clear() -> None:
    st.session_state.pop("confirm_clear", None)


def progress_callback(bar):
    """The engine's ``progress(description, done, total)`` drawn on a Streamlit progress bar."""

    def update(description: str, done: int, total: int) -> None:
        slug = description.removeprefix("embedding ")  # slugs are [a-z0-9-]: safe as Markdown
        bar.progress(min(done / total, 1.0) if total else 0.0, text=f"{slug}: {done} van {total} zinnen")

    return update


def carry_out(engine: Engine, action: Action) -> None:
    """Do a queued action in place; success and errors show as messages."""
    try:
        if action.kind == "save":
            bar = st.progress(0.0, text="Bezig met toevoegen…")
            result = engine.add_post(action.post, replace=action.replace, progress=progress_callback(bar))
            bar.empty()
            if action.upload_id:  # a file uploader cannot be emptied from code: remember what is done
                st.session_state.setdefault("saved_uploads", set()).add(action.upload_id)
            verb = "vervangen" if action.replace else "toegevoegd"
            if not result.changed:
                verb = "ongewijzigd (de tekst was al zo)"
            st.success(f"“{escape_markdown(action.post.title)}” is {verb}: {result.chunks} stukken.")
        elif action.kind == "remove":
            engine.remove(action.slug)
            st.success(f"De blog {escape_markdown(action.slug)} is verwijderd.")
        elif action.kind == "reindex":
            bar = st.progress(0.0, text="Opnieuw indexeren…")
            report = engine.reindex(progress=progress_callback(bar))
            bar.empty()
            st.success(f"Opnieuw geïndexeerd: {len(report.added)} blogs, {report.chunks_written} stukken.")
            for error in report.errors:
                st.error(escape_markdown(str(error)))
        elif action.kind == "clear_journal":
            questions, feedback = resources.journal().clear()
            st.success(
                f"Het vragenlog is gewist: {counted(questions, 'vraag', 'vragen')} en {counted(feedback)}."
            )
    except AssistantError as error:
        st.error(escape_markdown(str(error)))
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
    throttle: LoginThrottle = st.session_state.setdefault("login_throttle", LoginThrottle())
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


def log_out() -> None:
    st.session_state["coach_logged_in"] = False


# ---- the sections of the page --------------------------------------------------------------------------------


def preview(engine: Engine, post: Post, key: str, clear: tuple[str, ...] = (), upload_id: str = "") -> None:
    """Show what a post will become (sections, chunks) and the button that saves it."""
    chunks = chunk_post(post)
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(post.title)}**")
        facts = [post.slug, format_date(post.date), post.url, f"{post.word_count} woorden"]
        facts += [f"{len(post.sections)} secties", f"{len(chunks)} stukken"]
        st.caption(escape_markdown(" · ".join(f for f in facts if f)))
        st.markdown(
            "\n".join(
                f"- {escape_markdown(s.heading or '(inleiding)')}: {len(s.paragraphs)} alinea's"
                for s in post.sections
            )
        )
        replace = engine.corpus.find(post.slug) is not None
        if replace:
            st.warning("Er is al een blog met deze naam; opslaan vervangt die.")
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
        type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
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
            st.error(escape_markdown(str(result)))
        elif upload.file_id in saved:
            st.caption(
                f"✓ {escape_markdown(upload.name)} is opgeslagen als “{escape_markdown(result.title)}”."
            )
        else:
            preview(engine, result, f"upload_{number}", upload_id=upload.file_id)


def paste_section(engine: Engine) -> None:
    st.subheader("Tekst plakken")
    title = st.text_input("Titel", key="paste_title")
    left, middle, right = st.columns([3, 2, 2])
    url = left.text_input("Adres van de blog (url)", key="paste_url", placeholder="https://…")
    date = middle.text_input("Datum", key="paste_date", placeholder="2024-05-17")
    fmt = right.selectbox("Opmaak", list(PASTE_FORMATS), format_func=PASTE_FORMATS.get, key="paste_format")
    text = st.text_area("Tekst", key="paste_text", height=220)
    if not (text or "").strip():
        return
    try:
        post = load_pasted(engine, text, fmt, title or "", url or "", date or "")
    except BadInputError as error:
        st.error(escape_markdown(str(error)))
        return
    preview(engine, post, "paste", PASTE_FIELDS)


def posts_section(engine: Engine) -> None:
    posts = engine.posts()
    st.subheader(f"Blogs ({len(posts)})")
    st.dataframe(
        [
            {
                "titel": p.title,
                "datum": p.date,
                "slug": p.slug,
                "secties": p.sections,
                "stukken": p.chunks,
            }
            for p in posts
        ],
        hide_index=True,
        key="posts_table",
    )
    titles = {p.slug: p.title for p in posts}
    slug = st.selectbox(
        "Blog verwijderen",
        list(titles),
        format_func=lambda s: f"{titles[s]} ({s})",
        index=None,
        placeholder="Kies een blog",
        key="delete_slug",
    )
    if st.button("Verwijderen…", key="delete_post", disabled=slug is None):
        st.session_state["confirm_delete"] = slug
    pending = st.session_state.get("confirm_delete")
    if pending:
        st.warning(
            f"Weet je zeker dat je “{escape_markdown(titles.get(pending, pending))}” wilt verwijderen? "
            "Het bestand gaat uit de corpusmap en de blog uit de index."
        )
        yes, no = st.columns(2)
        yes.button(
            "Ja, verwijderen",
            key="delete_confirm",
            type="primary",
            on_click=queue,
            args=(Action("remove", slug=pending),),
        )
        no.button("Annuleren", key="delete_cancel", on_click=cancel_delete)
    st.divider()
    st.markdown(
        "Na een andere embedder, of als de index beschadigd is: bouw hem opnieuw op uit de corpusmap."
    )
    st.button("Opnieuw indexeren", key="reindex", on_click=queue, args=(Action("reindex"),))


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
    st.dataframe(
        [
            {
                "thema": t.name,
                "aantal": t.count,
                "periode": period_text(t.first_asked, t.last_asked),
                "voorbeelden": " · ".join(t.examples),
            }
            for t in themes
        ],
        hide_index=True,
        key="themes_table",
    )


def questions_section(journal: Journal) -> None:
    st.subheader("Vragen zonder antwoord")
    st.caption(
        "Waar de blogs (nog) niets over zeggen, of alleen iets wat ernaast ligt: onderwerpen voor een volgende blog."
    )
    gaps = journal.unanswered()
    if gaps:
        st.dataframe(
            [{"vraag": g.question, "keer gesteld": g.count, "laatst": _when(g.last_asked)} for g in gaps],
            hide_index=True,
            key="gaps_table",
        )
    else:
        st.caption("Nog geen.")
    st.subheader("Recente vragen")
    recent = journal.recent_questions()
    if recent:
        st.dataframe(
            [
                {
                    "tijd": _when(q.asked_at),
                    "vraag": q.question,
                    "beantwoord": "nee" if q.refused else ("deels" if q.related_only else "ja"),
                    "bronnen": ", ".join(dict.fromkeys(str(s["post"]) for s in q.sources)),
                }
                for q in recent
            ],
            hide_index=True,
            key="recent_table",
        )
    else:
        st.caption("Nog geen vragen gesteld.")
    clear_section(journal)


def clear_section(journal: Journal) -> None:
    st.divider()
    if journal.enabled:
        st.caption(
            f"Vragen en feedback worden {journal.retention_days} dagen bewaard, zonder namen of "
            "IP-adressen; daarna worden ze gewist (`ASSISTANT_LOG_RETENTION_DAYS`)."
        )
    else:
        st.caption(
            "Het vragenlog staat uit (`ASSISTANT_LOG_RETENTION_DAYS=0`): vragen en feedback worden niet bewaard."
        )
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


def feedback_section(journal: Journal) -> None:
    counts = journal.feedback_counts()
    up, down = st.columns(2)
    up.metric("Duim omhoog", counts.up)
    down.metric("Duim omlaag", counts.down)
    entries = journal.feedback()
    if entries:
        st.dataframe(
            [
                {
                    "tijd": _when(f.given_at),
                    "oordeel": "👍" if f.score else "👎",
                    "vraag": f.question,
                    "antwoord": f.answer,
                    "bronnen": ", ".join(dict.fromkeys(str(p["post"]) for p in f.passages)),
                }
                for f in entries
            ],
            hide_index=True,
            key="feedback_table",
        )
    else:
        st.caption("Nog geen feedback.")


def _when(iso: str) -> str:
    return iso.replace("T", " ")[:16] + " UTC"


def render() -> None:
    st.title("Beheer")
    engine = resources.engine()
    expected = configured_password(engine.settings, secrets())
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
        with questions:
            themes_section(engine, resources.journal())
            questions_section(resources.journal())
        with feedback:
            feedback_section(resources.journal())
    except AssistantError as error:
        st.error(escape_markdown(str(error)))


if __name__ == "__main__":  # st.navigation runs this file as the page script
    render()
