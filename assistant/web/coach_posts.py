"""The coach's posts: add them by upload or paste (with a preview), list them, remove one, re-index all."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import streamlit as st

from assistant.corpus.dates import ACCEPTED_FORMS
from assistant.corpus.model import Post
from assistant.errors import BadInputError
from assistant.web.cards import escape_markdown, format_date
from assistant.web.coach_actions import Action, confirm_buttons, queue
from assistant.web.coach_messages import readable_title, show_error, size_text

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
        confirm_buttons(
            "Ja, verwijderen", "delete", Action("remove", slug=pending, title=title), "confirm_delete"
        )
    st.divider()
    st.markdown(
        "Vindt Kompas blogs niet (meer) goed terug, bijvoorbeeld na een update? Laat Kompas dan alle blogs "
        "uit de blogmap opnieuw inlezen. Dat kan een paar minuten duren."
    )
    st.button("Alle blogs opnieuw inlezen", key="reindex", on_click=queue, args=(Action("reindex"),))
