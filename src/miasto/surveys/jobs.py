"""Surveys' housekeeping: open and close surveys on their dates (every five minutes)."""

from __future__ import annotations

from datetime import timedelta

from miasto.core.jobs import periodic
from miasto.surveys.services import surveys_by_dates


@periodic("surveys.dates", every=timedelta(minutes=5))
def survey_dates() -> None:
    surveys_by_dates()
