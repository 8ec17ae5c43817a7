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


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "127.0.0.1"),  # no proxy configured: the header is ignored
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the client's own entry is ignored
        (2, "198.51.100.1, 203.0.113.5", "198.51.100.1"),
        (2, "203.0.113.5", "127.0.0.1"),  # fewer entries than proxies: not trusted
        (1, "not-an-address", "127.0.0.1"),
        (1, "", "127.0.0.1"),
    ],
)
def test_client_ip(settings, hops: int, forwarded: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    from django.test import RequestFactory

    from miasto.core.http import client_ip

    settings.MIASTO_PROXY_COUNT = hops
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == expected
