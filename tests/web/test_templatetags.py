"""Number filters of the pages: grouping, percentages and signed changes in Polish."""

from __future__ import annotations

from django.utils import translation

from miasto.web.templatetags.web_tags import percent, percent_points, signed, thousands


def test_number_filters_in_polish():
    with translation.override("pl"):
        assert thousands(1234567) == "1\xa0234\xa0567"
        assert percent(0.1234) == "12,3 %"
        assert percent(None) == "—"
        assert signed(4000.0) == "+4\xa0000"
        assert signed(-56.25) == "−56,2"
        assert signed(0) == "0"
        assert signed("x") == "x"
        assert percent_points(0.025) == "+2,5 p.p."


def test_date_filters_write_dates_one_way():
    import datetime as dt

    from miasto.web.templatetags.web_tags import absolute, plain_date, plain_datetime

    with translation.override("pl"):
        assert plain_date(dt.date(2026, 12, 7)) == "7 grudnia 2026"
        assert plain_date(None) == ""
        assert plain_datetime("2026-12-07T11:32:00") == "7 grudnia 2026, 11:32"
    assert absolute(-56.4) == 56 and absolute("x") == 0
