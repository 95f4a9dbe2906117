"""Dates as a Dutch coach writes them all mean the same ISO day; anything else is refused."""

from __future__ import annotations

import pytest
from conftest import post_md

from assistant.corpus.dates import parse_date
from assistant.corpus.loaders import load_text
from assistant.errors import BadInputError

BODY = "Vertrouwen groeit in kleine momenten. Een schoolleider die luistert, bouwt aan verbinding."


@pytest.mark.parametrize(
    "written",
    [
        "2025-03-14",
        "2025-03-14T09:30:00+01:00",
        "14-03-2025",
        "14/03/2025",
        "14.03.2025",
        "14-3-2025",
        "14 maart 2025",
        "14 Maart 2025",
        "14 mrt 2025",
        "14 mrt. 2025",
        "  14  maart   2025 ",
    ],
)
def test_dutch_and_iso_forms_mean_the_same_day(written: str) -> None:
    assert parse_date(written) == "2025-03-14"


@pytest.mark.parametrize(
    ("written", "day"),
    [("1 jan 2024", "2024-01-01"), ("5 okt 2023", "2023-10-05"), ("30 sept 2022", "2022-09-30")],
)
def test_month_abbreviations_are_read(written: str, day: str) -> None:
    assert parse_date(written) == day


@pytest.mark.parametrize(
    "written", ["gisteren", "31-02-2025", "03-14-2025", "14 march 2025", "2025", "14-03-25"]
)
def test_what_is_not_a_date_in_an_accepted_form_is_refused(written: str) -> None:
    with pytest.raises(ValueError):
        parse_date(written)


def test_a_dutch_date_in_front_matter_is_stored_as_an_iso_day() -> None:
    post = load_text(post_md("Datum", {"": [BODY]}, date="14 maart 2025"), "md")

    assert post.date == "2025-03-14"


def test_a_dutch_date_typed_in_a_field_is_stored_as_an_iso_day() -> None:
    post = load_text(BODY, "txt", overrides={"title": "Datum", "date": "14-03-2025"})

    assert post.date == "2025-03-14"


def test_a_wrong_date_is_refused_in_dutch_naming_the_accepted_forms() -> None:
    with pytest.raises(BadInputError) as caught:
        load_text(BODY, "txt", overrides={"title": "Datum", "date": "gisteren"})

    assert "“gisteren” is geen datum" in caught.value.dutch
    assert "14-03-2025" in caught.value.dutch and "14 maart 2025" in caught.value.dutch
    assert "'date' must be a date" in caught.value.problem  # the CLI's message stays English
