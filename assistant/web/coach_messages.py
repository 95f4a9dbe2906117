"""The coach's page's wording: counts, sizes, times and post titles in Dutch, and its error messages."""

from __future__ import annotations

import logging

import streamlit as st

from assistant.corpus.dates import SHORT_MONTHS, local_moment
from assistant.errors import (
    AssistantError,
    BadInputError,
    EmbedderMismatchError,
    IndexBusyError,
    IndexUnavailableError,
    PostConflictError,
    PostNotFoundError,
)
from assistant.web.cards import escape_markdown

log = logging.getLogger("assistant.web.coach")  # the page's one logger, whichever module logs


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
