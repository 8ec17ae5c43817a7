"""Integer parameters: one parser for the API's query strings and the analyses' forms."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from miasto.core.errors import InvalidParameter
from miasto.core.http import int_param, int_value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", 7), ("  ", 7), ("5", 5), (" 5 ", 5), ("1 000", 1000), ("1\u00a0000", 1000)],
)
def test_int_value(raw, expected):  # type: ignore[no-untyped-def]
    assert int_value(QueryDict(f"n={raw}"), "n", 7, 0, 10_000) == expected
    assert int_value(QueryDict(""), "n", None, 0, 10) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "liczbą całkowitą"),
        ("1.5", "liczbą całkowitą"),
        ("9" * 5000, "liczbą całkowitą"),
        ("-1", "w zakresie 0–100"),
        ("101", "w zakresie 0–100"),
    ],
)
def test_int_value_refuses(raw, message):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidParameter) as caught:
        int_value({"n": raw}, "n", None, 0, 100)
    assert message in str(caught.value.message) and "„n”" in str(caught.value.message)


def test_int_param_reads_the_query_string_like_the_forms():  # type: ignore[no-untyped-def]
    """The API's parameters accept the digit grouping the analyses' forms always did."""
    request = RequestFactory().get("/", {"limit": "1 000"})
    assert int_param(request, "limit", 10, 1, 5000) == 1000
    assert int_param(RequestFactory().get("/"), "limit", 10, 1, 5000) == 10
