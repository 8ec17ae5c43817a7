"""Housekeeping of the enforcement workflow: each morning, after the night's compliance check,
open the cases of newly found violations and close those whose violations are gone
(:func:`cases_sync`), then remind the officers of the cases
whose deadline comes within the configured days or has passed (in-app and by e-mail; each
reminder once per case, state and deadline, so a rerun sends nothing twice)."""

from __future__ import annotations

from datetime import timedelta

from miasto.advertising.enforcement import cases_sync, reminders_send
from miasto.core.jobs import periodic


@periodic("advertising.enforcement_reminders", every=timedelta(days=1), cron="0 7 * * *")
def enforcement_reminders() -> None:
    cases_sync()
    reminders_send()
