"""How Miasto writes dates for people: one way everywhere — the day, the month's name and the
year ("7 grudnia 2026"; English "7 December 2026"), with the time after a comma where it
matters ("7 grudnia 2026, 11:32", local time). Templates use the ``plain_date`` and
``plain_datetime`` filters (``web_tags``), Python code (chart axes, messages) these
functions. Machine-readable dates (``<time datetime>``, form values, files) stay ISO 8601.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format

DATE = "j E Y"
DATETIME = "j E Y, H:i"


def _parsed(value: object) -> dt.date | dt.datetime | None:
    if isinstance(value, dt.date):  # (a datetime is a date too)
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def plain_date(value: object) -> str:
    """A date (or datetime, or ISO 8601 text) as "7 grudnia 2026"; "" when empty or not a
    date."""
    parsed = _parsed(value)
    if parsed is None:
        return ""
    if isinstance(parsed, dt.datetime) and timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return date_format(parsed, DATE)


def plain_datetime(value: object) -> str:
    """A datetime (or ISO 8601 text) as "7 grudnia 2026, 11:32" in local time; a plain date
    as :func:`plain_date`; "" when empty."""
    parsed = _parsed(value)
    if parsed is None:
        return ""
    if not isinstance(parsed, dt.datetime):
        return date_format(parsed, DATE)
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return date_format(parsed, DATETIME)
