"""The coach's blog on the web: add one post by its link, and follow the blog's feed or sitemap ("Nu ophalen").

Fetching goes through ``assistant.sources`` (its fetcher holds the safety rules); a post fetched by its link gets
the same preview and "Vervangen" choice as an upload, and the save goes through the same queued action.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import streamlit as st

from assistant.errors import BadInputError
from assistant.sources.sync import followed, is_address
from assistant.web.cards import escape_markdown
from assistant.web.coach_actions import Action, queue
from assistant.web.coach_messages import counted, local_time, show_error
from assistant.web.coach_posts import preview

if TYPE_CHECKING:
    from assistant.engine import Engine
    from assistant.sources.memory import RunMemo
    from assistant.sources.sync import SyncReport

LINK_FIELDS = ("link_url",)
# What a sync did, as the coach reads it.
OUTCOME_WORDS = {
    "added": "toegevoegd",
    "updated": "bijgewerkt",
    "unchanged": "ongewijzigd",
    "skipped": "overgeslagen (geen blog)",
    "failed": "mislukt",
    "removed": "verwijderd",
}


def link_section(engine: Engine) -> None:
    """A field for a post's link: fetched on "Ophalen", then previewed like an upload."""
    st.subheader("Blog via een link")
    address = st.text_input(
        "Adres van de blog", key="link_url", placeholder="https://www.jouwwebsite.nl/een-blog/"
    ).strip()
    # Never disabled: a browser sends the typed address together with the click (a field commits on blur).
    if st.button("Ophalen", key="link_fetch") and address:
        st.session_state["link_fetched"] = (address, fetch_link(engine, address))
    fetched = st.session_state.get("link_fetched")
    if not fetched or fetched[0] != address:
        return
    result = fetched[1]
    if isinstance(result, BadInputError):
        show_error(result)
        return
    preview(engine, result, "link", LINK_FIELDS)  # the page's one preview, as for uploads and pasted text


def fetch_link(engine: Engine, address: str):
    """The post at ``address``, or the error that says (in Dutch) why it cannot be had."""
    from assistant.sources.fetcher import Fetcher
    from assistant.sources.pages import fetch_post

    try:
        with st.spinner("Kompas haalt de blog op…"), Fetcher(engine.settings) as fetcher:
            return fetch_post(fetcher, engine.settings, with_scheme(address))
    except BadInputError as error:
        return error


def with_scheme(address: str) -> str:
    """An address typed as "www.blog.nl/…" gets the web's usual scheme; anything else is checked by the fetcher."""
    return address if is_address(address) or "://" in address else f"https://{address}"


def follow_section(engine: Engine) -> None:
    """The blog's feed or sitemap, "Nu ophalen", and when the last run was and what it did."""
    st.subheader("Je blog volgen")
    st.markdown(
        "Geef het adres van de feed of de sitemap van je blog. Kompas haalt dan de nieuwe en gewijzigde blogs "
        "op: als je op ‘Nu ophalen’ klikt, en elk uur vanzelf als de beheerder dat heeft ingesteld."
    )
    source, run = followed(engine.settings)
    st.text_input(
        "Adres van de feed of sitemap",
        value=source,
        key="follow_url",
        placeholder="https://www.jouwwebsite.nl/feed/",
        help="Bij WordPress meestal je webadres met /feed/ of /sitemap.xml erachter.",
    )
    st.button("Nu ophalen", key="follow_sync", type="primary", on_click=_queue_sync)
    if run.at:
        st.caption(f"Laatst opgehaald: {local_time(run.at)}. {last_run_text(run)}")
    if run.failures:
        with st.expander(f"Niet gelukt bij de laatste keer ({len(run.failures)})"):
            st.markdown(
                "\n".join(f"- {escape_markdown(url)}: {escape_markdown(why)}" for url, why in run.failures)
            )


def _queue_sync() -> None:
    # The address as typed when the button was clicked: the field's value arrives with the click.
    queue(Action("sync", source=str(st.session_state.get("follow_url") or "").strip()))


def last_run_text(run: RunMemo) -> str:
    if run.error:
        return f"Dat lukte niet: {escape_markdown(run.error_dutch or 'de website gaf een fout')}."
    return f"Resultaat: {counts_text(run.counts)}."


def counts_text(counts: dict[str, int]) -> str:
    parts = [
        f"{n} {OUTCOME_WORDS[o]}" for o, n in counts.items() if o in OUTCOME_WORDS and (n or o != "removed")
    ]
    return ", ".join(parts)


def sync_now(engine: Engine, action: Action) -> None:
    """Carry out "Nu ophalen": remember the address, sync it with a progress bar, say what happened."""
    from assistant.sources.sync import sync_blog

    if not action.source:
        st.warning("Vul eerst het adres van de feed of sitemap van je blog in.")
        return
    source = with_scheme(action.source)
    bar = st.progress(0.0, text="Kompas haalt de blogs op…")
    try:
        report = sync_blog(engine.settings, source, lambda: engine, follow=True, progress=_progress(bar))
    finally:
        bar.empty()
    show_report(report)


def show_report(report: SyncReport) -> None:
    st.success(f"Opgehaald: {counts_text(report.counts)}.")
    if report.found_feed:
        st.caption(f"Kompas vond op die pagina de feed {escape_markdown(report.found_feed)} en volgt die.")
    failed = report.failed
    if failed:
        st.warning(
            f"{counted(len(failed), 'blog', 'blogs')} kon Kompas niet ophalen:\n\n"
            + "\n".join(
                f"- {escape_markdown(i.url)}: {escape_markdown(i.reason_dutch or i.reason)}" for i in failed
            )
        )


def _progress(bar):
    def update(description: str, done: int, total: int) -> None:
        if re.match(r"\d+/\d+ ", description):  # the sync's own step: one listed post
            bar.progress(
                min(done / total, 1.0) if total else 0.0, text=f"Blog {done + 1} van {total} bekijken…"
            )

    return update
