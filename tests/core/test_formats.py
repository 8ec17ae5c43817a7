"""One way of writing dates ("7 grudnia 2026") and plural forms for the front end."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import npgettext

from miasto.core.formats import plain_date, plain_datetime
from miasto.core.plurals import plural_forms
from tests.i18n import compile_messages


def test_dates_in_polish():
    with translation.override("pl"):
        assert plain_date(dt.date(2026, 12, 7)) == "7 grudnia 2026"
        assert plain_date("2026-03-01") == "1 marca 2026"
        assert plain_date("2026-03-01T10:00:00+00:00") == "1 marca 2026"
        assert plain_date(None) == "" and plain_date("jutro") == ""
        moment = dt.datetime(2026, 12, 7, 10, 32, tzinfo=dt.UTC)
        local = timezone.localtime(moment)
        assert plain_datetime(moment) == f"7 grudnia 2026, {local:%H:%M}"
        assert plain_datetime(dt.date(2026, 12, 7)) == "7 grudnia 2026"


def test_dates_in_english():
    with translation.override("en"):
        assert plain_date(dt.date(2026, 12, 7)) == "7 December 2026"


def test_plural_forms_for_every_polish_category():
    compile_messages("datahub")
    with translation.override("pl"):
        forms = plural_forms(lambda n: npgettext("count of datasets", "dataset", "datasets", n))
    assert forms == {
        "one": "zbiór danych",
        "few": "zbiory danych",
        "many": "zbiorów danych",
        "other": "zbiorów danych",
    }
