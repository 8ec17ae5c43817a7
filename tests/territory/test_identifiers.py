"""One parcel-identifier check for every API that takes a parcel in its URL."""

from __future__ import annotations

import pytest

from miasto.core.errors import InvalidParameter
from miasto.territory.identifiers import PARCEL_ID_FORMAT, parse_parcel_identifier

URLS = [
    "/api/v1/parcels/{}",
    "/api/v1/parcels/{}/accessibility",
    "/api/v1/parcels/{}/planning",
    "/api/v1/parcels/{}/planning.pdf",
]


@pytest.mark.parametrize(
    "raw",
    ["146501_1.0001.123/4", " 146501_1.0001.123/4 ", "146501_1.0001.AR_2.123/4\n"],
)
def test_parse_keeps_a_valid_identifier(raw):  # type: ignore[no-untyped-def]
    assert parse_parcel_identifier(raw) == raw.strip()


@pytest.mark.parametrize(
    "raw", ["", "not-an-id", "146501_1.0001", "146501_1.0001.0", "146501_1.0001.1/0", "x" * 5000]
)
def test_parse_refuses_with_the_expected_format(raw):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidParameter) as caught:
        parse_parcel_identifier(raw)
    assert PARCEL_ID_FORMAT in str(caught.value.message)
    assert len(str(caught.value.message)) < 300  # (a long input is cut in the message)
    assert caught.value.extra == {"expected_format": "WWPPGG_R.XXXX.NDZ"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("bad", ["not-an-id", "146501_1.0001", "%3Cscript%3E", "1" * 2000])
def test_every_parcel_api_answers_the_same_400(client, url, bad):  # type: ignore[no-untyped-def]
    response = client.get(url.format(bad), HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert body["expected_format"] == "WWPPGG_R.XXXX.NDZ"
    assert body["message"].startswith("Nieprawidłowy identyfikator działki „")
    assert PARCEL_ID_FORMAT in body["message"]
