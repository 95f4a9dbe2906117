"""Read a publication date the way a Dutch coach writes it, and give it back as an ISO day.

    parse_date("14-03-2025") == parse_date("14 maart 2025") == parse_date("2025-03-14") == "2025-03-14"

Accepted: ISO (``2025-03-14``, also with a time after it), day-month-year with ``-``, ``/`` or ``.``
(``14-03-2025``, ``14/3/2025``), and a day, a Dutch month name or its abbreviation, and a year (``14 maart 2025``,
``14 mrt 2025``, ``14 mrt. 2025``). Always day before month: a Dutch reader never means 03-14-2025.

The other way: ``dutch_date`` writes a day as a Dutch reader reads it, ``local_moment`` puts a stored UTC timestamp
in the Netherlands' time.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

ACCEPTED_FORMS = "2025-03-14, 14-03-2025, 14/03/2025, 14 maart 2025 of 14 mrt 2025"
ACCEPTED_FORMS_EN = "2025-03-14, 14-03-2025, 14/03/2025, 14 maart 2025 or 14 mrt 2025"

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
SHORT_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
TIMEZONE = ZoneInfo("Europe/Amsterdam")
# Besides the first three letters of each month: "mrt" is the usual Dutch one for maart, "sept" for september.
_ABBREVIATIONS = {"mrt": 3, "sept": 9}
_MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, start=1)}
_MONTH_NUMBERS.update({name[:3]: number for name, number in list(_MONTH_NUMBERS.items())})
_MONTH_NUMBERS.update(_ABBREVIATIONS)

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*)?")
_NUMERIC = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_WORDS = re.compile(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})")


def parse_date(text: str) -> str:
    """The ISO day (``YYYY-MM-DD``) a written date means; ``ValueError`` if it is not one of the accepted forms."""
    cleaned = " ".join(text.strip().lower().split())
    if match := _ISO.fullmatch(cleaned):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.fullmatch(cleaned):
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    elif (match := _WORDS.fullmatch(cleaned)) and match.group(2) in _MONTH_NUMBERS:
        day, month, year = int(match.group(1)), _MONTH_NUMBERS[match.group(2)], int(match.group(3))
    else:
        raise ValueError(f"not a date in an accepted form ({ACCEPTED_FORMS_EN}): {text!r}")
    return dt.date(year, month, day).isoformat()  # raises ValueError for 31-02-2025


def is_date(text: str) -> bool:
    try:
        parse_date(text)
    except ValueError:
        return False
    return True


def dutch_date(day: dt.date) -> str:
    """``14 maart 2025``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def local_moment(iso: str) -> dt.datetime:
    """A stored timestamp (UTC when it names no zone) in the Netherlands' time; ValueError if it is none."""
    moment = dt.datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(TIMEZONE)
